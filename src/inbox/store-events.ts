import type { SqlQuery } from '../db/sql.js';
import type { StorableEvent } from './storable-event.js';
import type { ClaimedEvent } from './worker.js';

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
 * The database function line_store_events (migration 20261207130000) holds a lock per user of the
 * batch while it decides, so two requests storing events of one user at once (a double-tapped
 * button) cannot both claim: the later one sees the earlier one's event unfinished. The context
 * is read by this outer statement, whose snapshot can predate the function's by the lock wait: a
 * save that lands in between is caught by the step's version-checked save (the event is retried).
 */
const storeSql = (context: FastClaim['context']) => `
SELECT s."webhookEventId", s."claimed"${context ? `, CASE WHEN s."claimed" AND s."userId" IS NOT NULL THEN ${context('s."userId"')} END AS "context"` : ''}
  FROM line_store_events($1::jsonb, $2::int, $3::float8) AS s`;
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
  const rows = await db.query<{ webhookEventId: string; claimed: boolean; context?: unknown }>(sql, [JSON.stringify(batch), fastClaim?.limit ?? 0, (fastClaim?.leaseMs ?? 0) / 1000]);
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
