// Refund, cancel and bank refund requests from the chat, against the fake KOMOJU server: the
// owner's buttons, the provider calls (once, whatever is pressed twice), and the summary following
// KOMOJU's webhooks. Staff never see the buttons and are refused when they forge them.
import { beforeAll, describe, expect, it } from 'vitest';
import { createKomojuProvider } from '../../../src/payments/komoju/komoju-client.js';
import { createLineClient } from '../../../src/line/line-client.js';
import { createLogger } from '../../../src/logger.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { refundsEventHandlers } from '../../../src/refunds/event-handlers.js';
import type { DomainEvent } from '../../../src/events/domain-events.js';
import { databaseKinds } from '../../support/databases.js';
import type { CompleteOptions } from '../../support/fake-komoju.js';
import { messageText } from '../../support/line-harness.js';
import { actionsOf, bubbles, postbackData, seedLink, seedMerchant, signedPostback, tap } from '../sales/sales-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_chat_refund_0123456789';
const WEBHOOK_SECRET = 'whsec_chat_refund_0123456789abcdef';

type LineMessage = Record<string, unknown>;

describe.each(await databaseKinds())('refunds and cancels from the chat on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url },
  }));
  let sequence = 0;

  beforeAll(async () => {
    await seedMerchant(prisma, 'tea', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'en' },
      { userId: 'Uowja', role: 'owner', language: 'ja' },
    ]);
  });

  const webhookUrl = () => `${harness.url}/webhooks/komoju`;
  const send = async (type: string, paymentId: string) => expect(await fake.sendWebhook(webhookUrl(), fake.event(type, paymentId), WEBHOOK_SECRET)).toBe(200);
  const calls = (paymentId: string, action: string) => fake.requests.filter((request) => request.method === 'POST' && request.path === `/api/v1/payments/${paymentId}/${action}`);

  /** A link with one payment made at KOMOJU and recorded from its webhook. */
  async function linkWithPayment(status: 'captured' | 'authorized', options: CompleteOptions = {}): Promise<{ linkId: string; paymentId: string }> {
    const linkId = await seedLink(prisma, 'tea', { productName: `Sencha ${++sequence}`, amount: 1000, testMode: true });
    const session = await createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url }).createSession({
      amount: 1000,
      currency: 'JPY',
      locale: 'en',
      returnUrl: 'http://127.0.0.1:1/return',
      lineItem: { description: 'Sencha', amount: 1000, quantity: 1 },
      metadata: { linkId },
      idempotencyKey: `chk-${linkId}`,
    });
    const payment = fake.completeSession(session.id, status, options);
    await send(status === 'captured' ? 'payment.captured' : 'payment.authorized', payment.id);
    return { linkId, paymentId: payment.id };
  }

  /** Transactions → Refund / cancel → the payment's bubble. */
  async function openPaymentBubble(userId: string, linkId: string, label = 'Refund / cancel'): Promise<LineMessage> {
    const [transactions] = await tap(harness, userId, signedPostback('sales.transactions', [linkId]));
    const [carousel] = await tap(harness, userId, postbackData(transactions, label));
    const [bubble] = bubbles(carousel);
    if (!bubble) throw new Error(`no payment bubble in: ${carousel ? messageText(carousel) : 'nothing'}`);
    return bubble;
  }

  it('refunds part of a payment after a confirmation card; a double press refunds once; the summary follows the webhook', async () => {
    const { linkId, paymentId } = await linkWithPayment('captured');
    const bubble = await openPaymentBubble('Uowner', linkId);
    const facts = messageText(bubble);
    expect(facts).toContain('Refundable ¥1,000');
    expect(facts).toContain('Card');
    expect(facts).toMatch(/Sencha \d+/);

    const [ask] = await tap(harness, 'Uowner', postbackData(bubble, 'Refund'));
    expect(messageText(ask!)).toContain('How much of');
    const [tooMuch] = await harness.say('Uowner', '1,500');
    expect(messageText(tooMuch!)).toContain('more than is left to refund. Send at most ¥1,000');
    const [card] = await harness.say('Uowner', '¥400');
    const cardText = messageText(card!);
    expect(cardText).toContain('Refund ¥400?');
    expect(cardText).toContain('¥600 stays paid after this refund.');
    expect(cardText).toMatch(/Date\n\w{3} \d{1,2}, \d{4}/);

    const confirm = postbackData(card, 'Refund ¥400');
    const [done] = await tap(harness, 'Uowner', confirm);
    expect(messageText(done!)).toContain('Refunded ¥400 of');
    const [stale] = await tap(harness, 'Uowner', confirm);
    expect(messageText(stale!)).toMatch(/no longer|ended|old/i);
    expect(calls(paymentId, 'refund')).toHaveLength(1);
    expect(calls(paymentId, 'refund')[0]?.body).toEqual({ amount: 400 });

    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 1000 });
    await send('payment.refund.created', paymentId);
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 600, capturedPayments: 1, refundedPayments: 0 });
  });

  it('refunds everything that is left with one button, in Japanese', async () => {
    const { linkId, paymentId } = await linkWithPayment('captured');
    const bubble = await openPaymentBubble('Uowja', linkId, '返金・取消');
    const [ask] = await tap(harness, 'Uowja', postbackData(bubble, '返金する'));
    const [card] = await tap(harness, 'Uowja', postbackData(ask, '全額 ¥1,000'));
    expect(messageText(card!)).toContain('残り全額を購入者に返金します。');
    const [done] = await tap(harness, 'Uowja', postbackData(card, '¥1,000を返金'));
    expect(messageText(done!)).toContain('全額返金しました');
    await send('payment.refunded', paymentId);
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 1 });
  });

  it('cancels a payment awaiting payment', async () => {
    const { linkId, paymentId } = await linkWithPayment('authorized');
    const bubble = await openPaymentBubble('Uowner', linkId);
    expect(messageText(bubble)).toContain('Awaiting payment ¥1,000');
    expect(messageText(bubble)).toContain('Amount due\n¥1,000');
    expect(messageText(bubble)).not.toContain('Paid');
    expect(messageText(bubble)).toContain('Pay by');
    const [card] = await tap(harness, 'Uowner', postbackData(bubble, 'Cancel payment'));
    expect(messageText(card!)).toContain('Cancel the payment of ¥1,000?');
    const [done] = await tap(harness, 'Uowner', postbackData(card, 'Cancel this payment'));
    expect(messageText(done!)).toContain('is cancelled');
    expect(calls(paymentId, 'cancel')).toHaveLength(1);
    expect(fake.payment(paymentId).status).toBe('cancelled');
    await send('payment.cancelled', paymentId);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ status: 'cancelled' });
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedPayments: 0, pendingPayments: 1 });
  });

  it('reaches the same payment list by words: refund / 返金 / cancel <product>', async () => {
    const { linkId } = await linkWithPayment('captured');
    const byButton = await openPaymentBubble('Uowner', linkId);
    const product = `Sencha ${sequence}`;
    const [byWord] = await harness.say('Uowner', `refund ${product}`);
    expect(messageText(bubbles(byWord)[0]!)).toBe(messageText(byButton));
    const [byJapanese] = await harness.say('Uowja', `返金 ${product}`);
    expect(bubbles(byJapanese)).toHaveLength(1);
    const [byCancel] = await harness.say('Uowner', `cancel ${product}`);
    expect(messageText(bubbles(byCancel)[0]!)).toBe(messageText(byButton));
  });

  it('staff see no refund button and are refused when they press a forged one', async () => {
    const { linkId, paymentId } = await linkWithPayment('captured');
    const [transactions] = await tap(harness, 'Ustaff', signedPostback('sales.transactions', [linkId]));
    expect(actionsOf(transactions!).map((action) => action.label)).not.toContain('Refund / cancel');
    for (const [action, args] of [
      ['refunds.choose', [linkId]],
      ['refunds.start', [paymentId]],
      ['refunds.cancel', [paymentId]],
    ] as const) {
      const [refused] = await tap(harness, 'Ustaff', signedPostback(action, [...args]));
      expect(messageText(refused!)).toContain("Only the shop's owner can refund or cancel payments.");
    }
    expect(calls(paymentId, 'refund')).toHaveLength(0);
  });

  it('says clearly when KOMOJU refuses, and nothing changes', async () => {
    const { linkId, paymentId } = await linkWithPayment('captured');
    const bubble = await openPaymentBubble('Uowner', linkId);
    const [ask] = await tap(harness, 'Uowner', postbackData(bubble, 'Refund'));
    const [card] = await tap(harness, 'Uowner', postbackData(ask, 'All ¥1,000'));
    // Someone refunded 300 in KOMOJU's dashboard meanwhile: only 700 is left.
    fake.refund(paymentId, 300);
    const [refused] = await tap(harness, 'Uowner', postbackData(card, 'Refund ¥1,000'));
    expect(messageText(refused!)).toContain('KOMOJU says only ¥700 is left to refund. Nothing was refunded.');
    expect(calls(paymentId, 'refund')).toHaveLength(0);
  });

  it('files a bank refund request for a konbini payment, each answer checked, stating the fee once', async () => {
    const { linkId, paymentId } = await linkWithPayment('authorized', { paymentMethodFee: 190 });
    fake.capture(paymentId);
    await send('payment.captured', paymentId);
    const bubble = await openPaymentBubble('Uowner', linkId);
    const [intro, ask] = await tap(harness, 'Uowner', postbackData(bubble, 'Refund'), 2);
    expect(messageText(intro!)).toContain('KOMOJU charges ¥600 for each request and may decline it');
    // What is left (¥1,190) less the fee, which the fee question adds: never counted twice.
    expect(messageText(ask!)).toContain('everything (¥1,000)');
    const [tooMuch] = await harness.say('Uowner', '1190');
    expect(messageText(tooMuch!)).toContain('Send at most ¥1,000');

    await harness.say('Uowner', '1000');
    const [badName] = await harness.say('Uowner', '山田太郎');
    expect(messageText(badName!)).toContain('katakana only');
    await harness.say('Uowner', 'やまだ　たろう');
    await harness.say('Uowner', 'みずほ銀行');
    const [badBranch] = await harness.say('Uowner', '12');
    expect(messageText(badBranch!)).toContain('exactly 3 digits');
    const [type] = await harness.say('Uowner', '０１２');
    await tap(harness, 'Uowner', postbackData(type, 'Savings'));
    const [badAccount] = await harness.say('Uowner', '123456');
    expect(messageText(badAccount!)).toContain('exactly 7 digits');
    const [fee] = await harness.say('Uowner', '0234-567');
    expect(messageText(fee!)).toContain('payment-method fee (¥190)');
    const [card] = await tap(harness, 'Uowner', postbackData(fee, 'Without the fee'));
    const cardText = messageText(card!);
    expect(cardText).toContain('Request a refund of ¥1,000?');
    expect(cardText).toContain('ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(cardText).toContain('It charges ¥600 per request and may decline it.');

    const sendButton = postbackData(card, 'Send the request');
    const [done] = await tap(harness, 'Uowner', sendButton);
    expect(messageText(done!)).toContain('Refund request of ¥1,000');
    await tap(harness, 'Uowner', sendButton);
    expect(calls(paymentId, 'refund_request')).toHaveLength(1);
    expect(calls(paymentId, 'refund_request')[0]?.body).toEqual({
      amount: 1000,
      customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      bank_name: 'みずほ銀行',
      branch_number: '012',
      account_type: 'savings',
      account_number: '0234567',
      include_payment_method_fee: false,
    });
    expect(await prisma.refundRequest.findMany({ where: { paymentId } })).toEqual([
      expect.objectContaining({ amount: 1000, currency: 'JPY', status: 'requested', includePaymentMethodFee: false, requestedBy: 'Uowner' }),
    ]);
    expect(calls(paymentId, 'refund')).toHaveLength(0);

    // The request is pending at KOMOJU and holds what it asked for: a second dialog cannot ask
    // for a second full refund (the ¥190 fee alone cannot be requested).
    const again = await openPaymentBubble('Uowner', linkId);
    const [held] = await tap(harness, 'Uowner', postbackData(again, 'Refund'));
    expect(messageText(held!)).toContain('This refund request has already been sent.');

    // KOMOJU reports the request's progress; the record follows.
    const update = {
      id: `evt_rr_${paymentId}`,
      type: 'refund_request.updated',
      resource: 'event',
      data: { id: 'rr_1', status: 'completed', payment: paymentId },
      created_at: new Date().toISOString(),
    };
    expect(await fake.sendWebhook(webhookUrl(), update, WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.refundRequest.findFirstOrThrow({ where: { paymentId } })).toMatchObject({ status: 'completed' });
  });

  it('a partial refund double-tapped into two concurrent deliveries is made once, whatever the interleaving', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const { linkId, paymentId } = await linkWithPayment('captured');
      const bubble = await openPaymentBubble('Uowner', linkId);
      await tap(harness, 'Uowner', postbackData(bubble, 'Refund'));
      const [card] = await harness.say('Uowner', '300');
      const confirm = postbackData(card, 'Refund ¥300');
      const before = harness.line.messagesTo('Uowner').length;
      // Two taps, two webhook requests at once (LINE delivers each tap on its own).
      const responses = await Promise.all([harness.deliver([harness.postbackEvent('Uowner', confirm)]), harness.deliver([harness.postbackEvent('Uowner', confirm)])]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      await harness.line.waitForMessages('Uowner', before + 2);
      await harness.server.worker.idle();
      expect(fake.payment(paymentId).amount_refunded).toBe(300);
      expect(fake.payment(paymentId).refunds).toHaveLength(1);
    }
  });

  /** Runs the scheduled re-read of an unknown outcome now, as the domain-event worker would. */
  async function runOutcomeCheck(paymentId: string): Promise<void> {
    const row = await prisma.domainEvent.findFirstOrThrow({ where: { type: 'refunds.outcomeCheckDue', subjectId: paymentId } });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
    const event = { ...row, attempts: 1 } as unknown as DomainEvent<'refunds.outcomeCheckDue'>;
    const deps = { prisma, line: createLineClient(harness.config.line), config: harness.config, log: createLogger('silent'), now: () => new Date() };
    await refundsEventHandlers.on['refunds.outcomeCheckDue']!(event, deps);
  }

  it('a refund KOMOJU never answers is "still unknown", and the later read tells the owner it was not made', async () => {
    const { linkId, paymentId } = await linkWithPayment('captured');
    const bubble = await openPaymentBubble('Uowner', linkId);
    const [ask] = await tap(harness, 'Uowner', postbackData(bubble, 'Refund'));
    const [card] = await tap(harness, 'Uowner', postbackData(ask, 'All ¥1,000'));
    fake.failNext(3, 503, undefined, 'POST');
    const [unknown] = await tap(harness, 'Uowner', postbackData(card, 'Refund ¥1,000'));
    expect(messageText(unknown!)).toContain("can't tell yet whether ¥1,000");
    expect(messageText(unknown!)).toContain("Please don't refund it again");
    expect(fake.payment(paymentId).amount_refunded).toBe(0);

    const seen = harness.line.messagesTo('Uowner').length;
    await runOutcomeCheck(paymentId);
    const [late] = (await harness.line.waitForMessages('Uowner', seen + 1)).slice(seen);
    expect(JSON.stringify(late)).toContain('was not refunded. Nothing went back to the buyer');
    expect(await prisma.moneyBackAttempt.findFirstOrThrow({ where: { paymentId } })).toMatchObject({ outcome: 'notDone' });
    // Read only: no second call after the three the client made.
    expect(calls(paymentId, 'refund')).toHaveLength(3);
    expect(new Set(calls(paymentId, 'refund').map((call) => call.headers['x-komoju-idempotency'])).size).toBe(1);
  });

  it('a bank refund request whose answer is lost is read back: KOMOJU has it, so it is reported sent, once', async () => {
    const { linkId, paymentId } = await linkWithPayment('authorized');
    fake.capture(paymentId);
    await send('payment.captured', paymentId);
    const bubble = await openPaymentBubble('Uowner', linkId);
    await tap(harness, 'Uowner', postbackData(bubble, 'Refund'), 2);
    for (const answer of ['500', 'ヤマダ タロウ', 'みずほ銀行']) await harness.say('Uowner', answer);
    const [type] = await harness.say('Uowner', '012');
    await tap(harness, 'Uowner', postbackData(type, 'Ordinary'));
    const [card] = await harness.say('Uowner', '7654321');
    fake.loseAnswer({ method: 'POST', path: /^\/api\/v1\/payments\/[^/]+\/refund_request$/, count: 3 });
    const [done] = await tap(harness, 'Uowner', postbackData(card, 'Send the request'));
    expect(messageText(done!)).toContain('Refund request of ¥500');
    expect(fake.payment(paymentId).refund_requests).toHaveLength(1);
    expect(await prisma.refundRequest.findFirstOrThrow({ where: { paymentId } })).toMatchObject({ status: 'requested', amount: 500 });
  });
});
