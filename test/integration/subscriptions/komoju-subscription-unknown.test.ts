// A subscription create or cancel at KOMOJU whose outcome is unknown (the answer lost, a timeout,
// a 5xx) is decided by reading KOMOJU — never by a second blind create. The claim on the checkout
// is kept until KOMOJU shows what happened.
import { describe, expect, it } from 'vitest';
import { adminCommands } from '../../../src/cli/command-list.js';
import type { CliContext } from '../../../src/cli/commands.js';
import { createLogger } from '../../../src/logger.js';
import { cancelSubscription } from '../../../src/payments/subscriptions/cancel-subscription.js';
import { ensureSubscription } from '../../../src/payments/subscriptions/ensure-subscription.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { runAdminInProcess } from '../../support/admin-cli.js';
import { formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { databaseKinds } from '../../support/databases.js';
import { LogCapture } from '../../support/line-harness.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_subs_unknown_0123456789';
const WEBHOOK_SECRET = 'whsec_subs_unknown_0123456789';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
const CREATE = /^\/api\/v1\/subscriptions$/;

describe.each(await databaseKinds())('unknown subscription outcomes at KOMOJU on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL },
  }));
  const deps = () => ({ prisma, config: harness.config, log: createLogger('silent') });
  const creates = () => fake.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/subscriptions');

  async function savedCard(link: SeededLink): Promise<{ checkoutId: string; customerId: string; sessionId: string }> {
    await prisma.rateLimit.deleteMany();
    const page = await (await fetch(`${harness.url}/l/${link.slug}`)).text();
    const response = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token: formTokenIn(page) }).toString(),
    });
    const sessionId = /\/sessions\/([a-z0-9]+)\/pay$/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
    fake.saveCard(sessionId);
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { sessionId } });
    return { checkoutId: checkout.id, customerId: fake.session(sessionId).customer_id ?? '', sessionId };
  }

  async function listed(slug: string): Promise<Record<string, unknown>> {
    const command = adminCommands.find((candidate) => candidate.name === 'subscription:list');
    if (!command) throw new Error('no subscription:list');
    const context: CliContext = { config: harness.config, db: database.db, log: createLogger('silent', new LogCapture()), flags: new Map([['link', slug]]), stdin: process.stdin };
    return (await command.run(context)).json;
  }

  it('a create whose every answer was lost is found at KOMOJU and recorded: listed, paid on the return page, one subscription', async () => {
    const link = await seedLink(prisma, { productName: 'Tea club', amount: 1200, language: 'en', billingInterval: 'month' });
    const { checkoutId, customerId, sessionId } = await savedCard(link);
    const before = creates().length;
    // KOMOJU makes it, and every answer (the first and both retries with the same key) is cut.
    fake.loseAnswer({ method: 'POST', path: CREATE, count: 3 });
    const outcome = await ensureSubscription(deps(), checkoutId, { sessionCompleted: true });
    expect(outcome.kind).toBe('subscribed');
    expect(
      creates()
        .slice(before)
        .map((request) => request.headers['x-komoju-idempotency']),
    ).toEqual(Array(3).fill(`subscription-${checkoutId}`));
    const atKomoju = fake.subscriptions().filter((subscription) => subscription.customer.uuid === customerId);
    expect(atKomoju).toHaveLength(1);
    expect(await prisma.subscription.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({ status: 'active', providerSubscriptionId: atKomoju[0]?.id });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1200, capturedPayments: 1 });
    expect(JSON.stringify(await listed(link.slug))).toContain(atKomoju[0]?.id ?? 'missing');
    const page = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    expect(page).toContain('data-testid="paid"');
  });

  it('unknown and not readable: the claim stays (no second create); whoever takes it over reads KOMOJU first', async () => {
    const link = await seedLink(prisma, { productName: 'Rice club', amount: 800, language: 'ja', billingInterval: 'month' });
    const { checkoutId, customerId } = await savedCard(link);
    const before = creates().length;
    fake.loseAnswer({ method: 'POST', path: CREATE, count: 3, status: 504 });
    fake.loseAnswer({ method: 'GET', path: CREATE, count: 3, status: 503 });
    expect((await ensureSubscription(deps(), checkoutId, { sessionCompleted: true })).kind).toBe('creating');
    expect(await prisma.subscription.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({ status: 'creating' });
    // Another caller meanwhile (the webhook, a reload) does not create again.
    expect((await ensureSubscription(deps(), checkoutId, { sessionCompleted: true })).kind).toBe('creating');
    expect(creates().length - before).toBe(3);
    // The claim's creator is gone and nobody came back: after CLAIM_SECONDS the reconciliation takes
    // it over, reads KOMOJU, and records what it finds.
    await prisma.subscription.updateMany({ where: { checkoutId }, data: { updatedAt: new Date(Date.now() - 120_000) } });
    const { outcome } = await runAdminInProcess('payment:reconcile', {}, { config: harness.config, db: database.db });
    expect(outcome.exitCode).toBe(0);
    expect(await prisma.subscription.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({ status: 'active' });
    expect(creates().length - before).toBe(3);
    expect(fake.subscriptions().filter((subscription) => subscription.customer.uuid === customerId)).toHaveLength(1);
  });

  it('nothing made and nothing readable: the take-over repeats the create with the SAME key and body', async () => {
    const link = await seedLink(prisma, { productName: 'Bean club', amount: 700, language: 'ko', billingInterval: 'week' });
    const { checkoutId, customerId } = await savedCard(link);
    const before = creates().length;
    fake.failNext(3, 503);
    expect((await ensureSubscription(deps(), checkoutId, { sessionCompleted: true })).kind).toBe('creating');
    await prisma.subscription.updateMany({ where: { checkoutId }, data: { updatedAt: new Date(Date.now() - 120_000) } });
    expect((await ensureSubscription(deps(), checkoutId, { sessionCompleted: true })).kind).toBe('subscribed');
    const sent = creates().slice(before);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((request) => request.headers['x-komoju-idempotency']))).toEqual(new Set([`subscription-${checkoutId}`]));
    expect(new Set(sent.map((request) => JSON.stringify(request.body))).size).toBe(1);
    expect(fake.subscriptions().filter((subscription) => subscription.customer.uuid === customerId)).toHaveLength(1);
  });

  it('a cancel whose answers were lost is decided by reading the subscription: cancelled here too', async () => {
    const link = await seedLink(prisma, { productName: 'Milk club', amount: 500, language: 'en', billingInterval: 'month' });
    const { checkoutId } = await savedCard(link);
    expect((await ensureSubscription(deps(), checkoutId, { sessionCompleted: true })).kind).toBe('subscribed');
    const row = await prisma.subscription.findUniqueOrThrow({ where: { checkoutId } });
    fake.loseAnswer({ method: 'DELETE', path: /^\/api\/v1\/subscriptions\/[^/]+$/, count: 3 });
    const outcome = await cancelSubscription(deps(), { subscriptionId: row.id });
    expect(outcome).toMatchObject({ ok: true, already: false });
    expect(fake.subscription(row.providerSubscriptionId ?? '').status).toBe('cancelled');
    expect(await prisma.subscription.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'cancelled' });
  });
});
