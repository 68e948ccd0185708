// The offer rule end to end, over HTTP on both databases: the page as rendered is what the
// checkout accepts (the last place of a limited, ranged link sells), payments awaiting at a konbini
// hold their places and code uses until paid or past their deadline, and a declined attempt gives
// nothing back while its session can still be paid.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscountCode } from '../../../src/discounts/create-code.js';
import { codeUses } from '../../../src/discounts/code-uses.js';
import { readLinkOffer } from '../../../src/payments/link-offer.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import { formAsRendered, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_offer_0123456789';
const WEBHOOK_SECRET = 'whsec_offer_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('what the page offers is what the checkout takes, on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL, TRUST_PROXY: 'loopback' },
  }));
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  async function openPage(slug: string): Promise<{ status: number; body: string; retryAfter: string | null }> {
    const response = await fetch(`${harness.url}/l/${slug}`);
    return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
  }

  function post(link: SeededLink, fields: Record<string, string>, client: string): Promise<Response> {
    return fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Pay pressed on the page exactly as it was rendered. */
  async function payAsRendered(link: SeededLink, client: string, extra: Record<string, string> = {}): Promise<Response> {
    const page = await openPage(link.slug);
    const form = formAsRendered(page.body);
    if (!form) throw new Error(`no Pay form on the page (HTTP ${page.status})`);
    return post(link, { ...form, ...extra }, client);
  }

  async function metricValue(name: string, reason: string): Promise<number> {
    const metric = await harness.server.metrics.registry.getSingleMetric(name)?.get();
    return metric?.values.find((value) => value.labels.reason === reason)?.value ?? 0;
  }

  async function webhook(type: string, paymentId: string): Promise<void> {
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event(type, paymentId), WEBHOOK_SECRET)).toBe(200);
  }

  async function capture(response: Response): Promise<void> {
    const payment = fake.completeSession(sessionIdFrom(response), 'captured');
    await webhook('payment.captured', payment.id);
  }

  it('sells the last place of a limited, ranged link: usage limit 3, quantity 1–5, two sold → Pay as rendered → 303', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 400, quantityMin: 1, quantityMax: 5, usageLimit: 3 });
    await capture(await payAsRendered(link, '203.0.113.1', { quantity: '2' }));
    const page = await openPage(link.slug);
    expect(page.status).toBe(200);
    // One place left: no quantity to choose, so the page has no quantity field…
    expect(page.body).not.toContain('name="quantity"');
    expect(page.body).toContain('Pay ¥400');
    // …and the form as it stands buys that one.
    const last = await post(link, formAsRendered(page.body) ?? {}, '203.0.113.2');
    expect(last.status).toBe(303);
    expect(fake.session(sessionIdFrom(last)).amount).toBe(400);
    await capture(last);
    const closed = await openPage(link.slug);
    expect(closed.status).toBe(410);
    expect(closed.body).toContain('all places have been taken');
  });

  it('holds the last place for a konbini payment until its deadline: a card buyer gets 409 and the time, then buys once it expired', async () => {
    const link = await seedLink(prisma, { language: 'en', usageLimit: 1 });
    const started = await payAsRendered(link, '203.0.113.10');
    expect(started.status).toBe(303);
    const sessionId = sessionIdFrom(started);
    const konbini = fake.completeSession(sessionId, 'authorized');
    await webhook('payment.authorized', konbini.id);
    // The buyer comes back from KOMOJU: the checkout is done, the payment awaits the store.
    expect((await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).status).toBe(200);

    const page = await openPage(link.slug);
    expect(page.status).toBe(409);
    expect(page.body).toContain('being paid for at a convenience store or bank');
    expect(Number(page.retryAfter)).toBeGreaterThan(2 * 86_400);
    expect(page.body).not.toContain('name="token"');
    const linkRow = await prisma.link.findUniqueOrThrow({ where: { id: link.linkId } });
    // Long after a checkout's 15-minute hold, the awaiting payment still holds the place.
    expect(await readLinkOffer(prisma, linkRow, new Date(Date.now() + 60 * 60_000), { codes: false })).toMatchObject({ open: false, reason: 'reserved', byAwaiting: true });

    fake.expire(konbini.id);
    await webhook('payment.expired', konbini.id);
    const buyer = await payAsRendered(link, '198.51.100.11');
    expect(buyer.status).toBe(303);
  });

  it('a stale tab cannot start a card checkout while a konbini payment holds the only place', async () => {
    const link = await seedLink(prisma, { language: 'en', usageLimit: 1 });
    const staleForm = formAsRendered((await openPage(link.slug)).body) ?? {};
    const konbini = fake.completeSession(sessionIdFrom(await post(link, staleForm, '203.0.113.20')), 'authorized');
    await webhook('payment.authorized', konbini.id);
    const refused = await post(link, staleForm, '198.51.100.21');
    expect(refused.status).toBe(409);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.text()).toContain('being paid for at a convenience store or bank');
  });

  it('holds a capped code’s use for a konbini payment until it expires', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 3000 });
    const code = await createDiscountCode(prisma, { merchantId: link.merchantId, code: 'KONBINI1', off: { kind: 'amount', amount: 500, currency: 'JPY' }, usageCap: 1, expiresAt: null, linkIds: [] });
    if (code.kind !== 'created') throw new Error(`code not created: ${code.kind}`);
    const codeId = code.code.id;
    const first = await payAsRendered(link, '203.0.113.30', { code: 'KONBINI1' });
    expect(first.status).toBe(303);
    const konbini = fake.completeSession(sessionIdFrom(first), 'authorized');
    await webhook('payment.authorized', konbini.id);
    expect(await codeUses(prisma, codeId, new Date(Date.now() + 60 * 60_000))).toBe(1);
    const second = await payAsRendered(link, '198.51.100.31', { code: 'KONBINI1' });
    expect(second.status).toBe(422);
    expect(await second.text()).toContain('data-testid="code-error"');
    fake.expire(konbini.id);
    await webhook('payment.expired', konbini.id);
    expect((await payAsRendered(link, '198.51.100.31', { code: 'KONBINI1' })).status).toBe(303);
  });

  it('counts a provider that cannot open a session as failed (502), a closed link as refused (410)', async () => {
    const failedBefore = await metricValue('buyer_requests_failed_total', 'provider_error');
    const link = await seedLink(prisma, { language: 'en' });
    fake.failNext(3, 500);
    expect((await payAsRendered(link, '203.0.113.50')).status).toBe(502);
    expect(await metricValue('buyer_requests_failed_total', 'provider_error')).toBe(failedBefore + 1);
    const refusedBefore = await metricValue('buyer_requests_refused_total', 'inactive');
    await prisma.link.update({ where: { id: link.linkId }, data: { status: 'inactive' } });
    expect((await openPage(link.slug)).status).toBe(410);
    expect(await metricValue('buyer_requests_refused_total', 'inactive')).toBe(refusedBefore + 1);
    expect(await metricValue('buyer_requests_failed_total', 'provider_error')).toBe(failedBefore + 1);
  });

  it('cannot sell 6 on a limit-3 link when payments are declined and retried', async () => {
    const link = await seedLink(prisma, { language: 'en', usageLimit: 3 });
    const buyers = ['203.0.113.41', '203.0.113.42', '203.0.113.43'];
    const sessions: string[] = [];
    const tab = formAsRendered((await openPage(link.slug)).body) ?? {};
    for (const client of buyers) {
      const response = await post(link, tab, client);
      expect(response.status).toBe(303);
      const sessionId = sessionIdFrom(response);
      sessions.push(sessionId);
      const declined = fake.completeSession(sessionId, 'failed');
      await webhook('payment.failed', declined.id);
    }
    // The declined sessions can still be paid: their places stay held.
    for (const client of ['198.51.100.44', '198.51.100.45', '198.51.100.46']) {
      const response = await post(link, tab, client);
      expect(response.status).toBe(409);
    }
    // Each declined buyer presses Pay again: back to its own session, and pays there.
    for (const [index, client] of buyers.entries()) {
      const again = await post(link, tab, client);
      expect(again.status).toBe(303);
      expect(sessionIdFrom(again)).toBe(sessions[index]);
      const paid = fake.completeSession(sessions[index] ?? '', 'captured');
      await webhook('payment.captured', paid.id);
    }
    expect((await getLinkSummary(prisma, link.linkId)).capturedPayments).toBe(3);
    expect((await openPage(link.slug)).status).toBe(410);
  });
});
