// `npm run bench -- checkout`: the buyer path — GET /l/:slug, then the page's form posted to
// POST /l/:slug/checkout → 303 to the fake KOMOJU's session page — under a crowd of buyers, each
// from its own address, beside a bare Express handler doing the same wire work (bare-checkout.ts)
// in the same run, on PostgreSQL and on the embedded database. Scenarios: an unlimited link
// (throughput), a link limited to 20 places and an unlimited link whose discount code is capped at
// 20 uses (contention: exactly 20 sessions or discounted sessions, every other buyer a clear 4xx
// page, no 5xx). Prints buyers/s, p50/p99 of page and Pay, the statuses, sessions opened, CPU per
// buyer (the server process and its PostgreSQL backends) and the targets' ratios.
//
// Flags: --buyers N (600, the unlimited run) --crowd N (300, the contention runs) --concurrency C (40)
//        --databases postgresql,embedded (both by default)
//        --cpu-prof (profiles the product's server and prints where its time went)
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { transformSync } from 'esbuild';
import { openDatabase } from '../src/db/database.js';
import { LineApiStub } from '../src/line/line-api-stub.js';
import { startFakeKomoju, type FakeKomoju } from '../test/support/fake-komoju.js';
import { backendsOf, cpuMs, freePort, loadAverage, percentile, recreateDatabase, ROOT, startEnv, startFlags, startProcess, stopProcess, summariseProfiles, waitForHttp } from './processes.js';

const BARE_JS = 'dist/bare-checkout-baseline.js';
const KOMOJU_SECRET = 'sk_test_bench_checkout';
const KOMOJU_WEBHOOK_SECRET = 'bench-komoju-webhook-secret';
const CHANNEL_SECRET = 'bench-channel-secret-0123456789abcdef';
const ACCESS_TOKEN = 'bench-access-token';
const APP_SECRET = 'bench-app-secret-0123456789abcdef0123456789';
const LIMIT = 20;
const CODE = 'FLASH20';

const args = process.argv.slice(2);
function flag(name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}
const BUYERS = flag('buyers', 600);
const CROWD = flag('crowd', 300);
const CONCURRENCY = flag('concurrency', 40);
const databasesIndex = args.indexOf('--databases');
const DATABASES = (databasesIndex >= 0 ? args[databasesIndex + 1]! : 'postgresql,embedded').split(',') as ('postgresql' | 'embedded')[];
const CPU_PROFILE = args.includes('--cpu-prof');

interface Scenario {
  name: string;
  /** Path of the link page. */
  page: string;
  buyers: number;
  /** Extra form fields every buyer sends with Pay (a discount code). */
  extra?: Record<string, string>;
  /** Counts the sessions the scenario is judged on (all, the link's, the discounted ones). */
  sessionsOf: (fake: FakeKomoju) => number;
  /** What "exactly" means for this scenario: the limit, or undefined for throughput. */
  expectedSessions?: number;
}

interface Measured {
  scenario: string;
  buyers: number;
  seconds: number;
  pageMs: number[];
  payMs: number[];
  buyerMs: number[];
  pageStatuses: Map<number, number>;
  payStatuses: Map<number, number>;
  sessions: number;
  expectedSessions: number | undefined;
  cpuMsPerBuyer: number;
  databaseCpuMsPerBuyer: number | undefined;
}

interface RunningServer {
  origin: string;
  pid: number;
  databaseName?: string;
  stop(): Promise<void>;
}

/** A distinct client address per buyer (CGNAT space, sent as X-Forwarded-For to a server trusting loopback). */
const buyerAddress = (index: number) => `100.${64 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`;

/** The checkout form of a link page: its action and its fields as the page fills them in. */
function readForm(html: string): { action: string; fields: URLSearchParams } | null {
  const form = /<form\b[^>]*action="([^"]*\/checkout)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const tag = input[0];
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (!name) continue;
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(tag)) continue;
    const value = /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '';
    fields.set(
      name,
      value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    );
  }
  return { action: form[1]!.replace(/&amp;/g, '&'), fields };
}

const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);

