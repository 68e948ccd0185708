import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { createTestDatabase, databaseKinds, isPostgresAvailable } from '../../support/databases.js';
import { messageText, startLineHarness } from '../../support/line-harness.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { useLineHarness, useTestDatabase } from '../../support/suite-setup.js';

const kinds = await databaseKinds();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(kinds)('inbox and worker on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);

  it('processes a redelivered event once', async () => {
    const event = harness.textEvent('Uredeliver', 'help');
    expect((await harness.deliver([event])).status).toBe(200);
    expect((await harness.deliver([{ ...event, deliveryContext: { isRedelivery: true } }])).status).toBe(200);
    await harness.line.waitForMessages('Uredeliver', 1);
    await harness.server.worker.idle();
    expect(harness.line.messagesTo('Uredeliver')).toHaveLength(1);
    const rows = await prisma.lineEvent.findMany({ where: { webhookEventId: event.webhookEventId as string } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('done');
    // Sent replies are not kept once delivered.
    expect(rows[0]!.outbox).toBeNull();
  });

  it('pushes with an X-Line-Retry-Key when the reply token is rejected', async () => {
    harness.line.failNext(/\/message\/reply$/, 400, { message: 'Invalid reply token' });
    const [message] = await harness.say('Uexpired', 'help');
    const pushed = harness.line.messagesTo('Uexpired');
    expect(pushed[0]?.via).toBe('push');
    expect(pushed[0]?.key).toMatch(UUID);
    expect(messageText(message!)).toContain('招待コード');
    const pushRequest = harness.line.requests.find((request) => request.path === '/v2/bot/message/push' && (request.body as { to?: string }).to === 'Uexpired');
    expect(pushRequest?.headers['x-line-retry-key']).toBe(pushed[0]?.key);
  });

  it('keeps each user in order, one event at a time, while users run in parallel', async () => {
    await harness.server.worker.stop();
    const users = ['Uorder1', 'Uorder2', 'Uorder3'];
    const events = users.flatMap((user) => Array.from({ length: 6 }, (_, index) => harness.textEvent(user, index % 2 === 0 ? 'help' : `hello ${index}`)));
    // Delivered out of order, in several concurrent webhook calls.
    const shuffled = [...events].sort(() => Math.random() - 0.5);
    const batches = [shuffled.slice(0, 5), shuffled.slice(5, 11), shuffled.slice(11)];
    const statuses = await Promise.all(batches.map((batch) => harness.deliver(batch).then((response) => response.status)));
    expect(statuses).toEqual([200, 200, 200]);
    harness.server.worker.start();
    for (const user of users) await harness.line.waitForMessages(user, 6);
    await harness.server.worker.idle();

    for (const user of users) {
      const expectedTokens = events.filter((event) => (event.source as { userId: string }).userId === user).map((event) => event.replyToken);
      expect(harness.line.messagesTo(user).map((message) => message.key)).toEqual(expectedTokens);
    }
    const processed = await prisma.lineEvent.findMany({ where: { userId: { in: users } }, orderBy: { processedAt: 'asc' } });
    expect(processed.every((row) => row.status === 'done')).toBe(true);
  });

  it('retries a failing event, then parks it and tells the user', async () => {
    harness.line.profiles.set('Uparked', { displayName: 'P', language: 'en' });
    harness.line.failNext(/\/message\/reply$/, 500, { message: 'boom' }, 5);
    const event = harness.textEvent('Uparked', 'help');
    expect((await harness.deliver([event])).status).toBe(200);
    const [notice] = await harness.line.waitForMessages('Uparked', 1);
    expect(notice?.via).toBe('push');
    expect(messageText(notice!.message)).toContain('something went wrong');
    const row = await prisma.lineEvent.findUniqueOrThrow({ where: { webhookEventId: event.webhookEventId as string } });
    expect(row.status).toBe('parked');
    expect(row.attempts).toBe(5);
    const retries = harness.logs.entries().filter((entry) => entry.msg === 'event failed; will retry' && entry.webhookEventId === event.webhookEventId);
    expect(retries).toHaveLength(4);
    expect(harness.logs.entries().some((entry) => entry.msg === 'event failed too often; parked')).toBe(true);
  });
});

describe.each(kinds)('retention on %s', (kind) => {
  const { database, prisma } = useTestDatabase(kind);

  it('deletes finished and parked events past the retention, keeping recent and unfinished ones', async () => {
    const harness = await startLineHarness({ db: database.db, worker: { retentionMs: 7 * 86_400_000 } });
    try {
      await harness.server.worker.stop();
      const old = new Date(Date.now() - 8 * 86_400_000);
      const rows = [
        { webhookEventId: 'old-done', status: 'done', receivedAt: old },
        { webhookEventId: 'old-parked', status: 'parked', receivedAt: old },
        { webhookEventId: 'old-pending', status: 'pending', receivedAt: old },
        { webhookEventId: 'new-done', status: 'done', receivedAt: new Date() },
      ];
      await prisma.lineEvent.createMany({ data: rows.map((row) => ({ ...row, payload: {}, eventTimestamp: BigInt(0), nextAttemptAt: new Date(Date.now() + 86_400_000) })) });
      expect(await harness.server.worker.prune()).toBe(2);
      const left = await prisma.lineEvent.findMany({ select: { webhookEventId: true }, orderBy: { webhookEventId: 'asc' } });
      expect(left.map((row) => row.webhookEventId)).toEqual(['new-done', 'old-pending']);
    } finally {
      await harness.stop();
    }
  });
});

describe.each(kinds)('restart on %s', (kind) => {
  it('resumes events stored but not processed before a restart', async () => {
    const database = await createTestDatabase(kind);
    try {
      const first = await startLineHarness({ db: database.db });
      await first.server.worker.stop();
      const event = first.textEvent('Urestart', 'help');
      expect((await first.deliver([event])).status).toBe(200);
      await first.stop();
      expect(first.line.messagesTo('Urestart')).toHaveLength(0);

      const second = await startLineHarness({ db: database.db });
      try {
        // The new process has a new fake LINE API; the old reply token is unknown there, so the
        // reply falls back to a push — the user still gets the answer.
        const [message] = await second.line.waitForMessages('Urestart', 1);
        expect(messageText(message!.message)).toContain('招待コード');
      } finally {
        await second.stop();
      }
    } finally {
      await database.drop();
    }
  });
});

describe.runIf(await isPostgresAvailable())('database outage', () => {
  it('answers 503 while PostgreSQL is unreachable, then stores the redelivery', async () => {
    const database = await createTestDatabase('postgresql');
    const target = new URL(database.url!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(database.url!);
    viaProxy.port = String(port);
    const db = await openDatabase({ databaseUrl: viaProxy.toString(), dataDir: '', poolSize: 2 });
    const harness = await startLineHarness({ db });
    try {
      await proxy.stop();
      const event = harness.textEvent('Uoutage', 'help');
      const down = await harness.deliver([event]);
      expect(down.status).toBe(503);
      expect((await fetch(`${harness.url}/readyz`)).status).toBe(503);

      await proxy.start(port);
      const redelivered = await harness.deliver([{ ...event, deliveryContext: { isRedelivery: true } }]);
      expect(redelivered.status).toBe(200);
      await harness.line.waitForMessages('Uoutage', 1);
      expect(harness.logs.entries().some((entry) => String(entry.msg).includes('answering 503'))).toBe(true);
    } finally {
      await harness.stop();
      await db.close();
      await proxy.stop();
      await database.drop();
    }
  });
});
