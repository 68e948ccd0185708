// A flash sale, as an integration test (issue 26): a link limited to 20 under 80 buyers from
// their own addresses, 40 at a time, each opening the page and pressing Pay on it as rendered.
// Exactly 20 sessions open at KOMOJU; every other buyer gets an honest 409 (all places held, with
// Retry-After) or 410 (sold out) page in the link's language — never a 5xx, which an operator's
// alert would read as an outage — and /metrics counts them as refused by rule, not as failures.
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { formAsRendered, seedLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_contention_0123456789';
const WEBHOOK_SECRET = 'whsec_contention_0123456789abcdef';
// Two waves of 40 on 20 places: the race is within a wave. The 300-buyer crowd is `npm run bench -- checkout`.
const BUYERS = 80;
const AT_A_TIME = 40;
const LIMIT = 20;

describe.each(await databaseKinds())('a flash sale on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL: 'http://127.0.0.1:1', TRUST_PROXY: 'loopback' },
  }));

  /** One buyer from its own address: the page, then Pay on the form as rendered (when there is one). */
  async function buyer(slug: string, index: number): Promise<{ statuses: number[]; sessionId: string | null; body: string }> {
    const client = `10.${Math.floor(index / 250)}.${index % 250}.7`;
    const page = await fetch(`${harness.url}/l/${slug}`, { headers: { 'X-Forwarded-For': client } });
    const body = await page.text();
    const form = formAsRendered(body);
    if (page.status !== 200 || !form) return { statuses: [page.status], sessionId: null, body };
    const pay = await fetch(`${harness.url}/l/${slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams(form).toString(),
    });
    const payBody = await pay.text();
    return { statuses: [page.status, pay.status], sessionId: pay.status === 303 ? sessionIdFrom(pay) : null, body: payBody };
  }

  async function crowd(slug: string, count: number, offset: number): Promise<Awaited<ReturnType<typeof buyer>>[]> {
    const results: Awaited<ReturnType<typeof buyer>>[] = [];
    for (let start = 0; start < count; start += AT_A_TIME) {
      const wave = Array.from({ length: Math.min(AT_A_TIME, count - start) }, (_, index) => buyer(slug, offset + start + index));
      results.push(...(await Promise.all(wave)));
    }
    return results;
  }

  it(`opens exactly ${LIMIT} sessions for ${BUYERS} buyers, answers the rest 409 then 410, and never 5xx`, async () => {
    const link = await seedLink(prisma, { productName: 'Flash tea', language: 'en', usageLimit: LIMIT });
    const sessionsBefore = fake.sessions().length;
    const results = await crowd(link.slug, BUYERS, 0);
    const statuses = results.flatMap((result) => result.statuses);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 303, 409]));
    const opened = results.flatMap((result) => (result.sessionId ? [result.sessionId] : []));
    expect(opened).toHaveLength(LIMIT);
    expect(fake.sessions().length - sessionsBefore).toBe(LIMIT);
    const held = results.find((result) => result.statuses.at(-1) === 409);
    expect(held?.body).toContain('Temporarily unavailable');

    // Every held place is paid: the link is sold out for the next buyers, for good (410).
    for (const sessionId of opened) {
      const payment = fake.completeSession(sessionId, 'captured');
      expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    }
    const late = await crowd(link.slug, AT_A_TIME, BUYERS);
    expect(late.map((result) => result.statuses)).toEqual(Array(AT_A_TIME).fill([410]));
    expect(late[0]?.body).toContain('all places have been taken');

    const refused = await harness.server.metrics.registry.getSingleMetric('buyer_requests_refused_total')?.get();
    const byReason: Record<string, number> = Object.fromEntries((refused?.values ?? []).map((value) => [value.labels.reason, value.value]));
    expect(byReason.reserved).toBe(statuses.filter((status) => status === 409).length);
    expect(byReason.used_up).toBe(AT_A_TIME);
    const failed = await harness.server.metrics.registry.getSingleMetric('buyer_requests_failed_total')?.get();
    expect(failed?.values ?? []).toEqual([]);
  }, 180_000);
});
