// `npm run bench` (or `npm run bench -- ledger`): the Total Sales Summary at scale on PostgreSQL.
//
// Loads 1,000,000 payments spread over 10,000 links (with checkouts, abandoned checkouts, partial
// and full refunds, chargebacks, failures and konbini payments still awaiting) into a dedicated
// database `bench_ledger` on the server of TEST_DATABASE_URL, ANALYZEs it, then times
// getLinkSummary — the real function, through Prisma — for 2,000 random links. The target is
// p99 < 20 ms per link. Flags: --reuse keeps an already loaded bench_ledger; --links N changes the
// number of timed links.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { recordProviderEvent } from '../src/payments/record-payment-event.js';
import { getLinkSummaries, getLinkSummary, linkSummarySql } from '../src/payments/summary.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const DATABASE = 'bench_ledger';
const LINKS = 10_000;
const PAYMENTS = 1_000_000;
// Pay presses that never produced a payment (abandoned before choosing a method).
const ABANDONED_CHECKOUTS = 200_000;
const MERCHANTS = 100;
const TARGET_P99_MS = 20;
const WARMUP_QUERIES = 200;

const args = process.argv.slice(2).filter((arg) => arg !== 'ledger');
const reuse = args.includes('--reuse');
const linksFlag = args.indexOf('--links');
const timedLinks = linksFlag >= 0 ? Number(args[linksFlag + 1]) : 2_000;

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

// Link of row g: a hash, so a link's rows are scattered over the table as when payments of many
// links arrive interleaved over time (the slow case for an index scan), and links differ in size.
const linkOf = (g: string) => `'l' || ((hashint4(${g}) & 2147483647) % ${LINKS})`;
// A second, independent draw per payment in [0, 1000) decides what happened to it.
const fateOf = (g: string) => `((hashint4(${g} + 7777777) & 2147483647) % 1000)`;

const LOAD_SQL = [
  `INSERT INTO "Merchant" ("id", "name")
   SELECT 'm' || i, 'Bench shop ' || i FROM generate_series(0, ${MERCHANTS - 1}) AS i`,
  `INSERT INTO "Link" ("id", "slug", "merchantId", "createdByUserId", "productName", "productNameKey",
                       "amount", "currency", "updatedAt", "createdAt")
   SELECT 'l' || i, 'slug' || i, 'm' || (i % ${MERCHANTS}), 'Ubench', 'Product ' || i, 'product ' || i,
          500 + (i % 50) * 100, 'JPY', now(), now() - make_interval(days => i % 365)
     FROM generate_series(0, ${LINKS - 1}) AS i`,
  // Checkouts 1..PAYMENTS each got a payment; the rest were abandoned.
  `INSERT INTO "Checkout" ("id", "linkId", "provider", "sessionId", "status", "createdAt", "updatedAt")
   SELECT 'c' || g, ${linkOf('g')}, 'komoju', 'sess' || g,
          CASE WHEN g <= ${PAYMENTS} THEN 'completed' ELSE 'pending' END,
          now() - make_interval(secs => g % 31536000), now()
     FROM generate_series(1, ${PAYMENTS + ABANDONED_CHECKOUTS}) AS g`,
  // Fates (per mille): 780 captured, 60 partly refunded, 50 fully refunded, 10 charged back,
  // 50 failed, 30 authorized (konbini awaiting), 20 expired.
  `INSERT INTO "Payment" ("id", "provider", "linkId", "checkoutId", "sessionId", "status", "amount", "currency",
                          "amountRefunded", "capturedAt", "createdAt", "updatedAt")
   SELECT 'p' || g, 'komoju', link_id, 'c' || g, 'sess' || g,
          CASE WHEN fate < 840 THEN 'captured' WHEN fate < 890 THEN 'refunded' WHEN fate < 900 THEN 'captured'
               WHEN fate < 950 THEN 'failed' WHEN fate < 980 THEN 'authorized' ELSE 'expired' END,
          amount, 'JPY',
          CASE WHEN fate >= 780 AND fate < 840 THEN amount / 3 WHEN fate >= 840 AND fate < 900 THEN amount ELSE 0 END,
          CASE WHEN fate < 900 THEN created_at END,
          created_at, now()
     FROM (SELECT g, ${linkOf('g')} AS link_id, ${fateOf('g')} AS fate,
                  500 + (((hashint4(g) & 2147483647) % ${LINKS}) % 50) * 100 AS amount,
                  now() - make_interval(secs => g % 31536000) AS created_at
             FROM generate_series(1, ${PAYMENTS}) AS g) AS drawn`,
  `INSERT INTO "Refund" ("id", "paymentId", "amount", "chargeback")
   SELECT 'r' || substr(p."id", 2), p."id", p."amountRefunded", ${fateOf('substr(p."id", 2)::int')} >= 890
     FROM "Payment" p
    WHERE p."amountRefunded" > 0`,
];