async function crowd(server: RunningServer, scenario: Scenario, fake: FakeKomoju): Promise<Measured> {
  const pageMs: number[] = [];
  const payMs: number[] = [];
  const buyerMs: number[] = [];
  const pageStatuses = new Map<number, number>();
  const payStatuses = new Map<number, number>();
  const sessionsBefore = scenario.sessionsOf(fake);
  const databasePids = server.databaseName ? await backendsOf(server.databaseName) : [];
  const cpuBefore = cpuMs(server.pid);
  const databaseCpuBefore = databasePids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  let next = 0;
  const started = performance.now();
  const buyer = async (index: number) => {
    const headers = { 'x-forwarded-for': buyerAddress(index + 1) };
    const begin = performance.now();
    let page: Response;
    try {
      page = await fetch(`${server.origin}${scenario.page}`, { headers });
    } catch {
      count(pageStatuses, 0);
      return;
    }
    const html = await page.text();
    const pageDone = performance.now();
    pageMs.push(pageDone - begin);
    count(pageStatuses, page.status);
    const form = page.status === 200 ? readForm(html) : null;
    if (!form) {
      buyerMs.push(pageDone - begin);
      return;
    }
    for (const [name, value] of Object.entries(scenario.extra ?? {})) form.fields.set(name, value);
    try {
      const pay = await fetch(new URL(form.action, server.origin), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: server.origin },
        body: form.fields.toString(),
        redirect: 'manual',
      });
      await pay.arrayBuffer();
      count(payStatuses, pay.status);
    } catch {
      count(payStatuses, 0);
    }
    const end = performance.now();
    payMs.push(end - pageDone);
    buyerMs.push(end - begin);
  };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < scenario.buyers) await buyer(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const databaseCpu = databasePids.reduce((sum, pid) => sum + cpuMs(pid), 0) - databaseCpuBefore;
  for (const list of [pageMs, payMs, buyerMs]) list.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    buyers: scenario.buyers,
    seconds,
    pageMs,
    payMs,
    buyerMs,
    pageStatuses,
    payStatuses,
    sessions: scenario.sessionsOf(fake) - sessionsBefore,
    expectedSessions: scenario.expectedSessions,
    cpuMsPerBuyer: (cpuMs(server.pid) - cpuBefore) / scenario.buyers,
    databaseCpuMsPerBuyer: server.databaseName ? databaseCpu / scenario.buyers : undefined,
  };
}

