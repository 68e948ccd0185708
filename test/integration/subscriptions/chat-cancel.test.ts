// Cancelling a buyer's subscription from the chat, against the fake KOMOJU server: the owner's
// Subscriptions button on a subscription link's transactions, a confirmation card, and the
// provider called once however often it is pressed. Staff never see the button and are refused
// when they forge one.
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startCheckout } from '../../../src/payments/start-checkout.js';
import { ensureSubscription } from '../../../src/payments/subscriptions/ensure-subscription.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';
import { messageText } from '../../support/line-harness.js';
import { orderAsRendered } from '../../support/buyer-fixtures.js';
import { actionsOf, bubbles, postbackData, seedLink, seedMerchant, signedPostback, tap } from '../sales/sales-fixtures.js';

const SECRET_KEY = 'sk_test_chat_subs_0123456789';
const WEBHOOK_SECRET = 'whsec_chat_subs_0123456789abcdef';

describe.each(await databaseKinds())('cancelling subscriptions from the chat on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url },
  }));
  let sequence = 0;

  beforeAll(async () => {
    await seedMerchant(prisma, 'bakery', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'en' },
      { userId: 'Uowko', role: 'owner', language: 'ko' },
    ]);
  });

  const deletes = (providerId: string) => fake.requests.filter((request) => request.method === 'DELETE' && request.path === `/api/v1/subscriptions/${providerId}`);

  /** A monthly link with one buyer subscribed through KOMOJU (card saved, subscription created). */
  async function subscribedLink(productName = `Bread box ${++sequence}`): Promise<{ linkId: string; subscriptionId: string; providerId: string }> {
    const linkId = await seedLink(prisma, 'bakery', { productName, amount: 1000, testMode: true });
    const link = await prisma.link.update({ where: { id: linkId }, data: { billingInterval: 'month', paymentTypes: ['credit_card'] } });
    const deps = { prisma, db: database.db, config: harness.config, log: createLogger('silent') };
    const started = await startCheckout(deps, link, await orderAsRendered(prisma, link));
    if (started.kind !== 'redirect') throw new Error(`checkout did not start: ${started.kind}`);
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { id: started.checkoutId } });
    fake.saveCard(checkout.sessionId ?? '');
    const ensured = await ensureSubscription(deps, checkout.id);
    if (ensured.kind !== 'subscribed') throw new Error(`no subscription: ${ensured.kind}`);
    return { linkId, subscriptionId: ensured.subscription.id, providerId: ensured.subscription.providerSubscriptionId ?? '' };
  }

  it('the owner cancels from the transactions after a confirmation card; a double press calls KOMOJU once', async () => {
    // 80 characters of Japanese, the longest product names shops use.
    const { linkId, subscriptionId, providerId } = await subscribedLink('毎月届く焼きたてパンと季節のジャムの詰め合わせ'.repeat(3).slice(0, 80));
    const [transactions] = await tap(harness, 'Uowner', signedPostback('sales.transactions', [linkId]));
    const [carousel] = await tap(harness, 'Uowner', postbackData(transactions, 'Subscriptions'));
    const [bubble] = bubbles(carousel);
    expect(messageText(bubble!)).toContain('¥1,000 every month');
    expect(messageText(bubble!)).toContain(subscriptionId);
    const [card] = await tap(harness, 'Uowner', postbackData(bubble, 'Cancel subscription'));
    expect(messageText(card!)).toContain('Cancel the subscription of ¥1,000 every month?');
    const confirm = postbackData(card, 'Yes, cancel it');
    const [done] = await tap(harness, 'Uowner', confirm);
    expect(messageText(done!)).toContain('Subscription cancelled');
    const [stale] = await tap(harness, 'Uowner', confirm);
    expect(messageText(stale!)).toMatch(/no longer|ended|old/i);
    // Pressing Cancel subscription again on the old bubble: told it is already cancelled, nothing sent.
    const [again] = await tap(harness, 'Uowner', postbackData(bubble, 'Cancel subscription'));
    expect(messageText(again!)).toContain('already cancelled');

    expect(deletes(providerId)).toHaveLength(1);
    expect(fake.subscription(providerId).status).toBe('cancelled');
    expect(await prisma.subscription.findUniqueOrThrow({ where: { id: subscriptionId } })).toMatchObject({ status: 'cancelled' });
    // A late renewal event for it cannot bring it back.
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.subscriptionEvent('subscription.captured', providerId), WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.subscription.findUniqueOrThrow({ where: { id: subscriptionId } })).toMatchObject({ status: 'cancelled' });
  });

  it('two confirmations at once (two dialogs, the same subscription) call KOMOJU once', async () => {
    const { linkId, subscriptionId, providerId } = await subscribedLink();
    const [transactions] = await tap(harness, 'Uowner', signedPostback('sales.transactions', [linkId]));
    const [carousel] = await tap(harness, 'Uowner', postbackData(transactions, 'Subscriptions'));
    const [card] = await tap(harness, 'Uowner', postbackData(bubbles(carousel)[0], 'Cancel subscription'));
    const [cardKo] = await tap(harness, 'Uowko', signedPostback('subscriptions.cancel', [subscriptionId]));
    expect(messageText(cardKo!)).toContain('매월 ¥1,000 정기 결제를 해지할까요?');
    await Promise.all([tap(harness, 'Uowner', postbackData(card, 'Yes, cancel it')), tap(harness, 'Uowko', postbackData(cardKo, '이 정기 결제 해지하기'))]);
    expect(deletes(providerId)).toHaveLength(1);
    expect(await prisma.subscription.findUniqueOrThrow({ where: { id: subscriptionId } })).toMatchObject({ status: 'cancelled' });
  });

  it('staff see no Subscriptions button and are refused when they press a forged one', async () => {
    const { linkId, subscriptionId, providerId } = await subscribedLink();
    const [transactions] = await tap(harness, 'Ustaff', signedPostback('sales.transactions', [linkId]));
    expect(actionsOf(transactions!).map((action) => action.label)).not.toContain('Subscriptions');
    for (const [action, args] of [
      ['subscriptions.list', [linkId]],
      ['subscriptions.cancel', [subscriptionId]],
    ] as const) {
      const [refusal] = await tap(harness, 'Ustaff', signedPostback(action, [...args]));
      expect(messageText(refusal!)).toContain("Only the shop's owner can cancel subscriptions.");
    }
    expect(deletes(providerId)).toHaveLength(0);
    expect(await prisma.subscription.findUniqueOrThrow({ where: { id: subscriptionId } })).toMatchObject({ status: 'active' });
  });

  it('a one-time link’s transactions have no Subscriptions button', async () => {
    const linkId = await seedLink(prisma, 'bakery', { productName: `One loaf ${++sequence}`, amount: 500, testMode: true });
    await prisma.checkout.create({ data: { id: `chk_one_${sequence}`, linkId, provider: 'komoju' } });
    await prisma.payment.create({
      data: { id: `pay_one_${sequence}`, provider: 'komoju', linkId, checkoutId: `chk_one_${sequence}`, status: 'captured', amount: 500, currency: 'JPY', capturedAt: new Date() },
    });
    const [transactions] = await tap(harness, 'Uowner', signedPostback('sales.transactions', [linkId]));
    expect(actionsOf(transactions!).map((action) => action.label)).not.toContain('Subscriptions');
  });
});
