// Reconciliation against the fake KOMOJU: a payment captured at KOMOJU whose webhook never came is
// found and repaired (and an awaiting konbini payment paid since, by id), a second run reports no
// differences; the hourly job records its next run. On both databases.
import { describe, expect, it } from 'vitest';
import type { HandlerDeps } from '../../../src/events/domain-events.js';
import { createLogger } from '../../../src/logger.js';
import { paymentsReconcileHandlers, reconcileDedupeKey } from '../../../src/payments/reconcile/reconcile-handlers.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { runAdminInProcess } from '../../support/admin-cli.js';
import { formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_reconcile_0123456789';
const WEBHOOK_SECRET = 'whsec_reconcile_0123456789';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('payment:reconcile against KOMOJU on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL },
  }));

  async function startCheckout(link: SeededLink): Promise<string> {
    await prisma.rateLimit.deleteMany();
    const page = await (await fetch(`${harness.url}/l/${link.slug}`)).text();
    const response = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token: formTokenIn(page) }).toString(),
    });
    expect(response.status).toBe(303);
    return /\/sessions\/([a-z0-9]+)\/pay$/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  }

  const reconcile = async (flags: Record<string, string | true> = {}) => {
    const { outcome } = await runAdminInProcess('payment:reconcile', flags, { config: harness.config, db: database.db });
    expect(outcome.exitCode).toBe(0);
    return outcome.json as { checked: number; differences: { paymentId: string; field: string; ours: unknown; provider: unknown }[]; repaired: number };
  };

  it('finds a captured payment whose webhook never came, repairs the ledger, and finds nothing the second time', async () => {
    const link = await seedLink(prisma, { productName: 'Lost webhook', amount: 2500, language: 'en' });
    const paid = fake.completeSession(await startCheckout(link), 'captured');
    expect(await prisma.payment.count({ where: { id: paid.id } })).toBe(0);

    const first = await reconcile();
    expect(first.differences).toContainEqual({ paymentId: paid.id, field: 'presence', ours: null, provider: 'captured' });
    expect(first.repaired).toBeGreaterThanOrEqual(1);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ status: 'captured', linkId: link.linkId, total: 2500 });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 2500, capturedPayments: 1 });

    const second = await reconcile();
    expect(second.checked).toBeGreaterThanOrEqual(1);
    expect(second.differences).toEqual([]);
    expect(second.repaired).toBe(0);
  });

  it('reads an awaiting konbini payment by id, however old, and repairs its capture', async () => {
    const link = await seedLink(prisma, { productName: 'Konbini later', amount: 1800, language: 'ja' });
    const awaiting = fake.completeSession(await startCheckout(link), 'authorized');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.authorized', awaiting.id), WEBHOOK_SECRET)).toBe(200);
    await harness.server.worker.idle();
    fake.capture(awaiting.id);
    // Created before --since: only the read by id can see it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const report = await reconcile({ since: new Date().toISOString() });
    expect(report.differences).toContainEqual({ paymentId: awaiting.id, field: 'status', ours: 'authorized', provider: 'captured' });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: awaiting.id } })).toMatchObject({ status: 'captured' });
    expect((await reconcile()).differences).toEqual([]);
  });

  it('compares and repairs the awaiting deadline and the capture time the merge kept', async () => {
    const link = await seedLink(prisma, { productName: 'Drifted times', amount: 1200, language: 'en' });
    const awaiting = fake.completeSession(await startCheckout(link), 'authorized');
    const captured = fake.completeSession(await startCheckout(link), 'captured');
    for (const [type, id] of [
      ['payment.authorized', awaiting.id],
      ['payment.captured', captured.id],
    ] as const) {
      expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event(type, id), WEBHOOK_SECRET)).toBe(200);
    }
    // Our rows drifted from KOMOJU's: a deadline it does not have, a capture time before its own
    // (the merge keeps the earliest capture and any deadline it had, so no event would undo these).
    const wrongDeadline = new Date('2026-12-01T00:00:00.000Z');
    const earlyCapture = new Date('2026-11-01T00:00:00.000Z');
    await prisma.payment.update({ where: { id: awaiting.id }, data: { paymentDeadline: wrongDeadline } });
    await prisma.payment.update({ where: { id: captured.id }, data: { capturedAt: earlyCapture } });

    const report = await reconcile({ since: new Date(Date.parse(awaiting.created_at) - 1000).toISOString() });
    expect(report.differences).toContainEqual({ paymentId: awaiting.id, field: 'paymentDeadline', ours: wrongDeadline.toISOString(), provider: awaiting.payment_deadline });
    expect(report.differences).toContainEqual({ paymentId: captured.id, field: 'capturedAt', ours: earlyCapture.toISOString(), provider: captured.captured_at });
    expect(report.repaired).toBeGreaterThanOrEqual(2);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: awaiting.id } })).paymentDeadline?.toISOString()).toBe(awaiting.payment_deadline);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: captured.id } })).capturedAt?.toISOString()).toBe(captured.captured_at);
    expect((await reconcile()).differences).toEqual([]);
  });

  it('reads a stored event it could not read once: merged, then resolved and not read again', async () => {
    const link = await seedLink(prisma, { productName: 'Unreadable event', amount: 700, language: 'en' });
    const paid = fake.completeSession(await startCheckout(link), 'captured');
    // A signed payment.captured whose data we cannot read (a fractional amount): stored, not applied.
    const event = fake.event('payment.captured', paid.id);
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, { ...event, data: { ...event.data, amount: 700.5 } }, WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.payment.count({ where: { id: paid.id } })).toBe(0);
    const reads = () => fake.requests.filter((request) => request.method === 'GET' && request.path === `/api/v1/payments/${paid.id}`).length;

    // Listed by time range it would be compared anyway: --since now leaves only the stored event to find it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = await reconcile({ since: new Date().toISOString() });
    expect(first.differences).toContainEqual({ paymentId: paid.id, field: 'presence', ours: null, provider: 'captured' });
    expect(reads()).toBe(1);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ status: 'captured', linkId: link.linkId });
    expect(await prisma.providerEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ paymentId: paid.id });

    const second = await reconcile({ since: new Date().toISOString() });
    expect(second.differences).toEqual([]);
    expect(reads()).toBe(1);
  });

  it('refuses a bad --since with exit code 2', async () => {
    const { outcome } = await runAdminInProcess('payment:reconcile', { since: 'yesterday' }, { config: harness.config, db: database.db });
    expect(outcome.exitCode).toBe(2);
  });

  it('the hourly job reconciles and records its next run an hour later, once', async () => {
    const link = await seedLink(prisma, { productName: 'Hourly', amount: 900, language: 'en' });
    const paid = fake.completeSession(await startCheckout(link), 'captured');
    const now = new Date();
    // Every server start schedules a run ten minutes on (a chain with no webhook to start it)…
    const seeded = await prisma.domainEvent.findFirstOrThrow({ where: { type: 'payments.reconcileDue', status: 'pending' } });
    expect(seeded.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    // …which could share the next run's hour key: the handler is tested without it.
    await prisma.domainEvent.deleteMany({ where: { type: 'payments.reconcileDue' } });
    const handler = paymentsReconcileHandlers.on['payments.reconcileDue'];
    // The reconcile handler sends no LINE message.
    const deps = { prisma, config: harness.config, log: createLogger('silent'), now: () => now, line: undefined as never } satisfies HandlerDeps;
    const event = { id: 'evt-reconcile-1', type: 'payments.reconcileDue' as const, subjectId: null, merchantId: null, payload: { since: null }, attempts: 1, createdAt: now };
    await handler?.(event, deps);
    await handler?.(event, deps);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ status: 'captured' });
    const next = await prisma.domainEvent.findMany({ where: { dedupeKey: reconcileDedupeKey(new Date(now.getTime() + 3_600_000)) } });
    expect(next).toHaveLength(1);
    expect(next[0]?.nextAttemptAt?.getTime()).toBe(now.getTime() + 3_600_000);
  });
});
