// Who creates a subscription link's subscription at KOMOJU: the return page, the customer.updated
// webhook, or both racing (and their retries) — always exactly ONE subscription per checkout.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { ensureSubscription } from '../../../src/payments/subscriptions/ensure-subscription.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';
import { formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';

const SECRET_KEY = 'sk_test_subs_race_0123456789';
const WEBHOOK_SECRET = 'whsec_subs_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('creating a subscription once through KOMOJU on %s', (kind) => {
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

  it('the return page and the customer.updated webhook racing create one subscription', async () => {
    const link = await seedLink(prisma, { productName: 'Bread club', amount: 2000, language: 'ko', billingInterval: 'year' });
    const sessionId = await subscribe(link);
    const customerId = fake.session(sessionId).customer_id ?? '';
    fake.saveCard(sessionId);
    const createsBefore = subscriptionCreates().length;
    fake.delayNext(2, 150);
    const [page, webhook, again] = await Promise.all([
      returnPage(link, sessionId),
      fake.sendWebhook(webhookUrl(), fake.customerEvent('customer.updated', customerId), WEBHOOK_SECRET),
      fake.sendWebhook(webhookUrl(), fake.customerEvent('customer.updated', customerId), WEBHOOK_SECRET),
    ]);
    expect(page.status).toBe(200);
    expect([200, 503]).toContain(webhook);
    expect([200, 503]).toContain(again);
    // KOMOJU redelivers what got 503: once more, after the creator finished.
    await fake.sendWebhook(webhookUrl(), fake.customerEvent('customer.updated', customerId), WEBHOOK_SECRET);
    expect(subscriptionCreates().slice(createsBefore)).toHaveLength(1);
    expect(fake.subscriptions().filter((subscription) => subscription.customer.uuid === customerId)).toHaveLength(1);
    expect(await prisma.subscription.count({ where: { linkId: link.linkId } })).toBe(1);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 2000, capturedPayments: 1 });
  });

  it('a customer.updated webhook alone (the buyer never came back) creates the subscription', async () => {
    const link = await seedLink(prisma, { productName: 'Soap club', amount: 1500, language: 'en', billingInterval: 'month' });
    const sessionId = await subscribe(link);
    const customerId = fake.session(sessionId).customer_id ?? '';
    // Before the buyer saved a card, the event creates nothing.
    expect(await fake.sendWebhook(webhookUrl(), fake.customerEvent('customer.created', customerId), WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.subscription.count({ where: { linkId: link.linkId } })).toBe(0);
    fake.saveCard(sessionId);
    expect(await fake.sendWebhook(webhookUrl(), fake.customerEvent('customer.updated', customerId), WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.subscription.findFirstOrThrow({ where: { linkId: link.linkId } })).toMatchObject({ status: 'active', interval: 'month' });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1500, capturedPayments: 1, pendingPayments: 0 });
  });
  it('five callers at once (return page, webhooks, retries) create one subscription at KOMOJU', async () => {
    const link = await seedLink(prisma, { productName: 'Flower club', amount: 3000, language: 'en', billingInterval: 'month' });
    const sessionId = await subscribe(link);
    fake.saveCard(sessionId);
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { sessionId } });
    const createsBefore = subscriptionCreates().length;
    const deps = { prisma, config: harness.config, log: createLogger('silent') };
    fake.delayNext(1, 200);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => ensureSubscription(deps, checkout.id)));
    const subscription = await prisma.subscription.findUniqueOrThrow({ where: { checkoutId: checkout.id } });
    // One start, one first payment: the facts each caller might have recorded are one event each.
    expect(await prisma.domainEvent.count({ where: { subjectId: subscription.id, type: 'subscriptions.started' } })).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: 'payments.captured', payload: { path: ['linkId'], equals: link.linkId } } })).toBe(1);
    expect(outcomes.every((outcome) => outcome.kind === 'subscribed' || outcome.kind === 'creating' || outcome.kind === 'not_ready')).toBe(true);
    expect(subscriptionCreates().slice(createsBefore)).toHaveLength(1);
    expect(await prisma.subscription.count({ where: { checkoutId: checkout.id } })).toBe(1);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 3000, capturedPayments: 1 });
  });

  it('a subscription KOMOJU refused to create is tried again on the next call, with the same idempotency key', async () => {
    const link = await seedLink(prisma, { productName: 'Herb club', amount: 900, language: 'en', billingInterval: 'month' });
    const sessionId = await subscribe(link);
    fake.saveCard(sessionId);
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { sessionId } });
    const deps = { prisma, config: harness.config, log: createLogger('silent') };
    const createsBefore = subscriptionCreates().length;
    // A refusal KOMOJU answered (4xx): nothing was made, so the claim is given back.
    fake.failNext(1, 422);
    expect((await ensureSubscription(deps, checkout.id, { sessionCompleted: true })).kind).toBe('provider_error');
    expect(await prisma.subscription.count({ where: { checkoutId: checkout.id } })).toBe(0);
    expect((await ensureSubscription(deps, checkout.id, { sessionCompleted: true })).kind).toBe('subscribed');
    const keys = subscriptionCreates()
      .slice(createsBefore)
      .map((request) => request.headers['x-komoju-idempotency']);
    expect(new Set(keys)).toEqual(new Set([`subscription-${checkout.id}`]));
    expect(fake.subscriptions().filter((subscription) => subscription.metadata.checkoutId === checkout.id)).toHaveLength(1);
  });
});
