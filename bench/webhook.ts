// `npm run bench -- webhook`: the bot's core loop (signed webhook → inbox → worker → reply) under
// a burst, side by side in one run with a bot written like the SDK's echo example, all against one
// fake LINE API on 127.0.0.1 (this process). Each system runs as its own node process so its
// memory is its own. Prints, per system: acknowledged/s, ack p50/p99, answered/s end to end,
// event-to-reply p50/p99, pushes used, RSS idle/peak, and ratios to the echo bot.
//
// Flags: --events N (5000) --users U (200) --connections C (50)
//        --systems echo,postgresql,embedded,two-instances (all by default)
//        --cpu-prof (writes a CPU profile of each product process and prints where its time went)
//        --wire (PostgreSQL through a counting proxy: round trips and statements per event)
//        --node-flags "…" (node flags for the product's processes; default: npm start's)
//        --pg-setting name=value (on the bench databases)
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { transformSync } from 'esbuild';
import { LineApiStub } from '../src/line/line-api-stub.js';
import { PgWireCounter, type WireCounts } from '../test/support/pg-wire-counter.js';
import {
  ADMIN_URL,
  backendsOf,
  cpuMs,
  freePort,
  loadAverage,
  percentile,
  summariseProfiles,
  recreateDatabase,
  ROOT,
  rssMb,
  setDatabaseSetting,
  startEnv,
  startFlags,
  startProcess,
  stopProcess,
  waitForHttp,
} from './processes.js';

// Beside dist/main.js, so it resolves the same node_modules.
const ECHO_BOT_JS = 'dist/echo-bot-baseline.js';
const CHANNEL_SECRET = 'bench-channel-secret-0123456789abcdef';
const ACCESS_TOKEN = 'bench-access-token';
const APP_SECRET = 'bench-app-secret-0123456789abcdef0123456789';
const ANSWER_TIMEOUT_MS = 300_000;

const args = process.argv.slice(2);
function flag(name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}
const EVENTS = flag('events', 5_000);
const USERS = flag('users', 200);
const CONNECTIONS = flag('connections', 50);
const systemsIndex = args.indexOf('--systems');
const SYSTEMS = (systemsIndex >= 0 ? args[systemsIndex + 1]! : 'echo,postgresql,embedded,two-instances').split(',');
const CPU_PROFILE = args.includes('--cpu-prof');
const WIRE = args.includes('--wire');
function text(name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}
// Candidates measured against the code as it is (BENCHMARKS.md): node flags for the product's
// processes instead of npm start's (e.g. --max-semi-space-size=16), and a PostgreSQL setting of
// the bench databases.
const nodeFlags = text('node-flags');
const NODE_FLAGS = nodeFlags === undefined ? startFlags() : nodeFlags.split(' ').filter((word) => word !== '');
const PG_SETTING = text('pg-setting');

interface Result {
  system: string;
  events: number;
  failedAcks: number;
  ackPerSecond: number;
  ackP50: number;
  ackP99: number;
  answeredPerSecond: number;
  answered: number;
  replyP50: number;
  replyP99: number;
  pushes: number;
  rssIdleMb: number;
  rssPeakMb: number;
  /** CPU time per event of the system's own processes, and of its PostgreSQL backends. */
  cpuMsPerEvent: number;
  databaseCpuMsPerEvent: number | undefined;
  wire: WireCounts | undefined;
}

const userId = (index: number) => `U${index.toString(16).padStart(32, '0')}`;

interface RunningSystem {
  urls: string[];
  pids: number[];
  /** The PostgreSQL server processes serving this system (its backends), when it uses one. */
  databasePids?: () => Promise<number[]>;
  stop(): Promise<void>;
}

/**
 * Both systems run as plain JavaScript under node, as they would be deployed: the product as
 * `npm start` runs it (dist/, built by scripts/build.mjs), the echo bot transpiled the same way
 * (the SDK's example compiles with tsc and runs node on the output).
 */
