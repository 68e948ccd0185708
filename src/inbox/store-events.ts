import type { SqlQuery } from '../db/sql.js';
import type { StorableEvent } from './storable-event.js';
import { UNFINISHED, type ClaimedEvent } from './worker.js';

export interface StoreResult {
  /** Events stored by this call (a redelivered event that was already stored is not). */
  stored: number;
  parked: number;
  /** Stored and already claimed for this instance: the fast path, run them at once. */
  claimed: ClaimedEvent[];
}

export interface FastClaim {
  /** At most this many events are claimed (the worker's free slots). */
  limit: number;
  leaseMs: number;
  /** The worker's context expression (WorkerOptions.context), read for the events claimed. */
  context?: (userIdColumn: string) => string;
}

/*
 * One statement stores the batch (redelivered ids are skipped by the primary key) and claims the
 * events that may run right away under the worker's own rule: the first event of its user in the
 * batch when that user has no unfinished event at all. Everything else waits for the worker's poll.
 */
const storeSql = (context: FastClaim['context']) => `
WITH batch AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS b("webhookEventId" text, "userId" text, "payload" jsonb, "eventTimestamp" bigint, "status" text, "lastError" text, "ord" int)
), heads AS (
  SELECT h."webhookEventId" FROM (
    SELECT DISTINCT ON (COALESCE(b."userId", b."webhookEventId")) b."webhookEventId", b."userId", b."ord"
      FROM batch b
     WHERE b."status" = 'pending'
       AND NOT EXISTS (SELECT 1 FROM "LineEvent" e WHERE e."webhookEventId" = b."webhookEventId")
     ORDER BY COALESCE(b."userId", b."webhookEventId"), b."eventTimestamp", b."ord") AS h
   WHERE h."userId" IS NULL
      OR NOT EXISTS (SELECT 1 FROM "LineEvent" o WHERE o."userId" = h."userId" AND o."status" IN (${UNFINISHED}))
   ORDER BY h."ord"
   LIMIT $2
)
INSERT INTO "LineEvent" ("webhookEventId", "userId", "payload", "eventTimestamp", "status", "lastError", "lockedUntil", "attempts")
SELECT b."webhookEventId", b."userId", b."payload", b."eventTimestamp", b."status", b."lastError",
       CASE WHEN h."webhookEventId" IS NULL THEN NULL ELSE now() + make_interval(secs => $3) END,
       CASE WHEN h."webhookEventId" IS NULL THEN 0 ELSE 1 END
  FROM batch b LEFT JOIN heads h ON h."webhookEventId" = b."webhookEventId"
 ORDER BY b."ord"
ON CONFLICT ("webhookEventId") DO NOTHING
RETURNING "webhookEventId", "attempts" = 1 AS "claimed"${
  context ? `, CASE WHEN "attempts" = 1 AND "userId" IS NOT NULL THEN ${context('"LineEvent"."userId"')} END AS "context"` : ''
}`;
const STORE_SQL = storeSql(undefined);
const storeSqlWith = new Map<NonNullable<FastClaim['context']>, string>();

/**
 * Stores webhook events before LINE gets its 2xx, in one round trip. Throws when the database
 * cannot store, and the caller answers 5xx so LINE redelivers.
 */
export async function storeEvents(db: SqlQuery, events: StorableEvent[], fastClaim: FastClaim | null): Promise<StoreResult> {
  if (events.length === 0) return { stored: 0, parked: 0, claimed: [] };
  const batch = events.map((event, ord) => ({
    webhookEventId: event.webhookEventId,
    userId: event.userId,
    payload: event.payload,
    eventTimestamp: event.eventTimestamp,
    status: event.parkReason === null ? 'pending' : 'parked',
    lastError: event.parkReason,
    ord,
  }));
  let sql = STORE_SQL;
  if (fastClaim?.context) {
    sql = storeSqlWith.get(fastClaim.context) ?? storeSql(fastClaim.context);
    storeSqlWith.set(fastClaim.context, sql);
  }
  const rows = await db.query<{ webhookEventId: string; claimed: boolean; context?: unknown }>(sql, [
    JSON.stringify(batch),
    fastClaim?.limit ?? 0,
    (fastClaim?.leaseMs ?? 0) / 1000,
  ]);
  const byId = new Map(events.map((event) => [event.webhookEventId, event]));
  const claimed: ClaimedEvent[] = [];
  let parked = 0;
  for (const row of rows) {
    const event = byId.get(row.webhookEventId)!;
    if (event.parkReason !== null) parked += 1;
    if (row.claimed) {
      claimed.push({
        webhookEventId: event.webhookEventId,
        userId: event.userId,
        payload: event.payload,
        outbox: null,
        status: 'pending',
        attempts: 1,
        eventTimestamp: event.eventTimestamp,
        ...(fastClaim?.context ? { context: row.context } : {}),
      });
    }
  }
  return { stored: rows.length, parked, claimed };
}
