import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET } from '../support/line-harness.js';
import { createTestDatabase, isPostgresAvailable, migratedDataDir, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/free-port.js';

// Each of these costs the idle server megabytes (BENCHMARKS.md, "Memory: what the server holds")
// and is needed only by a feature most processes rarely use, so it is imported where first used.
const LOADED_ON_FIRST_USE = ['sharp', '@resvg/resvg-js', 'qrcode', 'csv-stringify', '@electric-sql/pglite', 'pglite-prisma-adapter'];

// Preloaded into the server (node --import): a module hook lists every module the process loads,
// and SIGUSR2 writes the list where the test reads it.
const HOOKS = `let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;
const PRELOAD = `import { register } from 'node:module';
import { renameSync, writeFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const loaded = [];
port1.on('message', (url) => loaded.push(url));
port1.unref();
register(new URL('./hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
process.on('SIGUSR2', () => {
  // Whole or not at all: the test reads the file as soon as it exists.
  writeFileSync(process.env.LOADED_MODULES_FILE + '.part', loaded.join('\\n'));
  renameSync(process.env.LOADED_MODULES_FILE + '.part', process.env.LOADED_MODULES_FILE);
});
`;

/** The environment (NAME=value before `node`) and node flags `npm start` runs the server with. */
function startCommand(): { env: Record<string, string>; flags: string[] } {
  const words = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  const node = words.indexOf('node');
  const env = Object.fromEntries(words.slice(0, node).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
  return { env, flags: words.slice(node + 1, words.indexOf('dist/main.js')) };
}

// Generous (the tests get 90 s): a start took about 20 s on a loaded machine, and only what it loaded is asserted.
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the built server as `npm start` does with `database` (its DATABASE_URL or DATA_DIR), waits
 * until it has started, and returns which of `names` (npm packages) it has loaded.
 */
async function packagesLoadedAtStartup(database: Record<string, string>, names: string[]): Promise<string[]> {
  const port = await freePort();
  const listFile = path.join(dir, `loaded-${port}.txt`);
  const start = startCommand();
  const child = spawn(process.execPath, [...start.flags, '--import', pathToFileURL(path.join(dir, 'preload.mjs')).href, 'dist/main.js'], {
    env: {
      ...start.env,
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
      // Nothing listens there: starting must not need LINE.
      LINE_API_BASE_URL: 'http://127.0.0.1:9',
      LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9',
      APP_SECRET,
      LOG_LEVEL: 'info',
      LOADED_MODULES_FILE: listFile,
      ...database,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    // Logged once startServer has returned: everything started (the embedded server's CLI endpoint
    // too, loaded after it listens) is loaded by then; /readyz answers earlier.
    await until('the server to have started', () => (output.includes('"msg":"serving"') ? true : undefined));
    child.kill('SIGUSR2');
    const loaded = await until('the list of loaded modules', () => (existsSync(listFile) ? readFileSync(listFile, 'utf8').split('\n') : undefined));
    return names.filter((name) => loaded.some((url) => url.includes(`/node_modules/${name}/`)));
  } finally {
    child.kill('SIGKILL');
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'startup-modules-'));
beforeAll(() => {
  writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(path.join(dir, 'preload.mjs'), PRELOAD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(await isPostgresAvailable())('what the built server loads at startup on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
  });
  afterAll(() => database.drop());

  it('leaves the image, QR, CSV and embedded-database packages unloaded until a feature needs them', async () => {
    // The list is the server's: what it needs at startup is in it.
    expect(await packagesLoadedAtStartup({ DATABASE_URL: database.url! }, ['express', 'pg', '@prisma/client', ...LOADED_ON_FIRST_USE])).toEqual(['express', 'pg', '@prisma/client']);
  }, 90_000);
});

describe('what the built server loads at startup on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await migratedDataDir('startup-modules-');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loads PGlite, and leaves the image, QR and CSV packages unloaded (the admin CLI it serves among them)', async () => {
    expect(await packagesLoadedAtStartup({ DATA_DIR: dataDir }, ['express', ...LOADED_ON_FIRST_USE])).toEqual(['express', '@electric-sql/pglite', 'pglite-prisma-adapter']);
  }, 90_000);
});