async function load(): Promise<void> {
  await withClient(ADMIN_URL, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${DATABASE}"`);
  });
  const db = await openDatabase({ databaseUrl: databaseUrl(DATABASE), dataDir: '' });
  await db.migrate();
  await db.close();
  await withClient(databaseUrl(DATABASE), async (client) => {
    await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '256MB'`);
    for (const sql of LOAD_SQL) {
      const started = performance.now();
      const result = await client.query(sql);
      const table = /INSERT INTO "(\w+)"/.exec(sql)?.[1] ?? '?';
      console.log(`  ${table.padEnd(9)} ${String(result.rowCount).padStart(9)} rows  ${seconds(started)}`);
    }
    const started = performance.now();
    await client.query('ANALYZE');
    console.log(`  ANALYZE                      ${seconds(started)}`);
  });
}

async function isLoaded(): Promise<boolean> {
  const exists = await withClient(ADMIN_URL, async (admin) => (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount === 1);
  if (!exists) return false;
  return withClient(databaseUrl(DATABASE), async (client) => {
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM "Payment"');
    return Number(rows[0]?.count) === PAYMENTS;
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

// Deterministic link sample, so runs are comparable.
function sampleLinks(count: number): string[] {
  let state = 20261128;
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    ids.push(`l${state % LINKS}`);
  }
  return ids;
}

function describeTimes(label: string, times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
  const p99 = percentile(sorted, 99);
  const figures = [
    `count ${times.length}`,
    `mean ${mean.toFixed(2)}`,
    `p50 ${percentile(sorted, 50).toFixed(2)}`,
    `p95 ${percentile(sorted, 95).toFixed(2)}`,
    `p99 ${p99.toFixed(2)}`,
    `max ${(sorted.at(-1) ?? Number.NaN).toFixed(2)} ms`,
  ];
  console.log(`${label}: ${figures.join(', ')}`);
  return p99;
}

// The write side at the same scale: a capture, then a partial refund, for payments of 500
// abandoned checkouts (found through their session id), removed again afterwards so --reuse
// keeps comparing the same data.
async function benchWrites(prisma: Parameters<typeof recordProviderEvent>[0]): Promise<void> {
  const times: number[] = [];
  const ids: string[] = [];
  try {
    for (let index = 0; index < 500; index++) {
      const checkout = PAYMENTS + 1 + index * 397;
      const paymentId = `pw${checkout}`;
      ids.push(paymentId);
      const payment = {
        id: paymentId,
        status: 'captured' as const,
        amount: 1000,
        currency: 'JPY',
        tax: 0,
        paymentMethodFee: 0,
        total: 1000,
        amountRefunded: 0,
        refunds: [],
        paymentMethod: 'credit_card',
        paymentDeadline: null,
        sessionId: `sess${checkout}`,
        metadata: {},
        capturedAt: new Date(),
      };
      const refunded = { ...payment, amountRefunded: 400, refunds: [{ id: `rw${checkout}`, amount: 400, chargeback: false }] };
      for (const [type, snapshot] of [
        ['payment.captured', payment],
        ['payment.refund.created', refunded],
      ] as const) {
        const started = performance.now();
        await recordProviderEvent(prisma, { id: `ew${type}${checkout}`, type, payment: snapshot, createdAt: new Date() }, { provider: 'komoju' });
        times.push(performance.now() - started);
      }
    }
    describeTimes('recordProviderEvent (dedupe, lock, merge, refunds)', times);
  } finally {
    await prisma.providerEvent.deleteMany({ where: { paymentId: { in: ids } } });
    await prisma.payment.deleteMany({ where: { id: { in: ids } } });
  }
}

async function main(): Promise<void> {
  console.log(`PostgreSQL ${new URL(ADMIN_URL).host}, database ${DATABASE}`);
  if (reuse && (await isLoaded())) {
    console.log('reusing the loaded data (--reuse)');
  } else {
    console.log(`loading ${PAYMENTS.toLocaleString('en')} payments over ${LINKS.toLocaleString('en')} links…`);
    const started = performance.now();
    await load();
    console.log(`loaded in ${seconds(started)}`);
  }

  const shape = await withClient(databaseUrl(DATABASE), async (client) => {
    const { rows } = await client.query<Record<string, string>>(`
      SELECT (SELECT count(*) FROM "Payment") AS payments, (SELECT count(*) FROM "Checkout") AS checkouts,
             (SELECT count(*) FROM "Refund") AS refunds, (SELECT count(*) FILTER (WHERE chargeback) FROM "Refund") AS chargebacks,
             (SELECT max(n) FROM (SELECT count(*) AS n FROM "Payment" GROUP BY "linkId") AS per_link) AS "maxPaymentsPerLink",
             (SELECT min(n) FROM (SELECT count(*) AS n FROM "Payment" GROUP BY "linkId") AS per_link) AS "minPaymentsPerLink",
             pg_size_pretty(pg_database_size(current_database())) AS size,
             current_setting('shared_buffers') AS "sharedBuffers", version() AS version`);
    return rows[0] ?? {};
  });
  console.log(shape);
  const [load1, load5] = loadavg();
  console.log(`machine: load average ${load1?.toFixed(1)} (1 min), ${load5?.toFixed(1)} (5 min)`);

  const db = await openDatabase({ databaseUrl: databaseUrl(DATABASE), dataDir: '', poolSize: 1 });
  try {
    const links = sampleLinks(WARMUP_QUERIES + timedLinks);
    for (const linkId of links.slice(0, WARMUP_QUERIES)) await getLinkSummary(db.prisma, linkId);
    // A no-op round trip interleaved with the summaries shows what the machine itself adds (the
    // client, the scheduler, other load) under the very same conditions.
    const times: number[] = [];
    const floor: number[] = [];
    for (const linkId of links.slice(WARMUP_QUERIES)) {
      let started = performance.now();
      await getLinkSummary(db.prisma, linkId);
      times.push(performance.now() - started);
      started = performance.now();
      await db.prisma.$queryRaw`SELECT 1`;
      floor.push(performance.now() - started);
    }
    const p99 = describeTimes('getLinkSummary, one link (through Prisma, incl. round trip)', times);
    describeTimes('floor: SELECT 1 through the same client', floor);
    console.log(`p99 / target: ${(p99 / TARGET_P99_MS).toFixed(3)} of ${TARGET_P99_MS} ms → ${p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}`);

    const pages: number[] = [];
    for (let page = 0; page < 200; page++) {
      const ids = links.slice(page * 10, page * 10 + 10);
      const started = performance.now();
      await getLinkSummaries(db.prisma, ids);
      pages.push(performance.now() - started);
    }
    describeTimes('getLinkSummaries, 10 links (a page of the link list)', pages);

    // Server side, free of client overhead: execution time and pages touched per summary.
    const plans = await withClient(databaseUrl(DATABASE), async (client) => {
      const out: { ms: number; hit: number; read: number }[] = [];
      for (const linkId of links.slice(WARMUP_QUERIES, WARMUP_QUERIES + 200)) {
        const statement = linkSummarySql([linkId]);
        const { rows } = await client.query<{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: Record<string, number> }] }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
          statement.values,
        );
        const plan = rows[0]?.['QUERY PLAN'][0];
        if (plan) out.push({ ms: plan['Execution Time'], hit: plan.Plan['Shared Hit Blocks'] ?? 0, read: plan.Plan['Shared Read Blocks'] ?? 0 });
      }
      return out;
    });
    describeTimes(
      'server execution time (EXPLAIN ANALYZE)',
      plans.map((plan) => plan.ms),
    );
    const mean = (values: number[]) => (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(0);
    console.log(`pages per summary: mean ${mean(plans.map((plan) => plan.hit + plan.read))} (${mean(plans.map((plan) => plan.read))} not in shared_buffers)`);

    const sample = await getLinkSummary(db.prisma, links[WARMUP_QUERIES] ?? 'l0');
    console.log('sample summary:', links[WARMUP_QUERIES], sample);

    await withClient(databaseUrl(DATABASE), async (client) => {
      const { rows } = await client.query<{ linkId: string }>(`SELECT "linkId" FROM "Payment" GROUP BY "linkId" ORDER BY count(*) DESC LIMIT 1`);
      const busiest = rows[0]?.linkId ?? 'l0';
      const started = performance.now();
      await getLinkSummary(db.prisma, busiest);
      console.log(`busiest link ${busiest}: ${(performance.now() - started).toFixed(2)} ms`);
    });

    await benchWrites(db.prisma);
  } finally {
    await db.close();
  }
  console.log(`machine: load average ${loadavg()[0]?.toFixed(1)} (1 min) at the end`);
}

await main();
