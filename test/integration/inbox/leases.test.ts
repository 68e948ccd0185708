import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { createTestDatabase, databaseKinds, isPostgresAvailable } from '../../support/databases.js';
import { startLineHarness } from '../../support/line-harness.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { useTestDatabase } from '../../support/suite-setup.js';

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(await databaseKinds())('event leases on %s', (kind) => {
  const { database } = useTestDatabase(kind);

  it('keeps a slow event to one run: the lease is renewed while LINE is slow', async () => {
    // The reply takes three leases; a renewal may come late by two thirds of one (a loaded machine).
    const harness = await startLineHarness({ db: database.db, worker: { leaseMs: 1_000, pollIntervalMs: 20 } });
    try {
      harness.line.delayNext(/\/message\/reply$/, 3_000);
      const event = harness.textEvent('Uslow', 'help');
      expect((await harness.deliver([event])).status).toBe(200);
      await harness.line.waitForMessages('Uslow', 1);
      await harness.server.worker.idle();
      const row = await database.db.prisma.lineEvent.findUniqueOrThrow({ where: { webhookEventId: event.webhookEventId as string } });
      expect(row.attempts).toBe(1);
      expect(harness.line.requests.filter((request) => request.path === '/v2/bot/message/reply' && (request.body as { replyToken?: string }).replyToken === event.replyToken)).toHaveLength(1);
    } finally {
      await harness.stop();
    }
  });
});

describe.runIf(await isPostgresAvailable())('database lost while an event runs', () => {
  it('does not crash the process, and the event completes once the database is back', async () => {
    const database = await createTestDatabase('postgresql');
    const target = new URL(database.url!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(database.url!);
    viaProxy.port = String(port);
    const db = await openDatabase({ databaseUrl: viaProxy.toString(), dataDir: '', poolSize: 2 });
    const harness = await startLineHarness({ db, worker: { leaseMs: 1_000, pollIntervalMs: 50 } });
    try {
      const releaseReply = harness.line.holdNext(/\/message\/reply$/);
      onTestFinished(releaseReply);
      const event = harness.textEvent('Ulost', 'help');
      expect((await harness.deliver([event])).status).toBe(200);
      // The reply is on its way (held at LINE); the database disappears before the outcome is written.
      await until('the reply to be on its way', async () => (await database.db.prisma.lineEvent.findUnique({ where: { webhookEventId: event.webhookEventId as string } }))?.status === 'replying');
      await proxy.stop();
      releaseReply();
      await harness.line.waitForMessages('Ulost', 1);
      await until('the lost outcome to be logged', async () => harness.logs.entries().some((entry) => String(entry.msg).startsWith('could not record the outcome of an event')));

      await proxy.start(port);
      await harness.server.worker.idle(15_000);
      const row = await database.db.prisma.lineEvent.findUniqueOrThrow({ where: { webhookEventId: event.webhookEventId as string } });
      expect(row.status).toBe('done');
    } finally {
      await harness.stop();
      await db.close();
      await proxy.stop();
      await database.drop();
    }
  });
});