function buildSystems(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const echo = transformSync(readFileSync(path.join(ROOT, 'bench/echo-bot.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
  writeFileSync(path.join(ROOT, ECHO_BOT_JS), echo.code);
}

async function startEcho(lineOrigin: string): Promise<RunningSystem> {
  const port = await freePort();
  const child = startProcess(ECHO_BOT_JS, {
    PORT: String(port),
    LINE_CHANNEL_SECRET: CHANNEL_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
    LINE_API_BASE_URL: lineOrigin,
  });
  await waitForHttp(`http://127.0.0.1:${port}/`, child);
  return { urls: [`http://127.0.0.1:${port}/callback`], pids: [child.pid!], stop: () => stopProcess(child) };
}

async function startProduct(lineOrigin: string, database: { url: string } | { dataDir: string }, profileDir?: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    LINE_CHANNEL_SECRET: CHANNEL_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
    LINE_API_BASE_URL: lineOrigin,
    LINE_DATA_API_BASE_URL: lineOrigin,
    APP_SECRET,
    LOG_LEVEL: 'info',
    ...('url' in database ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
    ...startEnv(),
  };
  const child = startProcess('dist/main.js', env, [...NODE_FLAGS, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]);
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, child);
  return { url: `http://127.0.0.1:${port}/webhooks/line`, child };
}

/** Sends every event as its own signed webhook over `connections` keep-alive connections. */
async function sendAll(urls: string[], bodies: string[], connections: number, onSend: (index: number) => void, onAck: (index: number, ms: number, status: number) => void): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let next = 0;
  const post = (index: number) =>
    new Promise<void>((resolve) => {
      const body = bodies[index]!;
      const url = new URL(urls[index % urls.length]!);
      onSend(index);
      const started = performance.now();
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-line-signature': createHmac('sha256', CHANNEL_SECRET).update(body).digest('base64'),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            onAck(index, performance.now() - started, response.statusCode ?? 0);
            resolve();
          });
        },
      );
      request.on('error', () => {
        onAck(index, performance.now() - started, 0);
        resolve();
      });
      request.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) await post(next++);
    }),
  );
  agent.destroy();
}

interface Burst {
  bodies: string[];
  tokens: string[];
}

function makeBurst(line: LineApiStub, events: number, users: number): Burst {
  const bodies: string[] = [];
  const tokens: string[] = [];
  for (let index = 0; index < events; index++) {
    const user = userId(index % users);
    const replyToken = line.issueReplyToken(user, 60_000);
    tokens.push(replyToken);
    const event = {
      type: 'message',
      webhookEventId: `01B${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`,
      timestamp: Date.now() + index,
      mode: 'active',
      source: { type: 'user', userId: user },
      deliveryContext: { isRedelivery: false },
      replyToken,
      message: { type: 'text', id: String(1e15 + index), quoteToken: 'q', text: 'help' },
    };
    bodies.push(JSON.stringify({ destination: 'Ubench', events: [event] }));
  }
  return { bodies, tokens };
}

