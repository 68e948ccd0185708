// The admin CLI's LINE commands: richmenu:setup against the fake LINE API, and webhook:send into a
// running bot. What the commands do is checked in this process (test/support/admin-cli.ts); one
// webhook:send runs as a real process to show its plain-text output. Exit codes, JSON on stdout
// and secrets on stdin are the process tests in merchants.test.ts and alongside-server.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createMachine } from '../../../src/bot/capabilities.js';
import { matchCommand } from '../../../src/conversation/machine.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { runAdminInProcess, runAdminProcess } from '../../support/admin-cli.js';
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from '../../support/databases.js';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET, LogCapture, messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';

const machine = createMachine();

const CLI_TIMEOUT = 90_000;

/** The command in this process with the settings `env` gives, as the CLI would read them; its outcome. */
async function runCli(name: string, flags: Record<string, string | true>, env: Record<string, string>, db?: TestDatabase) {
  const { outcome } = await runAdminInProcess(name, flags, { config: loadConfig({ APP_SECRET, LOG_LEVEL: 'warn', ...env }), db: db?.db });
  return outcome;
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
      const [run, refused] = await Promise.all([runCli('richmenu:setup', { json: true }, env()), runCli('richmenu:setup', { json: true }, { ...env(), LINE_CHANNEL_ACCESS_TOKEN: 'wrong-token' })]);
      expect(run.exitCode, run.text).toBe(0);
      const richMenuId = run.json.richMenuId as string;
      expect(stub.defaultRichMenuId).toBe(richMenuId);
      const stored = stub.richMenus.get(richMenuId)!;
      const menu = stored.menu as {
        size: { width: number; height: number };
        chatBarText: string;
        areas: { bounds: { x: number; y: number; width: number; height: number }; action: { type: string; text: string } }[];
      };

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
      expect(refused.exitCode).toBe(1);
      expect(refused.json.error).toContain('LINE_CHANNEL_ACCESS_TOKEN');
    },
    CLI_TIMEOUT,
  );
});

describe('admin CLI → chat, end to end', () => {
  let database: TestDatabase;
  let harness: LineHarness;
  let local: { server: RunningServer; database: TestDatabase; dataDir: string };

  beforeAll(async () => {
    database = await createTestDatabase((await isPostgresAvailable()) ? 'postgresql' : 'pglite');
    harness = await startLineHarness({ db: database.db });
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
    await database?.drop();
    await local?.server.stop();
    await local?.database.drop();
    if (local) rmSync(local.dataDir, { recursive: true, force: true });
  });

  it(
    'an operator creates a merchant; its owner joins by a signed webhook:send; a stranger can only get help',
    async () => {
      const created = await runCli('merchant:create', { name: 'Tea House', json: true }, database.url ? { DATABASE_URL: database.url } : { DATA_DIR: tmpdir() }, database);
      expect(created.exitCode, created.text).toBe(0);
      harness.line.profiles.set('Uowner', { displayName: 'Owner', language: 'en' });
      harness.line.profiles.set('Ustranger', { displayName: 'Stranger', language: 'en' });
      const lineEnv = { LINE_CHANNEL_SECRET: CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN, PUBLIC_BASE_URL: 'http://127.0.0.1:1', DATA_DIR: tmpdir() };

      const [joined, stranger, forged] = await Promise.all([
        runCli('webhook:send', { user: 'Uowner', text: `join ${String(created.json.inviteCode).toLowerCase()}`, url: harness.url, json: true }, lineEnv),
        runCli('webhook:send', { user: 'Ustranger', text: 'links', url: harness.url, json: true }, lineEnv),
        runCli('webhook:send', { user: 'Ustranger', text: 'help', url: harness.url, json: true }, { ...lineEnv, LINE_CHANNEL_SECRET: 'not-the-channel-secret' }),
      ]);
      expect(joined.exitCode, joined.text).toBe(0);
      expect(joined.json).toMatchObject({ status: 200, webhookEventId: expect.stringMatching(/^[0-9A-Z]{26}$/) });
      expect(stranger.exitCode, stranger.text).toBe(0);
      expect(forged.exitCode).toBe(1);
      expect(forged.json.status).toBe(401);

      const [welcome] = await harness.line.waitForMessages('Uowner', 1);
      expect(messageText(welcome!.message)).toContain('Welcome to Tea House! You joined as Owner');
      const [refusal] = await harness.line.waitForMessages('Ustranger', 1);
      expect(messageText(refusal!.message)).toContain('not a member');
      const member = await database.db.prisma.member.findFirst({ where: { userId: 'Uowner' }, include: { merchant: true } });
      expect(member).toMatchObject({ role: 'owner', merchant: { name: 'Tea House' } });
      expect(await database.db.prisma.member.count({ where: { userId: 'Ustranger' } })).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'in local mode webhook:send prints the bot replies',
    async () => {
      const run = await runCli('webhook:send', { user: 'Ulocal', text: 'help', url: local.server.url, json: true }, { DATA_DIR: local.dataDir });
      expect(run.exitCode, run.text).toBe(0);
      expect(run.json.status).toBe(200);
      const replies = run.json.replies as { via: string; message: Record<string, unknown> }[];
      expect(replies.length).toBeGreaterThan(0);
      // The first local user owns the demo shop, so help is the member's help.
      expect(replies.map((reply) => messageText(reply.message)).join('\n')).toContain('Demo shop');
      // Without --json, as a process: the status line and the replies' text on stdout.
      const text = await runAdminProcess(['webhook:send', '--user', 'Ulocal', '--text', 'join', '--url', local.server.url], { APP_SECRET, LOG_LEVEL: 'warn', DATA_DIR: local.dataDir });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('HTTP 200');
      expect(text.stdout).toMatch(/Demo shop/);
    },
    CLI_TIMEOUT,
  );
});
