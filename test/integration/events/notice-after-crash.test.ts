// The operator's scenario from issue 22, on the service as `npm start` runs it: KOMOJU's signed
// webhook records a payment while LINE's push API answers 500, the process is killed (kill -9)
// right after that — after a restart with LINE healthy, the link's creator is told exactly once,
// and every push of that notice carried the same X-Line-Retry-Key.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { retryKeyFor } from '../../../src/line/line-client.js';
import { createKomojuProvider } from '../../../src/payments/komoju/komoju-client.js';
import { seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { createTestDatabase, databaseKinds, migratedDataDir, type DatabaseKind } from '../../support/databases.js';
import { startFakeKomoju } from '../../support/fake-komoju.js';
import { freePort } from '../../support/free-port.js';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET } from '../../support/line-harness.js';

const SECRET_KEY = 'sk_test_crash_0123456789';
const WEBHOOK_SECRET = 'whsec_crash_0123456789abcdef';
const PUSH = '/v2/bot/message/push';

interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LINE_CHANNEL_SECRET: CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN, APP_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000; // a first embedded start runs initdb: slow on a loaded machine
  for (;;) {
    if (
      await fetch(`${url}/readyz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url, output: () => output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The database the service runs on, seeded with a link; for PGlite opened by the test only while the service is down. */
async function prepareDatabase(
  kind: DatabaseKind,
): Promise<{ env: Record<string, string>; link: SeededLink; open: () => Promise<Database>; release: (db: Database) => Promise<void>; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    // A copy of the run's migrated template: no initdb here (the service's first start is process.test.ts's).
    const dataDir = await migratedDataDir('crash-');
    const open = async () => {
      const db = await openDatabase({ databaseUrl: undefined, dataDir });
      await db.migrate();
      return db;
    };
    const db = await open();
    const link = await seedLink(db.prisma, { productName: 'Gyokuro', language: 'en', amount: 3200 });
    await db.close();
    return { env: { DATA_DIR: dataDir }, link, open, release: (opened) => opened.close(), drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const database = await createTestDatabase('postgresql');
  const link = await seedLink(database.db.prisma, { productName: 'Gyokuro', language: 'en', amount: 3200 });
  return {
    env: { DATABASE_URL: database.url!, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'crash-unused-')) },
    link,
    open: async () => database.db,
    release: async () => undefined,
    drop: () => database.drop(),
  };
}

// Concurrent: most of each run is waiting (two process starts, the killed claim's lease), and the two share nothing.
describe.concurrent.each(await databaseKinds())('a payment notice across LINE being down and a kill -9, on %s', (kind) => {
  it('is delivered exactly once after the restart, with one retry key across every attempt', async () => {
    const fake = await startFakeKomoju({ secretKey: SECRET_KEY });
    const downLine = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    const healthyLine = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    const database = await prepareDatabase(kind);
    const services: Service[] = [];
    try {
      // The shortest lease the service takes (30 s unless set): the killed claim is taken over after it.
      const komojuEnv = { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, DOMAIN_EVENT_LEASE_SECONDS: '5' };
      const downOrigin = await downLine.listen();
      downLine.failNext(new RegExp(PUSH), 500, { message: 'An error occurred in the server' }, 1_000);
      const first = await startService({ ...database.env, ...komojuEnv, LINE_API_BASE_URL: downOrigin, LINE_DATA_API_BASE_URL: downOrigin });
      services.push(first);

      // The buyer paid on KOMOJU's page; KOMOJU's signed webhook reports it.
      const session = await createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url }).createSession({
        amount: 3200,
        currency: 'JPY',
        locale: 'en',
        returnUrl: `${first.url}/l/${database.link.slug}/return`,
        lineItem: { description: 'Gyokuro', amount: 3200, quantity: 1 },
        metadata: { linkId: database.link.linkId },
        idempotencyKey: `crash-${kind}-${Date.now()}`,
      });
      const payment = fake.completeSession(session.id, 'captured');
      expect(await fake.sendWebhook(`${first.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
      // LINE is down: the worker's first push is refused (500). Killed at once after that.
      await until('a push attempt at the LINE API that is down', () => downLine.requests.some((request) => request.path === PUSH), 15_000);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(downLine.messagesTo(database.link.creatorId)).toHaveLength(0);

      const healthyOrigin = await healthyLine.listen();
      const second = await startService({ ...database.env, ...komojuEnv, LINE_API_BASE_URL: healthyOrigin, LINE_DATA_API_BASE_URL: healthyOrigin });
      services.push(second);
      const [notice] = await healthyLine.waitForMessages(database.link.creatorId, 1, 60_000);
      expect(notice?.via).toBe('push');
      expect(String(notice?.message.text)).toContain('Payment received\nGyokuro: ¥3,200');
      // Give the restarted worker time to act twice if it were going to (it polls every second).
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(healthyLine.messagesTo(database.link.creatorId)).toHaveLength(1);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      const db = await database.open();
      try {
        const event = await db.prisma.domainEvent.findUniqueOrThrow({ where: { dedupeKey: `payments.captured:${payment.id}` } });
        expect(event).toMatchObject({ status: 'done', type: 'payments.captured' });
        expect(event.attempts).toBeGreaterThanOrEqual(2);
        const keys = [...downLine.requests, ...healthyLine.requests].filter((request) => request.path === PUSH).map((request) => request.headers['x-line-retry-key']);
        expect(keys.length).toBeGreaterThanOrEqual(2);
        expect(new Set(keys)).toEqual(new Set([retryKeyFor('payments', 'payments.captured', event.id)]));
        expect((await db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).noticeSentAt).not.toBeNull();
      } finally {
        await database.release(db);
      }
    } finally {
      for (const service of services) service.child.kill('SIGKILL');
      await Promise.all(services.map((service) => service.exited));
      await downLine.close();
      await healthyLine.close();
      await fake.close();
      await database.drop();
    }
  }, 180_000);
});
