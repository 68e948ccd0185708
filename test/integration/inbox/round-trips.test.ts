// The loop's cost in database round trips, counted on the wire between the bot and PostgreSQL
// (a proxy that reads the frontend protocol): a known user's message in steady state costs the
// webhook's store (which also claims it and reads the user's context), the step's save, and done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { isPostgresAvailable } from '../../support/databases.js';
import { startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { PgWireCounter } from '../../support/pg-wire-counter.js';
import { useTestDatabase } from '../../support/suite-setup.js';

describe.runIf(await isPostgresAvailable())('database round trips per event', () => {
  const { database } = useTestDatabase('postgresql');
  let counted: Database;
  let counter: PgWireCounter;
  let bot: LineHarness;

  beforeAll(async () => {
    const url = new URL(database.url!);
    counter = new PgWireCounter(url.hostname, Number(url.port || 5432));
    url.port = String(await counter.start());
    counted = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
    // No timed polls during the count: only the events' own statements reach the wire.
    bot = await startLineHarness({ db: counted, worker: { pollIntervalMs: 60_000 }, events: { pollIntervalMs: 60_000 } });
  });
  afterAll(async () => {
    await bot?.stop();
    await counted?.close();
    await counter?.stop();
  });

  async function waitUntilAllDone(): Promise<void> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const [row] = await database.db.query<{ open: number }>(`SELECT count(*)::int AS open FROM "LineEvent" WHERE "status" <> 'done'`);
      if (row?.open === 0) return;
    }
    throw new Error('events not done in time');
  }

  it('is three per message of a known user: store + claim + context, save, done', async () => {
    await bot.say('Urt', 'help');
    // Once a user has a conversation row, a message is steady state.
    await bot.say('Urt', 'help');
    const before = counter.snapshot();
    for (let index = 0; index < 5; index++) {
      const seen = bot.line.messagesTo('Urt').length;
      expect((await bot.deliver([bot.textEvent('Urt', 'help')])).status).toBe(200);
      await bot.line.waitForMessages('Urt', seen + 1);
      // One message at a time, each done before the next arrives (watched over an uncounted connection).
      await waitUntilAllDone();
    }
    const after = counter.snapshot();
    expect(after.roundTrips - before.roundTrips).toBe(15);
    expect(after.statements - before.statements).toBe(15);
  });

  it('answers a message that arrives while the previous one is finishing without waiting for the timed poll', async () => {
    // Each message is sent the moment LINE has the previous reply, before that event's done is
    // written: the store sees the previous event unfinished and the finish does not see the new
    // one. The timed poll is a minute away here; every answer must still come within seconds.
    for (let index = 0; index < 5; index++) {
      const seen = bot.line.messagesTo('Urace').length;
      expect((await bot.deliver([bot.textEvent('Urace', 'help')])).status).toBe(200);
      await bot.line.waitForMessages('Urace', seen + 1, 5_000);
    }
  });
});
