// Under a burst, the loop's statements carry many events each (src/db/coalesce.ts): webhook
// requests that arrive while a store is in flight are stored together in the next statement, and
// events that finish while a finish is in flight are finished together. To make "while in flight"
// certain, a test holds the database with a transaction (PostgreSQL: a lock the statement needs;
// PGlite: its one connection) and lets it go once the other requests are waiting. Statements are
// counted on the wire (test/support/pg-wire-counter.ts) on PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase, type Database, type Prisma } from '../../../src/db/database.js';
import { databaseKinds } from '../../support/databases.js';
import { startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { PgWireCounter } from '../../support/pg-wire-counter.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `sql` in a transaction that stays open until the returned function is called: on
 * PostgreSQL what it locks waits; on PGlite every statement waits (one connection).
 */
async function holdWith(prisma: Prisma, sql: string): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken!: () => void;
  const isTaken = new Promise<void>((resolve) => (taken = resolve));
  const transaction = prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(sql);
      taken();
      await released;
    },
    { timeout: 10_000 },
  );
  await Promise.race([isTaken, transaction]);
  return async () => {
    release();
    await transaction;
  };
}

// The store function takes this lock for each user of its batch.
const holdUser = (prisma: Prisma, userId: string) => holdWith(prisma, `SELECT pg_advisory_xact_lock(hashtext('line-user:${userId}'))`);

const userOf = (event: Record<string, unknown>) => (event.source as { userId: string }).userId;