/** Sends a burst and waits until every event has been answered (by reply or push). */
async function runBurst(line: LineApiStub, system: RunningSystem, events: number, users: number, counter?: PgWireCounter): Promise<Omit<Result, 'system' | 'rssIdleMb'> & { rssPeakMb: number }> {
  const burst = makeBurst(line, events, users);
  const tokenIndex = new Map(burst.tokens.map((token, index) => [token, index]));
  const sentAt = new Array<number>(events).fill(0);
  const ackTimes: number[] = [];
  let failedAcks = 0;
  let lastAck = 0;
  let seen = line.messages.length;
  const repliedKeys = new Set<string>();
  const pushKeys = new Set<string>();
  const replyLatencies: number[] = [];
  let lastAnswer = 0;
  let rssPeak = 0;
  const wireBefore = counter?.snapshot();
  const cpuBefore = system.pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const backendsBefore = new Map((system.databasePids ? await system.databasePids() : []).map((pid) => [pid, cpuMs(pid)]));

  const scan = () => {
    for (; seen < line.messages.length; seen++) {
      const message = line.messages[seen]!;
      if (!message.key) continue;
      if (message.via === 'reply') {
        const index = tokenIndex.get(message.key);
        if (index === undefined || repliedKeys.has(message.key)) continue;
        repliedKeys.add(message.key);
        replyLatencies.push(message.at - sentAt[index]!);
        lastAnswer = Math.max(lastAnswer, message.at);
      } else if (!pushKeys.has(message.key)) {
        pushKeys.add(message.key);
        lastAnswer = Math.max(lastAnswer, message.at);
      }
    }
    for (const pid of system.pids) rssPeak = Math.max(rssPeak, rssMb(pid));
  };
  const sampler = setInterval(scan, 50);
  const startedAt = Date.now();
  const startedPerf = performance.now();
  await sendAll(
    system.urls,
    burst.bodies,
    CONNECTIONS,
    (index) => {
      sentAt[index] = Date.now();
    },
    (_index, ms, status) => {
      ackTimes.push(ms);
      if (status !== 200) failedAcks += 1;
      lastAck = performance.now();
    },
  );
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (repliedKeys.size + pushKeys.size < events - failedAcks && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    scan();
  }
  clearInterval(sampler);
  scan();
  const wireAfter = counter?.snapshot();
  const cpuUsed = system.pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
  // Backends opened during the burst count from zero; one closed during it is not counted.
  const backendsAfter = system.databasePids ? await system.databasePids() : undefined;
  const databaseCpu = backendsAfter?.reduce((sum, pid) => sum + cpuMs(pid) - (backendsBefore.get(pid) ?? 0), 0);
  ackTimes.sort((a, b) => a - b);
  replyLatencies.sort((a, b) => a - b);
  const answered = repliedKeys.size + pushKeys.size;
  return {
    events,
    failedAcks,
    ackPerSecond: events / ((lastAck - startedPerf) / 1000),
    ackP50: percentile(ackTimes, 50),
    ackP99: percentile(ackTimes, 99),
    answered,
    answeredPerSecond: answered / ((lastAnswer - startedAt) / 1000),
    replyP50: percentile(replyLatencies, 50),
    replyP99: percentile(replyLatencies, 99),
    pushes: pushKeys.size,
    rssPeakMb: rssPeak,
    cpuMsPerEvent: cpuUsed / events,
    databaseCpuMsPerEvent: databaseCpu === undefined ? undefined : databaseCpu / events,
    wire: wireBefore && wireAfter ? { roundTrips: wireAfter.roundTrips - wireBefore.roundTrips, statements: wireAfter.statements - wireBefore.statements } : undefined,
  };
}

/** One event per user first (profiles fetched, users created), so the burst measures steady state. */
async function warmUp(line: LineApiStub, system: RunningSystem): Promise<void> {
  await runBurst(line, system, USERS, USERS);
}

async function measure(name: string, line: LineApiStub, system: RunningSystem, counter?: PgWireCounter): Promise<Result> {
  await warmUp(line, system);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rssIdleMb = Math.max(...system.pids.map(rssMb));
  console.log(`  ${name}: burst of ${EVENTS} events from ${USERS} users over ${CONNECTIONS} connections (load average ${loadAverage()})`);
  const result = await runBurst(line, system, EVENTS, USERS, counter);
  return { system: name, rssIdleMb, ...result };
}

function printTable(results: Result[]): void {
  const echo = results.find((result) => result.system === 'echo bot (SDK example)');
  const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  const ratio = (value: number, base: number | undefined) => (base ? ` (${(value / base).toFixed(2)}×)` : '');
  const rows: [string, (result: Result) => string][] = [
    ['events acknowledged 200 / sent', (r) => `${r.events - r.failedAcks} / ${r.events}`],
    ['acknowledged per second', (r) => fmt(r.ackPerSecond) + ratio(r.ackPerSecond, echo?.ackPerSecond)],
    ['ack p50 / p99 (ms)', (r) => `${fmt(r.ackP50, 1)} / ${fmt(r.ackP99, 1)}`],
    ['answered per second, end to end', (r) => fmt(r.answeredPerSecond) + ratio(r.answeredPerSecond, echo?.answeredPerSecond)],
    ['answered / events', (r) => `${r.answered} / ${r.events}`],
    ['event → reply p50 / p99 (ms)', (r) => `${fmt(r.replyP50)} / ${fmt(r.replyP99)}`],
    ['pushes used', (r) => String(r.pushes)],
    ['RSS idle → peak (MB)', (r) => `${fmt(r.rssIdleMb)} → ${fmt(r.rssPeakMb)}`],
    ['CPU per event: process / PostgreSQL backends (ms)', (r) => `${fmt(r.cpuMsPerEvent, 2)} / ${r.databaseCpuMsPerEvent === undefined ? '–' : fmt(r.databaseCpuMsPerEvent, 2)}`],
    [
      'CPU per event, all, ratio to the echo bot',
      (r) => {
        const all = r.cpuMsPerEvent + (r.databaseCpuMsPerEvent ?? 0);
        return `${fmt(all, 2)} ms${echo ? ` (${(all / echo.cpuMsPerEvent).toFixed(2)}×)` : ''}`;
      },
    ],
    ['DB round trips / statements per event', (r) => (r.wire ? `${(r.wire.roundTrips / r.events).toFixed(2)} / ${(r.wire.statements / r.events).toFixed(2)}` : '–')],
  ];
  console.log(`\n| ${EVENTS} events, ${USERS} users, ${CONNECTIONS} connections | ${results.map((r) => r.system).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---').join('|')}|`);
  for (const [label, cell] of rows) console.log(`| ${label} | ${results.map(cell).join(' | ')} |`);
}

