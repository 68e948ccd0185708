// The buyer path's cost in database statements, counted on the wire between the server and
// PostgreSQL (a proxy that reads the frontend protocol, test/support/pg-wire-counter.ts): the link
// page and the Pay press each read the link's state in as few statements as the rules allow, so a
// crowd on a link costs the database what the page needs and no more. Pinned here so it cannot
// silently grow (BENCHMARKS.md, "The buyer path under a crowd").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { createDiscountCode } from '../../../src/discounts/create-code.js';
import { formAsRendered, seedLink } from '../../support/buyer-fixtures.js';
import { isPostgresAvailable } from '../../support/databases.js';
import { startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { PgWireCounter, type WireCounts } from '../../support/pg-wire-counter.js';
import { useFakeKomoju, useTestDatabase } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_round_trips_0123456789';

describe.runIf(await isPostgresAvailable())('database statements per buyer', () => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma } = useTestDatabase('postgresql');
  let counted: Database;
  let counter: PgWireCounter;
  let harness: LineHarness;

  beforeAll(async () => {
    const url = new URL(database.url!);
    counter = new PgWireCounter(url.hostname, Number(url.port || 5432));
    url.port = String(await counter.start());
    counted = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
    // No timed polls during the count: only the buyers' own statements reach the wire.
    harness = await startLineHarness({
      db: counted,
      worker: { pollIntervalMs: 600_000 },
      events: { pollIntervalMs: 600_000 },
      env: {
        KOMOJU_SECRET_KEY: SECRET_KEY,
        KOMOJU_WEBHOOK_SECRET: 'whsec_round_trips_0123456789abcdef',
        KOMOJU_API_BASE_URL: fake.url,
        PUBLIC_BASE_URL: 'http://127.0.0.1:1',
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await counted?.close();
    await counter?.stop();
  });

  async function counting<T>(action: () => Promise<T>): Promise<{ result: T; counts: WireCounts }> {
    const before = counter.snapshot();
    const result = await action();
    const after = counter.snapshot();
    return { result, counts: { roundTrips: after.roundTrips - before.roundTrips, statements: after.statements - before.statements } };
  }

  /** The page, then Pay on its form as rendered, from one address; the wire counts of each. */
  async function buyer(slug: string, client: string, extra: Record<string, string> = {}): Promise<{ page: WireCounts; pay: WireCounts; statuses: number[] }> {
    const page = await counting(async () => {
      const response = await fetch(`${harness.url}/l/${slug}`, { headers: { 'X-Forwarded-For': client } });
      return { status: response.status, body: await response.text() };
    });
    const form = formAsRendered(page.result.body);
    if (!form) throw new Error(`no Pay form on the page (${page.result.status})`);
    const pay = await counting(async () => {
      const response = await fetch(`${harness.url}/l/${slug}/checkout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
        body: new URLSearchParams({ ...form, ...extra }).toString(),
      });
      await response.text();
      return response.status;
    });
    return { page: page.counts, pay: pay.counts, statuses: [page.result.status, pay.result] };
  }

  it('an unlimited link: the page and the Pay press', async () => {
    const link = await seedLink(prisma, { productName: 'Counted tea' });
    // The first buyer warms caches (prepared statements, the shop's brand); the second is counted.
    await buyer(link.slug, '10.9.0.1');
    // A rate-limit counter of yesterday: the press's count drops it in the same statement.
    await prisma.rateLimit.create({ data: { key: 'checkout:expired', windowStart: new Date(Date.now() - 25 * 60 * 60 * 1000), count: 3 } });
    const counted = await buyer(link.slug, '10.9.0.2');
    expect(counted.statuses).toEqual([200, 303]);
    // One read (the link, the shop's brand and keys, whether a code field is offered), the view count.
    expect(counted.page).toEqual({ roundTrips: 2, statements: 2 });
    // The same read (its terms are the press's: nothing to count, so no transaction), the rate-limit
    // count, the checkout, the session it opened.
    expect(counted.pay).toEqual({ roundTrips: 4, statements: 4 });
    expect(await prisma.rateLimit.count({ where: { key: 'checkout:expired' } })).toBe(0);
  });

  it('a link limited to 20 places: the page and the Pay press', async () => {
    const link = await seedLink(prisma, { productName: 'Counted limited tea', usageLimit: 20 });
    await buyer(link.slug, '10.9.1.1');
    const counted = await buyer(link.slug, '10.9.1.2');
    expect(counted.statuses).toEqual([200, 303]);
    // As unlimited: the read takes the places captured and held too.
    expect(counted.page).toEqual({ roundTrips: 2, statements: 2 });
    // As unlimited: the decision is taken under the link's row lock, but in one statement
    // (checkout_under_lock: the lock, then the places with this client's holds read after it, so
    // they count what the holder before committed, then the checkout), which takes the checkout's
    // place; its own implicit transaction, so no BEGIN or COMMIT.
    expect(counted.pay).toEqual({ roundTrips: 4, statements: 4 });
  });

  it('an unlimited link with a discount code capped at 20 uses: the Pay press', async () => {
    const link = await seedLink(prisma, { productName: 'Counted coded tea' });
    const created = await createDiscountCode(prisma, { merchantId: link.merchantId, code: 'CROWD20', off: { kind: 'percent', percent: 10 }, usageCap: 20, expiresAt: null, linkIds: [link.linkId] });
    expect(created.kind).toBe('created');
    await buyer(link.slug, '10.9.2.1', { code: 'CROWD20' });
    const counted = await buyer(link.slug, '10.9.2.2', { code: 'CROWD20' });
    expect(counted.statuses).toEqual([200, 303]);
    // As limited (the code's cap is decided under the link's and the code's locks, in the one
    // statement that also takes the checkout), and the code's lookup: one plain-SQL statement.
    expect(counted.pay).toEqual({ roundTrips: 5, statements: 5 });
  });
});
