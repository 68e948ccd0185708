// While LINE's webhook requests are being stored, the worker runs at most busyConcurrency events
// at once, so the event loop answers LINE first (an unanswered webhook is redelivered; a stored
// event only waits); once no request has been answered for a short while, it runs at full
// concurrency again. Replies are held at the LINE stub until the counts are taken, so the events
// in flight can be counted as the claims the database recorded.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const REPLY = /\/v2\/bot\/message\/reply/;

describe.each(await databaseKinds())('answering LINE before running events, on %s', (kind) => {
  const { database, prisma } = useTestDatabase(kind);
  let harness: LineHarness;

  beforeAll(async () => {
    // No timed polls: only the webhook's fast path, finishes and the end of a burst claim events.
    harness = await startLineHarness({ db: database.db, worker: { concurrency: 6, busyConcurrency: 2, pollIntervalMs: 600_000 } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const claimed = (ids: string[]) => prisma.lineEvent.count({ where: { webhookEventId: { in: ids }, attempts: { gte: 1 } } });

  it('runs two events while a request is being stored, and all six once the requests stop', async () => {
    const users = Array.from({ length: 6 }, (_, index) => `Ubusy${index}`);
    const events = users.map((user) => harness.textEvent(user, 'help'));
    const ids = events.map((event) => event.webhookEventId as string);
    const release = harness.line.holdNext(REPLY, events.length);
    onTestFinished(release);

    // Another request of the burst is still being stored while this one is.
    const answered = harness.server.worker.receive();
    expect((await harness.deliver(events)).status).toBe(200);
    await until('two claims', async () => (await claimed(ids)) >= 2);
    await sleep(300);
    // Two claimed at once; their replies are held, so no slot has freed for a third.
    expect(await claimed(ids)).toBe(2);

    answered();
    // The burst is over: the rest are claimed while the replies are still held, not in their turn behind them.
    await until('all six claimed', async () => (await claimed(ids)) === 6);
    release();
    for (const user of users) await harness.line.waitForMessages(user, 1);
    await harness.server.worker.idle();
  });

  it('claims a lone request’s events at once', async () => {
    const events = ['Ulone0', 'Ulone1'].map((user) => harness.textEvent(user, 'help'));
    const release = harness.line.holdNext(REPLY, events.length);
    onTestFinished(release);
    expect((await harness.deliver(events)).status).toBe(200);
    await sleep(200);
    expect(await claimed(events.map((event) => event.webhookEventId as string))).toBe(2);
    release();
    await harness.server.worker.idle();
  });
});