async function main(): Promise<void> {
  buildSystems();
  console.log(`webhook bench: ${EVENTS} events, ${USERS} users, ${CONNECTIONS} connections; systems ${SYSTEMS.join(', ')}; load average ${loadAverage()}`);
  const line = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
  const lineOrigin = await line.listen();
  const results: Result[] = [];
  const postgresUrl = new URL(ADMIN_URL);
  // The counting proxy costs CPU in this process for every database message, which the echo bot
  // never pays: only with --wire, in a run of its own, not in the runs whose rates are compared.
  const counter = WIRE ? new PgWireCounter(postgresUrl.hostname, Number(postgresUrl.port || 5432)) : undefined;
  const counterPort = await counter?.start();
  const viaCounter = async (name: string) => {
    const url = new URL(await recreateDatabase(name));
    if (PG_SETTING) await setDatabaseSetting(name, PG_SETTING);
    if (counterPort === undefined) return url.toString();
    url.port = String(counterPort);
    url.hostname = '127.0.0.1';
    return url.toString();
  };
  try {
    if (SYSTEMS.includes('echo')) {
      const echo = await startEcho(lineOrigin);
      try {
        results.push(await measure('echo bot (SDK example)', line, echo));
      } finally {
        await echo.stop();
      }
    }
    for (const kind of ['postgresql', 'embedded'] as const) {
      if (!SYSTEMS.includes(kind)) continue;
      const profileDir = CPU_PROFILE ? mkdtempSync(path.join(tmpdir(), `bench-prof-${kind}-`)) : undefined;
      const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-embedded-'));
      try {
        let database: { url: string } | { dataDir: string };
        if (kind === 'postgresql') database = { url: await viaCounter('bench_webhook') };
        else {
          // Create the embedded database first: the measured run is a restarted server, not initdb.
          database = { dataDir };
          const first = await startProduct(lineOrigin, database);
          await stopProcess(first.child);
        }
        const product = await startProduct(lineOrigin, database, profileDir);
        const system: RunningSystem = {
          urls: [product.url],
          pids: [product.child.pid!],
          databasePids: kind === 'postgresql' ? () => backendsOf('bench_webhook') : undefined,
          stop: () => stopProcess(product.child),
        };
        try {
          results.push(await measure(`product, ${kind}`, line, system, kind === 'postgresql' ? counter : undefined));
        } finally {
          await system.stop();
        }
        if (profileDir) summariseProfiles(profileDir);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        if (profileDir) rmSync(profileDir, { recursive: true, force: true });
      }
    }
    if (SYSTEMS.includes('two-instances')) {
      const url = await viaCounter('bench_webhook_two');
      const first = await startProduct(lineOrigin, { url });
      const second = await startProduct(lineOrigin, { url });
      const system: RunningSystem = {
        urls: [first.url, second.url],
        pids: [first.child.pid!, second.child.pid!],
        databasePids: () => backendsOf('bench_webhook_two'),
        stop: async () => {
          await Promise.all([stopProcess(first.child), stopProcess(second.child)]);
        },
      };
      try {
        results.push(await measure('product, 2 instances, postgresql', line, system, counter));
      } finally {
        await system.stop();
      }
    }
  } finally {
    await counter?.stop();
    await line.close();
  }
  printTable(results);
  const single = results.find((result) => result.system === 'product, postgresql');
  const two = results.find((result) => result.system === 'product, 2 instances, postgresql');
  if (single && two) console.log(`\ntwo instances / one instance, answered per second: ${(two.answeredPerSecond / single.answeredPerSecond).toFixed(2)}×`);
  console.log(`load average at the end: ${loadAverage()}`);
}

await main();
