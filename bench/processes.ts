// What the benchmarks share: free ports, child processes run as deployed (node on the built
// JavaScript), their memory and CPU read from /proc, and scratch databases on the PostgreSQL server.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
// /proc/<pid>/stat counts CPU time in clock ticks: USER_HZ, 100 on Linux (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!);
export const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * CPU time a process has used (user + system), from /proc/<pid>/stat, in ms. Unlike rates, CPU per
 * request hardly depends on what else the machine runs, so it compares systems fairly on a busy one.
 */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server processes serving one database (its backends). */
export async function backendsOf(database: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}

/** A new empty database on the PostgreSQL server (any old one of that name dropped); its URL. */
export async function recreateDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Sets a PostgreSQL setting (`name=value`) for every later session on one database. */
export async function setDatabaseSetting(database: string, setting: string): Promise<void> {
  const [name = '', value = ''] = setting.split('=');
  if (!/^[a-z_]+$/.test(name) || !/^[a-z0-9_]+$/i.test(value)) throw new Error(`not a setting: ${setting}`);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${database}" SET ${name} = '${value}'`);
  } finally {
    await admin.end();
  }
}

/** The node flags `npm start` runs the product with (package.json), so the benches run it the same way. */
/** `npm start`'s command: the environment it sets (NAME=value before `node`) and its node flags. */
function startCommand(): { env: Record<string, string>; flags: string[] } {
  const words = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  const node = words.indexOf('node');
  const env = Object.fromEntries(words.slice(0, node).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
  return { env, flags: words.slice(node + 1, words.indexOf('dist/main.js')) };
}

export function startFlags(): string[] {
  return startCommand().flags;
}

/** What `npm start` puts in the server's environment (glibc's malloc settings). */
export function startEnv(): Record<string, string> {
  return startCommand().env;
}

export function startProcess(script: string, env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Prints where the CPU profiles (node --cpu-prof) in `dir` spent their busy time: by package or src/ folder, and the hottest functions. */
export function summariseProfiles(dir: string): void {
  const selfByArea = new Map<string, number>();
  const inclusiveByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
      samples: number[];
      timeDeltas: number[];
    };
    const area = new Map<number, string>();
    const where = new Map<number, string>();
    const parent = new Map<number, number>();
    for (const node of profile.nodes) {
      const { url, functionName } = node.callFrame;
      for (const child of node.children ?? []) parent.set(child, node.id);
      where.set(node.id, `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(ROOT, '')}`);
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      const ours = /\/(?:src|dist)\/([^/]+)\//.exec(url)?.[1];
      area.set(node.id, pkg ?? (url.startsWith('node:') ? `node:${url.slice(5).split('/')[0]}` : ours ? `src/${ours}` : url === '' ? functionName || '(native)' : 'other'));
    }
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0;
      total += delta;
      const key = area.get(id) ?? 'other';
      if (key === '(idle)') {
        idle += delta;
        return;
      }
      selfByArea.set(key, (selfByArea.get(key) ?? 0) + delta);
      const fn = where.get(id) ?? 'other';
      selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + delta);
      // Inclusive: the sample counts once for every area on its stack (pg's time includes the
      // socket writes it asks node for, our code's includes what it calls).
      const onStack = new Set<string>();
      for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) onStack.add(area.get(node) ?? 'other');
      for (const key of onStack) inclusiveByArea.set(key, (inclusiveByArea.get(key) ?? 0) + delta);
    });
  }
  const busy = total - idle;
  const share = (value: number) => `${((100 * value) / busy).toFixed(1).padStart(5)} %`;
  console.log(`  CPU profile (share of busy time ${(busy / 1e6).toFixed(1)} s; self = in that code itself, inclusive = with what it called):`);
  const top = [...inclusiveByArea]
    .filter(([key]) => key !== '(root)' && key !== '(program)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 18);
  for (const [key, value] of top) console.log(`    ${key.padEnd(28)} self ${share(selfByArea.get(key) ?? 0)}   inclusive ${share(value)}`);
  console.log('  hottest functions (self time):');
  for (const [key, value] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${share(value)}  ${key}`);
}
