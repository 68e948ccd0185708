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
  const [result] = await storeRequests(db, [events], fastClaim);
  return result!;
}

/**
 * Stores the events of several webhook requests in one statement, with a result per request.
 * The fast path's limit is shared, earlier requests first. The requests' event ids must not
 * overlap (the coalescing webhook keeps a redelivery for the next statement): each stored row then
 * belongs to exactly one request. One user's events from several requests are one user in the
 * batch to the function: it claims at most the first of them, as it does within one request.
 */
export async function storeRequests(db: SqlQuery, requests: StorableEvent[][], fastClaim: FastClaim | null): Promise<StoreResult[]> {
  const results = requests.map((): StoreResult => ({ stored: 0, parked: 0, claimed: [] }));
  const owner = new Map<string, { event: StorableEvent; result: StoreResult }>();
  const batch: object[] = [];
  requests.forEach((events, index) => {
    for (const event of events) {
      owner.set(event.webhookEventId, { event, result: results[index]! });
      batch.push({
        webhookEventId: event.webhookEventId,
        userId: event.userId,
        payload: event.payload,
        eventTimestamp: event.eventTimestamp,
        status: event.parkReason === null ? 'pending' : 'parked',
        lastError: event.parkReason,
        ord: batch.length,
      });
    }
  });
  if (batch.length === 0) return results;
  let sql = STORE_SQL;
  if (fastClaim?.context) {
    sql = storeSqlWith.get(fastClaim.context) ?? storeSql(fastClaim.context);
    storeSqlWith.set(fastClaim.context, sql);
  }
  const rows = await db.query<{ webhookEventId: string; claimed: boolean; context?: unknown }>(sql, [JSON.stringify(batch), fastClaim?.limit ?? 0, (fastClaim?.leaseMs ?? 0) / 1000]);
  for (const row of rows) {
    const { event, result } = owner.get(row.webhookEventId)!;
    result.stored += 1;
    if (event.parkReason !== null) result.parked += 1;
    if (row.claimed) {
      result.claimed.push({
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
  return results;
}
