// The admin CLI in a second terminal while `npm start` runs: on the embedded database (where the
// server holds the files and runs the CLI's commands for it) and on PostgreSQL, with the same
// results. On the embedded database the CLI runs as a child process, as an operator runs it, and
// this test process is the server. On PostgreSQL the CLI is a plain database client: only the
// `npm run admin` runs are processes there, the other commands run in this process with the
// server's settings (test/support/admin-cli.ts), and must give exactly what the embedded ones gave.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { LogCapture } from '../../support/line-harness.js';
import { runAdminInProcess, runAdminProcess } from '../../support/admin-cli.js';
import { createTestDatabase, databaseKinds, migratedDataDir, type TestDatabase } from '../../support/databases.js';
import { formTokenIn } from '../../support/buyer-fixtures.js';
import { freePort } from '../../support/free-port.js';

// Each CLI run is a fresh Node process (a few seconds; much more on a loaded machine).
const TIMEOUT = 300_000;

/** `npm run admin -- …` as README says, or the same program without npm (faster) for the rest. */
async function admin(args: string[], env: Record<string, string>, options: { viaNpm?: boolean; stdin?: string } = {}): Promise<Record<string, unknown>> {
  const result = await runAdminProcess([...args, '--json'], env, options);
  expect(result.code, result.stderr).toBe(0);
  // Exactly one JSON object on stdout, nothing else (npm's own lines included).
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

type Server = RunningServer;

/** Chats `quick` → 1500 → name in the simulator; returns the new link's slug. */
async function quickLink(server: Server, userId: string, name: string): Promise<string> {
  for (const text of ['quick', '1500', name]) {
    const response = await fetch(`${server.url}/dev/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) });
    expect(response.status).toBe(200);
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listed = await (await fetch(`${server.url}/dev/api/messages?userId=${userId}&since=0`)).text();
    const slug = new RegExp(`${server.url}/l/([A-Za-z0-9_-]+)`).exec(listed)?.[1];
    if (slug) return slug;
    if (Date.now() > deadline) throw new Error(`no link issued: ${listed.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A buyer pays the link in the sandbox checkout. */
async function pay(server: Server, slug: string): Promise<void> {
  const post = (target: string, fields: Record<string, string>) =>
    fetch(`${server.url}${target}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams(fields).toString(),
    });
  const page = await (await fetch(`${server.url}/l/${slug}`)).text();
  const checkout = await post(`/l/${slug}/checkout`, { token: formTokenIn(page) });
  expect(checkout.status).toBe(303);
  const session = new URL(checkout.headers.get('location')!).pathname;
  const sandbox = await (await fetch(`${server.url}${session}`)).text();
  expect((await post(session, { token: formTokenIn(sandbox), action: 'pay' })).status).toBe(303);
}

const kinds = await databaseKinds();
const results = new Map<string, unknown>();
// Settled when the embedded run has ended, passed or not: PostgreSQL's results are compared with its.
let embeddedEnded: () => void = () => undefined;
const embeddedDone = new Promise<void>((resolve) => (embeddedEnded = resolve));

// Concurrent: each run mostly waits on processes (CLI starts, npm), and they share nothing but `results`.
describe.concurrent.each(kinds)('admin CLI while the server runs on %s', (kind) => {
  let dataDir = '';
  let database: TestDatabase | undefined;
  let server: Server | undefined;
  const logs = new LogCapture();
  afterAll(async () => {
    if (kind === 'pglite') embeddedEnded();
    await server?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'creates a merchant, stores KOMOJU keys from stdin, lists payments, refunds one, reads the summary; one JSON object on stdout through npm',
    async () => {
      // The CLI gets the server's settings, as both would read the same .env.
      dataDir = await migratedDataDir(`cli-alongside-${kind}-`);
      const port = await freePort();
      const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` };
      if (kind === 'postgresql') {
        database = await createTestDatabase('postgresql');
        env.DATABASE_URL = database.url!;
      }
      // Opens (and, embedded, locks) the database itself, as `npm start` does.
      server = await startServer(loadConfig({ ...env, LOG_LEVEL: 'info' }), { log: createLogger('info', logs), worker: { pollIntervalMs: 50 } });
      if (kind === 'pglite') expect(readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8').trim()).toBe(String(process.pid));

      const running = server;
      const commandLogs = new LogCapture();
      /** A command's --json object: a CLI process beside the embedded server; on PostgreSQL, in this process. */
      const cli = async (args: string[], options: { stdin?: string } = {}): Promise<Record<string, unknown>> => {
        if (kind === 'pglite') return admin(args, env, options);
        const [name, ...pairs] = args;
        const flags: Record<string, string> = {};
        for (let index = 0; index < pairs.length; index += 2) flags[pairs[index]!.replace(/^--/, '')] = pairs[index + 1]!;
        const { outcome, logs } = await runAdminInProcess(name!, { ...flags, json: true }, { config: running.config, db: running.db, stdin: options.stdin });
        commandLogs.lines.push(...logs.lines);
        expect(outcome.exitCode, outcome.text).toBe(0);
        return outcome.json;
      };

      const slug = await quickLink(server, 'Ucliowner', 'Tシャツ');
      await pay(server, slug);

      const [created, listedPayments] = await Promise.all([cli(['merchant:create', '--name', 'Tea House']), cli(['payment:list', '--link', slug])]);
      expect(created).toMatchObject({ merchantId: expect.stringMatching(/^m_/), inviteCode: expect.any(String) });
      expect(listedPayments).toMatchObject({ link: slug, currency: 'JPY', total: 1, payments: [{ state: 'captured', amount: 1500, refundedAmount: 0 }] });
      const paymentId = (listedPayments.payments as { paymentId: string }[])[0]!.paymentId;

      const [keys, refund] = await Promise.all([
        cli(['komoju:set', '--merchant', created.merchantId as string], { stdin: 'sk_test_alongside_4242\nwhsec_alongside\n' }),
        cli(['sandbox:refund', '--payment', paymentId, '--amount', '500']),
      ]);
      expect(keys).toMatchObject({ merchantId: created.merchantId, stored: true, mode: 'test' });
      expect(refund).toMatchObject({ paymentId, amount: 500, amountRefunded: 500, chargeback: false });

      const [summary, failed] = await Promise.all([admin(['summary', '--link', slug], env, { viaNpm: true }), runAdminProcess(['invite', '--merchant', 'm_nope', '--json'], env, { viaNpm: true })]);
      expect(summary).toEqual({ currency: 'JPY', capturedAmount: 1000, capturedPayments: 1, pendingPayments: 0, refundedPayments: 0 });
      expect(failed.code).toBe(3);
      expect(JSON.parse(failed.stdout)).toEqual({ error: expect.stringContaining('no merchant with id "m_nope"') });
      const merchant = await server.db.prisma.merchant.findUniqueOrThrow({ where: { id: created.merchantId as string } });
      expect(merchant).toMatchObject({ name: 'Tea House', komojuSecretKeyEnc: expect.any(String) });

      expect(keys.webhookUrl).toBe(`${server.url}/webhooks/komoju/merchants/${created.merchantId as string}`);
      const { merchantId: _merchant, webhookUrl: _url, ...keysResult } = keys;
      const { paymentId: _payment, refundId: _refund, eventId: _event, ...refundResult } = refund;
      const payments = (listedPayments.payments as Record<string, unknown>[]).map(({ state, status, amount, refundedAmount }) => ({ state, status, amount, refundedAmount }));
      results.set(kind, { summary, keysResult, refundResult, payments, failed: JSON.parse(failed.stdout) as unknown });
      // PostgreSQL must give exactly what the embedded run gave.
      if (kind === 'postgresql') expect(results.get('postgresql')).toEqual(await embeddedDone.then(() => results.get('pglite')));
      for (const log of [logs, commandLogs]) {
        expect(log.text()).not.toContain('sk_test_alongside_4242');
        expect(log.text()).not.toContain('whsec_alongside');
      }
    },
    TIMEOUT,
  );
});
