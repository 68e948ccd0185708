// A monthly link against a fake KOMOJU speaking the documented wire format: Pay opens ONE
// customer-mode session (card only), the return page creates ONE subscription with the link's
// amount, currency and period, a signed renewal webhook adds one captured payment to the summary
// (a failed one none, with a notice), the merchant hears of each renewal, and the return page and
// the customer.updated webhook racing still create one subscription.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';
import { formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';

const SECRET_KEY = 'sk_test_subs_0123456789';
const WEBHOOK_SECRET = 'whsec_subs_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
// 80 characters of Japanese: what a shop may well call a monthly box.
const LONG_NAME = '季節の手作り和菓子と抹茶の定期便'.repeat(5);

describe.each(await databaseKinds())('subscription links through KOMOJU on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL },
  }));
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  const webhookUrl = () => `${harness.url}/webhooks/komoju`;

  async function subscribe(link: SeededLink): Promise<string> {
    const page = await (await fetch(`${harness.url}/l/${link.slug}`)).text();
    const response = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token: formTokenIn(page) }).toString(),
    });
    expect(response.status).toBe(303);
    const match = /\/sessions\/([a-z0-9]+)\/pay$/.exec(response.headers.get('location') ?? '');
    if (!match?.[1]) throw new Error('not a fake KOMOJU session URL');
    return match[1];
  }

  const returnPage = (link: SeededLink, sessionId: string) => fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`);
  const subscriptionCreates = () => fake.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/subscriptions');

  it('a monthly link opens one card-only customer session, then creates one subscription with the link’s amount, currency and period', async () => {
    const link = await seedLink(prisma, { productName: LONG_NAME, amount: 1000, language: 'ja', billingInterval: 'month' });
    const page = await (await fetch(`${harness.url}/l/${link.slug}`)).text();
    expect(page).toContain('毎月 ¥1,000・カード払いのみ・解約するまで自動で更新');
    const sessionsBefore = fake.sessions().length;
    const createsBefore = subscriptionCreates().length;

    const sessionId = await subscribe(link);
    expect(fake.sessions().length).toBe(sessionsBefore + 1);
    const session = fake.session(sessionId);
    expect(session).toMatchObject({ mode: 'customer', amount: 1000, currency: 'JPY', payment_types: ['credit_card'] });
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { sessionId } });
    expect(checkout.customerId).toBe(session.customer_id);

    fake.saveCard(sessionId);
    const back = await returnPage(link, sessionId);
    expect(back.status).toBe(200);
    const body = await back.text();
    expect(body).toContain('data-testid="paid"');
    expect(body).toContain('定期購入が始まりました');
    expect(body).toContain('毎月 ¥1,000');

    const creates = subscriptionCreates().slice(createsBefore);
    expect(creates).toHaveLength(1);
    expect(creates[0]?.body).toMatchObject({ customer: session.customer_id, amount: 1000, currency: 'JPY', period: 'monthly' });
    expect(creates[0]?.headers['x-komoju-idempotency']).toBe(`subscription-${checkout.id}`);
    const subscription = await prisma.subscription.findUniqueOrThrow({ where: { checkoutId: checkout.id } });
    expect(subscription).toMatchObject({ status: 'active', amount: 1000, currency: 'JPY', interval: 'month', linkId: link.linkId, customerId: session.customer_id });
    expect(subscription.providerSubscriptionId).not.toBeNull();
    // The first period, charged at once, is the link's first captured payment.
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1000, capturedPayments: 1, pendingPayments: 0 });
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(String(notice?.message.text)).toContain('New subscription');

    // Reloading the return page creates nothing more.
    await returnPage(link, sessionId);
    expect(subscriptionCreates().slice(createsBefore)).toHaveLength(1);
  });

  it('a signed renewal webhook adds exactly one captured payment; a failed renewal adds none and tells the merchant', async () => {
    const link = await seedLink(prisma, { productName: 'Coffee club', amount: 1200, language: 'en', billingInterval: 'month' });
    const sessionId = await subscribe(link);
    fake.saveCard(sessionId);
    await returnPage(link, sessionId);
    const subscription = await prisma.subscription.findFirstOrThrow({ where: { linkId: link.linkId } });
    const providerId = subscription.providerSubscriptionId ?? '';
    await harness.line.waitForMessages(link.creatorId, 1);

    fake.renew(providerId, 'captured');
    const renewal = fake.subscriptionEvent('subscription.captured', providerId);
    expect(await fake.sendWebhook(webhookUrl(), renewal, WEBHOOK_SECRET)).toBe(200);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 2400, capturedPayments: 2, pendingPayments: 0 });
    const renewed = await harness.line.waitForMessages(link.creatorId, 2);
    expect(String(renewed[1]?.message.text)).toContain('Subscription renewed');
    expect(String(renewed[1]?.message.text)).toContain('Coffee club: ¥1,200 (payment no. 2)');

    // KOMOJU redelivering the same event changes nothing.
    expect(await fake.sendWebhook(webhookUrl(), renewal, WEBHOOK_SECRET)).toBe(200);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedPayments: 2 });

    fake.renew(providerId, 'failed');
    expect(await fake.sendWebhook(webhookUrl(), fake.subscriptionEvent('subscription.failed', providerId), WEBHOOK_SECRET)).toBe(200);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 2400, capturedPayments: 2, pendingPayments: 0 });
    const failed = await harness.line.waitForMessages(link.creatorId, 3);
    expect(String(failed[2]?.message.text)).toContain('Subscription renewal failed');

    // A third period: one more, and the count in the notice follows.
    fake.renew(providerId, 'captured');
    expect(await fake.sendWebhook(webhookUrl(), fake.subscriptionEvent('subscription.captured', providerId), WEBHOOK_SECRET)).toBe(200);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 3600, capturedPayments: 3 });
    const third = await harness.line.waitForMessages(link.creatorId, 4);
    expect(String(third[3]?.message.text)).toContain('(payment no. 3)');

    // Transactions number the captured ones as the notices do and mark the failed renewal.
    const listed = await listTransactions(prisma, link.linkId);
    expect(listed.items.map((item) => [item.state, item.subscriptionPayment])).toEqual([
      ['captured', 3],
      ['unsuccessful', 0],
      ['captured', 2],
      ['captured', 1],
    ]);
  });

  it('a renewal’s own payment.captured (no session, the customer set) counts for the link once', async () => {
    const link = await seedLink(prisma, { productName: 'Tea club', amount: 800, language: 'en', billingInterval: 'week' });
    const sessionId = await subscribe(link);
    fake.saveCard(sessionId);
    await returnPage(link, sessionId);
    const subscription = await prisma.subscription.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(subscriptionCreates().at(-1)?.body).toMatchObject({ period: 'weekly', amount: 800 });
    const payment = fake.renew(subscription.providerSubscriptionId ?? '', 'captured');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    expect(await fake.sendWebhook(webhookUrl(), fake.subscriptionEvent('subscription.captured', subscription.providerSubscriptionId ?? ''), WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ linkId: link.linkId, subscriptionId: subscription.id, checkoutId: subscription.checkoutId });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1600, capturedPayments: 2, pendingPayments: 0 });
  });
});
