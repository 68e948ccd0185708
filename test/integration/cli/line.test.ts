import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createMachine } from '../../../src/bot/capabilities.js';
import { matchCommand } from '../../../src/conversation/machine.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from '../../support/databases.js';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET, LogCapture, messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';

const machine = createMachine();

const CLI_TIMEOUT = 90_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // `npm run admin` is `tsx src/cli/admin.ts`; loading tsx in one node process starts faster.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', APP_SECRET, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      } catch {
        // Not JSON output; the test says what it expected.
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

describe('admin CLI: richmenu:setup', () => {
  let stub: LineApiStub;
  let dataDir: string;
  const env = () => ({
    LINE_CHANNEL_SECRET: CHANNEL_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
    LINE_API_BASE_URL: stub.origin,
    LINE_DATA_API_BASE_URL: stub.origin,
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    DATA_DIR: dataDir,
  });

  beforeAll(async () => {
    stub = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    await stub.listen();
    dataDir = mkdtempSync(path.join(tmpdir(), 'cli-richmenu-'));
  });
  afterAll(async () => {
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'uploads a readable trilingual menu within LINE limits, whose buttons type the commands, and sets it as default',
    async () => {
      const [run, refused] = await Promise.all([runCli(['richmenu:setup', '--json'], env()), runCli(['richmenu:setup', '--json'], { ...env(), LINE_CHANNEL_ACCESS_TOKEN: 'wrong-token' })]);
      expect(run.code, run.stderr).toBe(0);
      const richMenuId = run.json.richMenuId as string;
      expect(stub.defaultRichMenuId).toBe(richMenuId);
      const stored = stub.richMenus.get(richMenuId)!;
      const menu = stored.menu as { size: { width: number; height: number }; chatBarText: string; areas: { bounds: { x: number; y: number; width: number; height: number }; action: { type: string; text: string } }[] };

      expect(stored.contentType).toBe('image/png');
      expect(stored.image!.length).toBeLessThanOrEqual(1024 * 1024);
      const png = PNG.sync.read(stored.image!);
      expect({ width: png.width, height: png.height }).toEqual(menu.size);
      expect(png.width).toBeGreaterThanOrEqual(800);
      expect(png.width).toBeLessThanOrEqual(2500);
      expect(png.width / png.height).toBeGreaterThanOrEqual(1.45);
      expect(Array.from(menu.chatBarText).length).toBeLessThanOrEqual(14);

      const commands = menu.areas.map((area) => {
        expect(area.action.type).toBe('message');
        return matchCommand(machine, area.action.text)?.command;
      });
      expect(commands).toEqual(['quick', 'create', 'links', 'summary', 'help', 'language']);
      for (const area of menu.areas) {
        const { x, y, width, height } = area.bounds;
        expect(x + width).toBeLessThanOrEqual(png.width);
        expect(y + height).toBeLessThanOrEqual(png.height);
        // Label text (dark pixels) is drawn in the lower part of every button.
        let dark = 0;
        for (let row = y + Math.floor(height * 0.45); row < y + height; row += 2) {
          for (let column = x; column < x + width; column += 2) {
            const offset = (row * png.width + column) * 4;
            if (png.data[offset]! < 100 && png.data[offset + 1]! < 100 && png.data[offset + 2]! < 100) dark++;
          }
        }
        expect(dark).toBeGreaterThan(2000);
      }
      expect(refused.code).toBe(1);
      expect(refused.json.error).toContain('LINE_CHANNEL_ACCESS_TOKEN');
    },
    CLI_TIMEOUT,
  );
});

describe('admin CLI → chat, end to end', () => {
  let shared: TestDatabase | undefined;
  let pgliteDir: string | undefined;
  let db: Database;
  let cliEnv: Record<string, string>;
  let harness: LineHarness;
  let local: { server: RunningServer; database: TestDatabase; dataDir: string };

  beforeAll(async () => {
    if (await isPostgresAvailable()) {
      shared = await createTestDatabase('postgresql');
      cliEnv = { DATABASE_URL: shared.url! };
    } else {
      pgliteDir = mkdtempSync(path.join(tmpdir(), 'cli-e2e-'));
      cliEnv = { DATA_DIR: pgliteDir };
    }
    const localDatabase = await createTestDatabase('pglite');
    const localDir = mkdtempSync(path.join(tmpdir(), 'cli-local-'));
    const localServer = await startServer(loadConfig({ PORT: '0', DATA_DIR: localDir, APP_SECRET, LOG_LEVEL: 'warn' }), {
      db: localDatabase.db,
      log: createLogger('warn', new LogCapture()),
      worker: { pollIntervalMs: 50, backoffMs: () => 50 },
    });
    local = { server: localServer, database: localDatabase, dataDir: localDir };
  });
  afterAll(async () => {
    await harness?.stop();
    if (shared) await shared.drop();
    else await db?.close();
    if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
    await local?.server.stop();
    await local?.database.drop();
    if (local) rmSync(local.dataDir, { recursive: true, force: true });
  });

  it(
    'an operator creates a merchant; its owner joins by a signed webhook:send; a stranger can only get help',
    async () => {
      const created = await runCli(['merchant:create', '--name', 'Tea House', '--json'], cliEnv);
      expect(created.code, created.stderr).toBe(0);
      // PGlite is one process's file: open it here only after the CLI has finished with it.
      db = shared ? shared.db : await openDatabase({ databaseUrl: undefined, dataDir: pgliteDir! });
      harness = await startLineHarness({ db });
      harness.line.profiles.set('Uowner', { displayName: 'Owner', language: 'en' });
      harness.line.profiles.set('Ustranger', { displayName: 'Stranger', language: 'en' });
      const lineEnv = { LINE_CHANNEL_SECRET: CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN, PUBLIC_BASE_URL: 'http://127.0.0.1:1', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cli-send-')) };

      const [joined, stranger, forged] = await Promise.all([
        runCli(['webhook:send', '--user', 'Uowner', '--text', `join ${String(created.json.inviteCode).toLowerCase()}`, '--url', harness.url, '--json'], lineEnv),
        runCli(['webhook:send', '--user', 'Ustranger', '--text', 'links', '--url', harness.url, '--json'], lineEnv),
        runCli(['webhook:send', '--user', 'Ustranger', '--text', 'help', '--url', harness.url, '--json'], { ...lineEnv, LINE_CHANNEL_SECRET: 'not-the-channel-secret' }),
      ]);
      expect(joined.code, joined.stderr).toBe(0);
      expect(joined.json).toMatchObject({ status: 200, webhookEventId: expect.stringMatching(/^[0-9A-Z]{26}$/) });
      expect(stranger.code, stranger.stderr).toBe(0);
      expect(forged.code).toBe(1);
      expect(forged.json.status).toBe(401);

      const [welcome] = await harness.line.waitForMessages('Uowner', 1);
      expect(messageText(welcome!.message)).toContain('Welcome to Tea House! You joined as Owner');
      const [refusal] = await harness.line.waitForMessages('Ustranger', 1);
      expect(messageText(refusal!.message)).toContain('not a member');
      const member = await db.prisma.member.findFirst({ where: { userId: 'Uowner' }, include: { merchant: true } });
      expect(member).toMatchObject({ role: 'owner', merchant: { name: 'Tea House' } });
      expect(await db.prisma.member.count({ where: { userId: 'Ustranger' } })).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'in local mode webhook:send prints the bot replies',
    async () => {
      const run = await runCli(['webhook:send', '--user', 'Ulocal', '--text', 'help', '--url', local.server.url, '--json'], { DATA_DIR: local.dataDir });
      expect(run.code, run.stderr).toBe(0);
      expect(run.json.status).toBe(200);
      const replies = run.json.replies as { via: string; message: Record<string, unknown> }[];
      expect(replies.length).toBeGreaterThan(0);
      // The first local user owns the demo shop, so help is the member's help.
      expect(replies.map((reply) => messageText(reply.message)).join('\n')).toContain('Demo shop');
      const text = await runCli(['webhook:send', '--user', 'Ulocal', '--text', 'join', '--url', local.server.url], { DATA_DIR: local.dataDir });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('HTTP 200');
      expect(text.stdout).toMatch(/Demo shop/);
    },
    CLI_TIMEOUT,
  );
});
