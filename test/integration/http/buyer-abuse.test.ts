// Strangers against the buyer pages: spoofed client addresses, one client holding a usage-limited
// link shut, a return page that spends the shop's KOMOJU quota, uploads that hold a connection,
// and where the Pay form may lead. Real server, fake KOMOJU on loopback.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { formTokenIn, seedLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { startFakeKomoju, type FakeKomoju } from '../../support/fake-komoju.js';
import { startLineHarness, type LineHarness } from '../../support/line-harness.js';

const SECRET_KEY = 'sk_test_abuse_0123456789';
const WEBHOOK_SECRET = 'whsec_abuse_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('buyer pages under abuse on %s', (kind) => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeKomoju;
  // Behind a proxy on loopback (TRUST_PROXY=loopback), and exposed directly (no TRUST_PROXY).
  let proxied: LineHarness;
  let direct: LineHarness;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.db.prisma;
    fake = await startFakeKomoju({ secretKey: SECRET_KEY });
    const env = { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL };
    proxied = await startLineHarness({ db: database.db, env: { ...env, TRUST_PROXY: 'loopback' } });
    direct = await startLineHarness({ db: database.db, env });
  });
  afterAll(async () => {
    await proxied?.stop();
    await direct?.stop();
    await fake?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });

  async function tokenFor(harness: LineHarness, slug: string): Promise<string> {
    return formTokenIn(await (await fetch(`${harness.url}/l/${slug}`)).text());
  }

  function pressPay(harness: LineHarness, slug: string, token: string, forwardedFor?: string): Promise<Response> {
    return fetch(`${harness.url}/l/${slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: harness.url,
        ...(forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor }),
      },
      body: new URLSearchParams({ token }).toString(),
    });
  }

  /**
   * Calls `attempt` until it answers 429 (at most `max` times); returns how many passed before.
   * Limits count per wall-clock minute, so a run crossing a minute boundary passes up to twice.
   */
  async function passesBeforeRefusal(attempt: (index: number) => Promise<Response>, max: number): Promise<number> {
    for (let index = 0; index < max; index++) {
      const response = await attempt(index);
      await response.arrayBuffer();
      if (response.status === 429) return index;
      expect(response.status).toBeLessThan(400);
    }
    throw new Error(`no 429 after ${max} attempts`);
  }

  const sessionCreates = (linkId: string) => fake.requests.filter((request) => request.method === 'POST' && (request.body as { metadata?: { linkId?: string } }).metadata?.linkId === linkId).length;

  async function payAndConfirm(sessionId: string): Promise<void> {
    const payment = fake.completeSession(sessionId, 'captured');
    expect(await fake.sendWebhook(`${proxied.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
  }

  describe('client addresses (TRUST_PROXY)', () => {
    it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy: 10 presses a minute, however many addresses a client claims', async () => {
      const link = await seedLink(prisma);
      const token = await tokenFor(direct, link.slug);
      const passed = await passesBeforeRefusal((press) => pressPay(direct, link.slug, token, `203.0.113.${press + 1}`), 25);
      expect(passed).toBeGreaterThanOrEqual(10);
      expect(passed).toBeLessThanOrEqual(20);
      // Many requests: a few seconds, more on a busy machine.
    }, 60_000);

    it('keys only on valid addresses from a trusted proxy, and IPv6 clients by their /64', async () => {
      const link = await seedLink(prisma);
      const token = await tokenFor(proxied, link.slug);
      // Not addresses: each falls back to the proxy's own address, one bucket.
      const junk = await passesBeforeRefusal((press) => pressPay(proxied, link.slug, token, `${'x'.repeat(8 * 1024)}${press}`), 25);
      expect(junk).toBeGreaterThanOrEqual(10);
      expect(junk).toBeLessThanOrEqual(20);
      expect(proxied.logs.text()).not.toContain('x'.repeat(100));

      // Hosts of one /64 are one client; another /64 is another.
      const sameNetwork = await passesBeforeRefusal((press) => pressPay(proxied, link.slug, token, `2001:db8:1:2::${(press + 1).toString(16)}`), 25);
      expect(sameNetwork).toBeGreaterThanOrEqual(10);
      expect(sameNetwork).toBeLessThanOrEqual(20);
      expect((await pressPay(proxied, link.slug, token, '2001:db8:1:3::1')).status).toBe(303);
      // A real client address behind the proxy is its own client.
      expect((await pressPay(proxied, link.slug, token, '198.51.100.77')).status).toBe(303);
      // Many requests: a few seconds, more on a busy machine.
    }, 60_000);
  });

  describe('usage-limit holds', () => {
    it('lets one client hold at most one place however often it presses, so a second buyer can still pay', async () => {
      const link = await seedLink(prisma, { usageLimit: 2, language: 'en' });
      const token = await tokenFor(proxied, link.slug);
      const presses: Response[] = [];
      // 25: past the most that may pass (20, across a minute boundary), so some are always refused.
      for (let press = 0; press < 25; press++) presses.push(await pressPay(proxied, link.slug, token, '203.0.113.50'));
      const passed = presses.filter((response) => response.status === 303);
      // 10 a minute (twice that if the run crosses a minute boundary); the rest are refused.
      expect(passed.length).toBeGreaterThanOrEqual(10);
      expect(passed.length).toBeLessThanOrEqual(20);
      expect(presses.filter((response) => response.status === 429)).toHaveLength(25 - passed.length);
      // Every press that got through went back to the one session the client holds.
      expect(new Set(passed.map((response) => response.headers.get('location'))).size).toBe(1);
      expect(sessionCreates(link.linkId)).toBe(1);
      expect((await getLinkSummary(prisma, link.linkId)).pendingPayments).toBe(1);

      const second = await pressPay(proxied, link.slug, token, '198.51.100.60');
      expect(second.status).toBe(303);
      await payAndConfirm(sessionIdFrom(second));
      expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedPayments: 1, pendingPayments: 1 });
      // Many requests: a few seconds, more on a busy machine.
    }, 60_000);

    it('gives the last place back when a hold lapses, and stops one client renewing its hold all day', async () => {
      const link = await seedLink(prisma, { usageLimit: 1, language: 'en' });
      const token = await tokenFor(proxied, link.slug);
      const lapse = async () => {
        // The hold's 15 minutes pass; its session at KOMOJU expires with it.
        const held = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId }, orderBy: { createdAt: 'desc' } });
        await prisma.checkout.update({ where: { id: held.id }, data: { createdAt: new Date(Date.now() - 18 * 60_000) } });
        if (held.sessionId) fake.expireSession(held.sessionId);
      };

      expect((await pressPay(proxied, link.slug, token, '203.0.113.70')).status).toBe(303);
      const waiting = await pressPay(proxied, link.slug, token, '198.51.100.71');
      expect(waiting.status).toBe(409);
      // When the hold ends: its session's 15 minutes and a margin from now.
      expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(15 * 60);
      expect(Number(waiting.headers.get('retry-after'))).toBeLessThanOrEqual(17 * 60);
      await lapse();
      // The script tries again, twice more, letting each hold lapse.
      for (let renewal = 0; renewal < 2; renewal++) {
        expect((await pressPay(proxied, link.slug, token, '203.0.113.70')).status).toBe(303);
        await lapse();
      }
      const refused = await pressPay(proxied, link.slug, token, '203.0.113.70');
      expect(refused.status).toBe(429);
      expect(await refused.text()).toContain('started paying for this item several times today');

      const buyer = await pressPay(proxied, link.slug, token, '198.51.100.71');
      expect(buyer.status).toBe(303);
      await payAndConfirm(sessionIdFrom(buyer));
      expect((await getLinkSummary(prisma, link.linkId)).capturedPayments).toBe(1);
      expect((await fetch(`${proxied.url}/l/${link.slug}`)).status).toBe(410);
      // Many requests: a few seconds, more on a busy machine.
    }, 60_000);
  });

  describe('return page', () => {
    it('asks KOMOJU at most once per checkout in a short while, never once the checkout is settled, and limits each client', async () => {
      const link = await seedLink(prisma, { language: 'en' });
      const sessionId = sessionIdFrom(await pressPay(proxied, link.slug, await tokenFor(proxied, link.slug), '203.0.113.90'));
      const returnUrl = `${proxied.url}/l/${link.slug}/return?session_id=${sessionId}`;
      const reads = () => fake.requests.filter((request) => request.method === 'GET' && request.path === `/api/v1/sessions/${sessionId}`).length;

      const started = Date.now();
      const pages = await Promise.all(Array.from({ length: 15 }, (_, visitor) => fetch(returnUrl, { headers: { 'X-Forwarded-For': `198.51.100.${visitor + 1}` } })));
      expect(pages.map((page) => page.status)).toEqual(Array(15).fill(200));
      // Once per 10 s: once, unless this machine took longer than that for the 15.
      expect(reads()).toBeGreaterThanOrEqual(1);
      expect(reads()).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / 10_000));

      // One client: 20 views a minute.
      const views = await passesBeforeRefusal(() => fetch(returnUrl, { headers: { 'X-Forwarded-For': '203.0.113.91' } }), 45);
      expect(views).toBeGreaterThanOrEqual(20);
      expect(views).toBeLessThanOrEqual(40);

      // Paid (the webhook told us): the answer comes from our records, KOMOJU is not asked again.
      await payAndConfirm(sessionId);
      await prisma.checkout.update({ where: { sessionId }, data: { providerCheckedAt: new Date(Date.now() - 60_000) } });
      const readsBefore = reads();
      for (let view = 0; view < 5; view++) {
        expect(await (await fetch(returnUrl, { headers: { 'X-Forwarded-For': '203.0.113.92' } })).text()).toContain('Thank you! Your payment is complete.');
      }
      expect(reads()).toBe(readsBefore);
      // Many requests: a few seconds, more on a busy machine.
    }, 60_000);
  });

  describe('oversized bodies', () => {
    /** Starts an upload declaring `declared` bytes (or chunked) and keeps sending; resolves with what came back and when the server hung up. */
    function upload(path: string, declared: number | 'chunked'): Promise<{ response: string; sentBytes: number; closedAfterMs: number }> {
      const { port } = new URL(proxied.url);
      return new Promise((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        const started = Date.now();
        let response = '';
        let sentBytes = 0;
        let timer: NodeJS.Timeout | undefined;
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        socket.on('connect', () => {
          const length = declared === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`;
          socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${length}\r\n\r\n`);
          timer = setInterval(() => {
            if (socket.destroyed || Date.now() - started > 5_000) return;
            socket.write(declared === 'chunked' ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk);
            sentBytes += chunk.length;
          }, 20);
        });
        socket.on('data', (data) => (response += data.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ response, sentBytes, closedAfterMs: Date.now() - started });
        });
        setTimeout(() => socket.destroy(), 8_000);
      });
    }

    it.each([
      ['/webhooks/komoju', 50 * 1024 * 1024],
      ['/webhooks/line', 'chunked' as const],
      ['/l/anything/checkout', 'chunked' as const],
    ])('refuses an oversized upload to %s and closes the connection instead of reading it all', async (path, declared) => {
      const result = await upload(path, declared);
      // A declared length is refused before a byte is read. A streamed body is cut once past the
      // limit: the 413 is sent, but the reset that stops the upload may reach the client first.
      if (declared === 'chunked') expect(result.response).toMatch(/^(HTTP\/1\.1 413|)/);
      else expect(result.response).toMatch(/^HTTP\/1\.1 413/);
      expect(result.closedAfterMs).toBeLessThan(3_000);
      expect(result.sentBytes).toBeLessThan(4 * 1024 * 1024);
    });
  });

  describe('where the Pay form may lead', () => {
    it("allows form posts and their redirect only to our own origin and the provider's", async () => {
      const link = await seedLink(prisma);
      const csp = (await fetch(`${proxied.url}/l/${link.slug}`)).headers.get('content-security-policy') ?? '';
      const formAction = /form-action ([^;]+)/.exec(csp)?.[1];
      expect(formAction).toBe(`'self' ${PUBLIC_BASE_URL} ${fake.url}`);
      // Pages without a form to the provider post only to ourselves.
      const notFound = (await fetch(`${proxied.url}/l/doesNotExist123`)).headers.get('content-security-policy') ?? '';
      expect(/form-action ([^;]+)/.exec(notFound)?.[1]).toBe("'self'");
    });
  });
});
