// The admin CLI's merchant commands. Each behaviour of the process itself — exit codes, the one
// JSON object on stdout, secrets read from stdin and never printed — is checked on a real child
// process; what the commands store and refuse is checked in this process (test/support/admin-cli.ts).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { INVITE_TTL_MS } from '../../../src/merchants/create-invite.js';
import { hashInviteCode, parseInviteCode } from '../../../src/merchants/invite-code.js';
import { getMerchantKomojuKeys } from '../../../src/merchants/komoju-keys.js';
import { SecretBoxError } from '../../../src/merchants/secret-box.js';
import { runAdminInProcess, runAdminProcess, type CliRun } from '../../support/admin-cli.js';
import { createTestDatabase, isPostgresAvailable, migratedDataDir, type TestDatabase } from '../../support/databases.js';

const APP_SECRET = 'cli-test-app-secret-0123456789abcdef012345';
const SECRET_KEY = 'sk_test_cli_never_print_me_4242';
const WEBHOOK_SECRET = 'whsec_cli_never_print_me_2424';
const CLI_TIMEOUT = 90_000;

function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliRun> {
  return runAdminProcess(args, { APP_SECRET, LOG_LEVEL: 'debug', ...env }, { stdin });
}

/**
 * The CLI's database: a PostgreSQL test database when the server answers (shared with this
 * process), else embedded PGlite in a temp DATA_DIR (opened here only between CLI runs).
 */
interface Target {
  env: Record<string, string>;
  inspect<T>(work: (db: Database) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

async function openTarget(): Promise<Target> {
  if (await isPostgresAvailable()) {
    const database: TestDatabase = await createTestDatabase('postgresql');
    return { env: { DATABASE_URL: database.url! }, inspect: (work) => work(database.db), drop: () => database.drop() };
  }
  const dataDir = await migratedDataDir('cli-merchants-');
  return {
    env: { DATA_DIR: dataDir },
    async inspect(work) {
      const db = await openDatabase({ databaseUrl: undefined, dataDir });
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('admin CLI: merchants, invites, KOMOJU keys', () => {
  let target: Target;
  let merchantId: string;

  beforeAll(async () => {
    target = await openTarget();
  });
  afterAll(async () => {
    await target?.drop();
  });

  /** The command in this process, on the CLI's database with the CLI's settings. */
  const inProcess = (name: string, flags: Record<string, string | true>, stdin?: string) =>
    target.inspect((db) => runAdminInProcess(name, flags, { config: loadConfig({ APP_SECRET, ...target.env }), db, stdin }));

  it(
    'merchant:create prints { merchantId, inviteCode } and stores only the code hash (owner invite)',
    async () => {
      const run = await runCli(['merchant:create', '--name', 'Tea House', '--json'], target.env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json).toMatchObject({ merchantId: expect.stringMatching(/^m_/), inviteCode: expect.stringMatching(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/) });
      merchantId = run.json.merchantId as string;
      const code = parseInviteCode(run.json.inviteCode as string)!;
      const invite = await target.inspect((db) => db.prisma.invite.findUnique({ where: { codeHash: hashInviteCode(code, APP_SECRET) } }));
      expect(invite).toMatchObject({ merchantId, role: 'owner', usedAt: null });
      const merchant = await target.inspect((db) => db.prisma.merchant.findUnique({ where: { id: merchantId } }));
      expect(merchant?.name).toBe('Tea House');
    },
    CLI_TIMEOUT,
  );

  it(
    'invite prints { inviteCode, expiresAt } seven days ahead; bad input exits non-zero with a clear error',
    async () => {
      const started = Date.now();
      // Only the process parses the command name; the rest is the commands' own doing.
      const unknownCommand = await runCli(['merchant:explode', '--json'], target.env);
      const { outcome: ok } = await inProcess('invite', { merchant: merchantId, json: true });
      const { outcome: unknown } = await inProcess('invite', { merchant: 'm_nope', json: true });
      const { outcome: missing } = await inProcess('merchant:create', { json: true });
      expect(ok.exitCode, ok.text).toBe(0);
      expect(ok.json.inviteCode).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
      const expiresAt = Date.parse(ok.json.expiresAt as string);
      expect(expiresAt).toBeGreaterThanOrEqual(started + INVITE_TTL_MS - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + INVITE_TTL_MS + 1000);
      expect(unknown.exitCode).toBe(3);
      expect(unknown.json.error).toContain('no merchant with id "m_nope"');
      expect(missing.exitCode).toBe(2);
      expect(missing.json.error).toContain('--name');
      expect(unknownCommand.code).toBe(2);
      expect(unknownCommand.stderr).toContain('unknown command');
    },
    CLI_TIMEOUT,
  );

  it(
    'komoju:set reads both keys from stdin, stores them encrypted, and never prints them',
    async () => {
      const run = await runCli(['komoju:set', '--merchant', merchantId, '--json'], target.env, `${SECRET_KEY}\n${WEBHOOK_SECRET}\n`);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json).toEqual({ merchantId, stored: true, mode: 'test', webhookUrl: expect.stringMatching(new RegExp(`/webhooks/komoju/merchants/${merchantId}$`)) });
      for (const output of [run.stdout, run.stderr]) {
        expect(output).not.toContain(SECRET_KEY);
        expect(output).not.toContain(WEBHOOK_SECRET);
      }
      await target.inspect(async (db) => {
        const row = await db.prisma.merchant.findUnique({ where: { id: merchantId } });
        expect(JSON.stringify(row)).not.toContain('never_print_me');
        expect(await getMerchantKomojuKeys(db.prisma, APP_SECRET, merchantId)).toEqual({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
        await expect(getMerchantKomojuKeys(db.prisma, 'wrong-app-secret-0123456789abcdef0123456', merchantId)).rejects.toThrow(SecretBoxError);
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'komoju:set refuses keys in argv or a publishable key, and stores nothing',
    async () => {
      const argv = await inProcess('komoju:set', { merchant: merchantId, 'secret-key': 'sk_test_argv_leak', json: true });
      const publishable = await inProcess('komoju:set', { merchant: merchantId, json: true }, 'pk_test_public\nwhsec_x\n');
      expect(argv.outcome.exitCode).toBe(2);
      expect(argv.outcome.json.error).toContain('stdin');
      expect(publishable.outcome.exitCode).toBe(2);
      expect(publishable.outcome.json.error).toContain('publishable');
      // What the process would print: the outcome on stdout or stderr, and the log on stderr.
      for (const { outcome, logs } of [argv, publishable]) expect(`${JSON.stringify(outcome.json)}\n${outcome.text}\n${logs.text()}`).not.toMatch(/pk_test_public|whsec_x/);
      await target.inspect(async (db) => {
        expect(await getMerchantKomojuKeys(db.prisma, APP_SECRET, merchantId)).toEqual({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
      });
    },
    CLI_TIMEOUT,
  );
});