describe.each(await databaseKinds())('statements shared by concurrent work on %s', (kind) => {
  const { database, prisma } = useTestDatabase(kind);
  let counter: PgWireCounter | undefined;
  let counted: Database | undefined;
  let harness: LineHarness;

  beforeAll(async () => {
    if (kind === 'postgresql') {
      const url = new URL(database.url!);
      counter = new PgWireCounter(url.hostname, Number(url.port || 5432));
      url.port = String(await counter.start());
      counted = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
    }
    // No timed polls: only the requests' and events' own statements reach the wire.
    harness = await startLineHarness({ db: counted ?? database.db, worker: { pollIntervalMs: 600_000 }, events: { pollIntervalMs: 600_000 } });
    // The server's start-up work (the retention sweeps) is over once the wire stays quiet.
    for (let last = -1; counter && counter.snapshot().statements !== last; await sleep(300)) last = counter.snapshot().statements;
  });
  afterAll(async () => {
    await harness?.stop();
    await counted?.close();
    await counter?.stop();
  });
  beforeEach(() => {
    harness.server.worker.start();
  });

  const statementsSince = (before: { statements: number } | undefined) => (counter && before ? counter.snapshot().statements - before.statements : undefined);

  /** Delivers `first`, then (once its store is waiting on the hold) the others at once; then lets go. */
  async function deliverWhileHeld(release: () => Promise<void>, first: object[], others: object[][]): Promise<{ first: number; others: number[] }> {
    const firstResponse = harness.deliver(first);
    await sleep(150);
    const otherResponses = others.map((events) => harness.deliver(events));
    // Each request answers 503 after 1.5 s without a store: let go well before.
    await sleep(400);
    await release();
    return { first: (await firstResponse).status, others: await Promise.all(otherResponses.map(async (response) => (await response).status)) };
  }

  /** Each event answered once, each user's in event order, after the `seen` messages users had before. */
  async function expectAnsweredInOrder(events: Record<string, unknown>[], seen = new Map<string, number>()): Promise<void> {
    const users = [...new Set(events.map(userOf))];
    for (const user of users) await harness.line.waitForMessages(user, (seen.get(user) ?? 0) + events.filter((event) => userOf(event) === user).length);
    await harness.server.worker.idle();
    for (const user of users) {
      const ofUser = events.filter((event) => userOf(event) === user).sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
      const answers = harness.line.messagesTo(user).slice(seen.get(user) ?? 0);
      expect(answers.map((message) => message.key)).toEqual(ofUser.map((event) => event.replyToken));
    }
  }

  async function waitUntilDone(events: Record<string, unknown>[]): Promise<void> {
    const ids = events.map((event) => event.webhookEventId as string);
    for (const deadline = Date.now() + 10_000; (await prisma.lineEvent.count({ where: { webhookEventId: { in: ids }, status: 'done' } })) < ids.length; await sleep(20)) {
      if (Date.now() > deadline) throw new Error('events not done in time');
    }
  }

  it('stores the requests that arrive during a store in one statement, and a redelivery among them in the next', async () => {
    await harness.server.worker.stop();
    const first = [harness.textEvent('Ustore0', 'help')];
    const users = ['Ustore1', 'Ustore2', 'Ustore3'];
    const requests = Array.from({ length: 8 }, (_, index) => [harness.textEvent(users[index % 3]!, 'help'), harness.textEvent(users[(index + 1) % 3]!, 'help')]);
    const redelivered = requests[3]![1]!;
    const redelivery = [{ ...redelivered, deliveryContext: { isRedelivery: true } }, harness.textEvent('Ustore1', 'help')];

    const before = counter?.snapshot();
    const statuses = await deliverWhileHeld(await holdUser(prisma, 'Ustore0'), first, [...requests, redelivery]);
    expect(statuses).toEqual({ first: 200, others: Array.from({ length: 9 }, () => 200) });
    // The first request alone, the eight that came during it together, the redelivery after them.
    if (counter) expect(statementsSince(before)).toBe(3);

    const events = [...first, ...requests.flat(), redelivery[1]!];
    const rows = await prisma.lineEvent.findMany({ where: { webhookEventId: { in: events.map((event) => event.webhookEventId as string) } } });
    expect(rows).toHaveLength(events.length);

    harness.server.worker.start();
    await expectAnsweredInOrder(events);
  });

  it('claims only each user’s first event from a statement of several requests, and keeps each user in order', async () => {
    const first = [harness.textEvent('Uclaim0', 'help')];
    const users = ['Uclaim1', 'Uclaim2', 'Uclaim3'];
    const events = users.flatMap((user) => Array.from({ length: 4 }, (_, index) => harness.textEvent(user, index % 2 === 0 ? 'help' : `hello ${index}`)));
    // Each user's events spread over the requests, later ones in earlier requests.
    const requests = [0, 1, 2, 3].map((slot) => events.filter((_, index) => index % 4 === 3 - slot));

    const statuses = await deliverWhileHeld(await holdUser(prisma, 'Uclaim0'), first, requests);
    expect(statuses).toEqual({ first: 200, others: [200, 200, 200, 200] });
    await expectAnsweredInOrder([...first, ...events]);
  });

  it('answers 503 to every request of a statement the database refuses, and stores their redeliveries', async () => {
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."webhookEventId" LIKE 'poison-%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_poison BEFORE INSERT ON "LineEvent" FOR EACH ROW EXECUTE FUNCTION refuse_poison()`);
    const first = [harness.textEvent('Urefused0', 'help')];
    const requests = [
      [harness.textEvent('Urefused1', 'help')],
      [harness.textEvent('Urefused2', 'help'), harness.textEvent('Urefused2', 'help', { webhookEventId: 'poison-1' })],
      [harness.textEvent('Urefused3', 'help')],
    ];
    try {
      const statuses = await deliverWhileHeld(await holdUser(prisma, 'Urefused0'), first, requests);
      expect(statuses).toEqual({ first: 200, others: [503, 503, 503] });
      expect(await prisma.lineEvent.count({ where: { userId: { in: ['Urefused1', 'Urefused2', 'Urefused3'] } } })).toBe(0);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_poison ON "LineEvent"`);
    }
    // LINE redelivers each: nothing was lost.
    for (const events of requests) expect((await harness.deliver(events.map((event) => ({ ...event, deliveryContext: { isRedelivery: true } })))).status).toBe(200);
    await expectAnsweredInOrder([...first, ...requests.flat()]);
  });

  it('finishes the events that end during a finish in one statement', async () => {
    const users = Array.from({ length: 6 }, (_, index) => `Ufinish${index}`);
    // Known users in steady state: an event costs its store, its save and its finish.
    for (const user of users) {
      await harness.say(user, 'help');
      await harness.say(user, 'help');
    }
    const seen = new Map(users.map((user) => [user, harness.line.messagesTo(user).length]));
    const events = users.map((user) => harness.textEvent(user, 'help'));
    const releaseReplies = harness.line.holdNext(/\/message\/reply$/, users.length);
    onTestFinished(releaseReplies);

    const before = counter?.snapshot();
    expect((await harness.deliver(events)).status).toBe(200);
    // Every step is saved and waits on LINE: hold the table, so the first finish waits and the others queue behind it.
    for (let replying = 0; replying < users.length; await sleep(20)) {
      replying = await prisma.lineEvent.count({ where: { webhookEventId: { in: events.map((event) => event.webhookEventId as string) }, status: 'replying' } });
    }
    const release = await holdWith(prisma, `LOCK TABLE "LineEvent" IN EXCLUSIVE MODE`);
    releaseReplies();
    for (const user of users) await harness.line.waitForMessages(user, seen.get(user)! + 1);
    await sleep(200);
    await release();
    await waitUntilDone(events);
    // One store, a save per event, and two finishes: the first alone, the other five together.
    if (counter) expect(statementsSince(before)).toBe(1 + users.length + 2);
    await expectAnsweredInOrder(events, seen);
  });
});