function buildSystems(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const bare = transformSync(readFileSync(path.join(ROOT, 'bench/bare-checkout.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
  writeFileSync(path.join(ROOT, BARE_JS), bare.code);
}

type DatabaseChoice = { url: string; name: string } | { dataDir: string };

async function startBare(fake: FakeKomoju, database: DatabaseChoice): Promise<RunningServer> {
  const port = await freePort();
  const child = startProcess(BARE_JS, {
    PORT: String(port),
    KOMOJU_API_BASE_URL: fake.url,
    KOMOJU_SECRET_KEY: KOMOJU_SECRET,
    ...('url' in database ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/l/bare`, child);
  return { origin, pid: child.pid!, databaseName: 'url' in database ? database.name : undefined, stop: () => stopProcess(child) };
}

async function startProduct(fake: FakeKomoju, lineOrigin: string, database: DatabaseChoice, profileDir?: string): Promise<{ server: RunningServer; child: ChildProcess }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = startProcess(
    'dist/main.js',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: origin,
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
      LINE_API_BASE_URL: lineOrigin,
      LINE_DATA_API_BASE_URL: lineOrigin,
      KOMOJU_SECRET_KEY: KOMOJU_SECRET,
      KOMOJU_WEBHOOK_SECRET,
      KOMOJU_API_BASE_URL: fake.url,
      APP_SECRET,
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
      ...('url' in database ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
      ...startEnv(),
    },
    [...startFlags(), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  );
  await waitForHttp(`${origin}/readyz`, child);
  return { server: { origin, pid: child.pid!, databaseName: 'url' in database ? database.name : undefined, stop: () => stopProcess(child) }, child };
}

interface SeededLinks {
  unlimited: { id: string; slug: string };
  limited: { id: string; slug: string };
  coded: { id: string; slug: string };
}

/** The shop, its owner and the three links, written while no server runs (the embedded database has one user). */
async function seed(database: DatabaseChoice): Promise<SeededLinks> {
  const db = await openDatabase({ databaseUrl: 'url' in database ? database.url : undefined, dataDir: 'dataDir' in database ? database.dataDir : '' });
  try {
    const prisma = db.prisma;
    const merchantId = `m_bench_${randomBytes(4).toString('hex')}`;
    const ownerId = `U${randomBytes(16).toString('hex')}`;
    await prisma.merchant.create({
      data: {
        id: merchantId,
        name: 'Bench tea shop',
        displayName: 'Bench tea shop',
        contact: 'shop@example.com',
        legalName: 'Bench Tea KK',
        legalAddress: '1-1 Chiyoda, Tokyo',
        legalPhone: '03-0000-0000',
        legalResponsible: 'Bench Owner',
        returnsPolicy: 'No returns',
        deliveryTiming: 'Within 3 days',
      },
    });
    await prisma.lineUser.create({ data: { id: ownerId, language: 'ja' } });
    await prisma.member.create({ data: { merchantId, userId: ownerId, role: 'owner', notices: false } });
    const link = async (name: string, usageLimit: number | null) => {
      const slug = randomBytes(12).toString('base64url');
      const id = `lnk_bench_${randomBytes(6).toString('hex')}`;
      await prisma.link.create({
        data: { id, slug, merchantId, createdByUserId: ownerId, productName: name, productNameKey: name.toLowerCase(), amount: 1500, currency: 'JPY', language: 'ja', usageLimit, testMode: true },
      });
      return { id, slug };
    };
    const links = { unlimited: await link('Sencha 100 g', null), limited: await link('Gyokuro limited', LIMIT), coded: await link('Matcha flash sale', null) };
    await prisma.discountCode.create({
      data: { id: `dc_bench_${randomBytes(6).toString('hex')}`, merchantId, code: CODE, codeKey: CODE, percentOff: 10, usageCap: LIMIT, links: { create: [{ linkId: links.coded.id }] } },
    });
    return links;
  } finally {
    await db.close();
  }
}

const sessionsOfLink = (linkId: string) => (fake: FakeKomoju) => fake.sessions().filter((session) => session.metadata.linkId === linkId).length;
const discountedSessionsOf = (linkId: string) => (fake: FakeKomoju) => fake.sessions().filter((session) => session.metadata.linkId === linkId && session.amount < 1500).length;

function statuses(map: Map<number, number>): string {
  return (
    [...map.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ') || '–'
  );
}

function fiveXx(result: Measured): number {
  let total = 0;
  for (const map of [result.pageStatuses, result.payStatuses]) for (const [status, n] of map) if (status >= 500 || status === 0) total += n;
  return total;
}

function printTable(kind: string, results: Measured[]): void {
  const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  const bare = results[0]!;
  const unlimited = results[1];
  const rate = (r: Measured) => r.buyers / r.seconds;
  const rows: [string, (r: Measured) => string][] = [
    ['buyers', (r) => String(r.buyers)],
    ['buyers per second', (r) => `${fmt(rate(r))}${r === bare ? '' : ` (${(rate(r) / rate(bare)).toFixed(2)}×)`}`],
    ['page p50 / p99 (ms)', (r) => `${fmt(percentile(r.pageMs, 50), 1)} / ${fmt(percentile(r.pageMs, 99), 1)}`],
    ['Pay p50 / p99 (ms)', (r) => `${fmt(percentile(r.payMs, 50), 1)} / ${fmt(percentile(r.payMs, 99), 1)}`],
    ['page + Pay p99 (ms)', (r) => `${fmt(percentile(r.buyerMs, 99), 1)}${r === bare ? '' : ` (${(percentile(r.buyerMs, 99) / percentile(bare.buyerMs, 99)).toFixed(2)}×)`}`],
    ['page statuses', (r) => statuses(r.pageStatuses)],
    ['Pay statuses', (r) => statuses(r.payStatuses)],
    ['sessions opened (expected)', (r) => `${r.sessions}${r.expectedSessions === undefined ? '' : ` (${r.expectedSessions})`}`],
    ['5xx or dropped', (r) => String(fiveXx(r))],
    ['CPU per buyer: process / PostgreSQL (ms)', (r) => `${fmt(r.cpuMsPerBuyer, 2)} / ${r.databaseCpuMsPerBuyer === undefined ? '–' : fmt(r.databaseCpuMsPerBuyer, 2)}`],
  ];
  console.log(`\n| ${kind}, ${CONCURRENCY} buyers at a time | ${results.map((r) => r.scenario).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---').join('|')}|`);
  for (const [label, cell] of rows) console.log(`| ${label} | ${results.map(cell).join(' | ')} |`);
  if (!unlimited) return;
  const contention = results.slice(2);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const throughput = rate(unlimited) / rate(bare);
  const p99 = percentile(unlimited.buyerMs, 99) / percentile(bare.buyerMs, 99);
  console.log(`targets (${kind}): unlimited ≥ 0.5× the bare buyers/s: ${throughput.toFixed(2)}× ${verdict(throughput >= 0.5)}; p99 ≤ 2× the bare p99: ${p99.toFixed(2)}× ${verdict(p99 <= 2)}`);
  for (const r of contention) {
    const ratio = percentile(r.buyerMs, 99) / percentile(unlimited.buyerMs, 99);
    const exact = r.expectedSessions === undefined || r.sessions === r.expectedSessions;
    console.log(
      `  ${r.scenario}: p99 ≤ 1.5× the unlimited p99: ${ratio.toFixed(2)}× ${verdict(ratio <= 1.5)}; sessions ${r.sessions} of ${r.expectedSessions} ${verdict(exact)}; 5xx ${fiveXx(r)} ${verdict(fiveXx(r) === 0)}`,
    );
  }
}

async function runOn(kind: 'postgresql' | 'embedded', fake: FakeKomoju, lineOrigin: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-checkout-'));
  try {
    const bareDatabase: DatabaseChoice = kind === 'postgresql' ? { url: await recreateDatabase('bench_checkout_bare'), name: 'bench_checkout_bare' } : { dataDir: path.join(scratch, 'bare') };
    const productDatabase: DatabaseChoice = kind === 'postgresql' ? { url: await recreateDatabase('bench_checkout'), name: 'bench_checkout' } : { dataDir: path.join(scratch, 'product') };
    const results: Measured[] = [];
    const bare = await startBare(fake, bareDatabase);
    try {
      await crowd(bare, { name: 'warm-up', page: '/l/bare', buyers: 50, sessionsOf: (f) => f.sessions().length }, fake);
      results.push(await crowd(bare, { name: 'bare handler', page: '/l/bare', buyers: BUYERS, sessionsOf: (f) => f.sessions().length }, fake));
    } finally {
      await bare.stop();
    }
    // The first start applies the migrations; the measured server is a restarted one.
    const first = await startProduct(fake, lineOrigin, productDatabase);
    await first.server.stop();
    const links = await seed(productDatabase);
    const profileDir = CPU_PROFILE ? path.join(scratch, 'profile') : undefined;
    const { server } = await startProduct(fake, lineOrigin, productDatabase, profileDir);
    try {
      await crowd(server, { name: 'warm-up', page: `/l/${links.unlimited.slug}`, buyers: 50, sessionsOf: sessionsOfLink(links.unlimited.id) }, fake);
      results.push(await crowd(server, { name: 'product, unlimited', page: `/l/${links.unlimited.slug}`, buyers: BUYERS, sessionsOf: sessionsOfLink(links.unlimited.id) }, fake));
      results.push(
        await crowd(server, { name: `product, limit ${LIMIT}`, page: `/l/${links.limited.slug}`, buyers: CROWD, sessionsOf: sessionsOfLink(links.limited.id), expectedSessions: LIMIT }, fake),
      );
      results.push(
        await crowd(
          server,
          { name: `product, code cap ${LIMIT}`, page: `/l/${links.coded.slug}`, buyers: CROWD, extra: { code: CODE }, sessionsOf: discountedSessionsOf(links.coded.id), expectedSessions: LIMIT },
          fake,
        ),
      );
    } finally {
      await server.stop();
    }
    printTable(kind, results);
    if (profileDir) summariseProfiles(profileDir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  buildSystems();
  console.log(`checkout bench: ${BUYERS} buyers (unlimited), ${CROWD} (contention), ${CONCURRENCY} at a time; ${DATABASES.join(', ')}; load average ${loadAverage()}`);
  const fake = await startFakeKomoju({ secretKey: KOMOJU_SECRET });
  const line = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
  const lineOrigin = await line.listen();
  try {
    for (const kind of DATABASES) await runOn(kind, fake, lineOrigin);
  } finally {
    await line.close();
    await fake.close();
  }
  console.log(`load average at the end: ${loadAverage()}`);
}

await main();
