// One user's events never run in parallel, whichever request stored them: two webhook requests
// storing one event each of the same idle user at the same moment (a double-tapped button reaches
// LINE as two deliveries) claim at most one of them for the fast path. Before the per-user lock,
// each INSERT's "nothing unfinished for this user" check could not see the other's row, and both
// were claimed and run side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { storeEvents } from '../../../src/inbox/store-events.js';
import { databaseKinds } from '../../support/databases.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const TRIALS = 40;

describe.each(await databaseKinds())('storing one user’s events from concurrent requests on %s', (kind) => {
  const { database } = useTestDatabase(kind);
  // Two connection pools, as two instances (or two requests on one pool) would use.
  let other: Database | undefined;

  beforeAll(async () => {
    if (kind === 'postgresql') other = await openDatabase({ databaseUrl: database.url!, dataDir: '', poolSize: 4 });
  });
  afterAll(async () => {
    await other?.close();
  });

  const event = (userId: string, id: string, timestamp: number) => ({ webhookEventId: id, userId, payload: { type: 'postback' }, eventTimestamp: timestamp, parkReason: null });
  const fastPath = { limit: 32, leaseMs: 10_000 };

  it('claims at most one event per user however the stores interleave', async () => {
    const second = other ?? database.db;
    const doubleClaims: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const userId = `Uconcurrent${trial}`;
      const now = Date.now();
      const [first, next] = await Promise.all([storeEvents(database.db, [event(userId, `ev-${trial}-a`, now)], fastPath), storeEvents(second, [event(userId, `ev-${trial}-b`, now + 1)], fastPath)]);
      expect(first.stored + next.stored).toBe(2);
      if (first.claimed.length + next.claimed.length > 1) doubleClaims.push(userId);
    }
    expect(doubleClaims).toEqual([]);
    const [row] = await database.db.query<{ leased: number }>(`SELECT count(*)::int AS leased FROM "LineEvent" WHERE "lockedUntil" IS NOT NULL GROUP BY "userId" ORDER BY 1 DESC LIMIT 1`);
    expect(row?.leased).toBe(1);
  });

  it('still claims each idle user’s first event, and different users together', async () => {
    const now = Date.now();
    const result = await storeEvents(database.db, [event('Ufirst', 'ev-f-1', now), event('Ufirst', 'ev-f-2', now + 1), event('Usecond', 'ev-s-1', now)], fastPath);
    expect(result.stored).toBe(3);
    expect(result.claimed.map((claimed) => claimed.webhookEventId).sort()).toEqual(['ev-f-1', 'ev-s-1']);
  });
});
