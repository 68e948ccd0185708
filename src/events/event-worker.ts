// Runs the DomainEvent rows the payment side records: every registered handler of the event's
// type, after the fact's transaction committed. Works across instances on one database: a claim
// is a conditional UPDATE of rows picked with FOR UPDATE SKIP LOCKED, held by a lease that is
// renewed while the handlers run, so a crashed instance's events are taken over when it runs out.
// A failing event is retried with backoff and parked after maxAttempts with the error's first line.
import type { SqlQuery } from '../db/sql.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DomainEvent, DomainEventHandler, DomainEventType, EventHandlers, HandlerDeps } from './domain-events.js';

/** Tuning, defaulted for production; tests shorten the intervals. */
export interface EventWorkerOptions {
  /** Events run at once by one instance (8). */
  concurrency?: number;
  /** Between polls when nothing woke the worker (1 s). */
  pollIntervalMs?: number;
  /** A claim's lease, renewed every third of it while the handlers run (30 s). */
  leaseMs?: number;
  /** Attempts before an event is parked (10), and the wait after the n-th failed one. */
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
  /** How long done events are kept (30 days); parked ones stay for the operator. */
  retentionMs?: number;
  /** How long `stop()` waits for events in flight (1.5 s); the rest are retried after their lease. */
  stopTimeoutMs?: number;
}

interface ClaimedRow {
  id: string;
  type: string;
  subjectId: string | null;
  merchantId: string | null;
  payload: unknown;
  attempts: number;
  createdAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Pruning needs no precision: at most once an hour per instance.
const PRUNE_EVERY_MS = 60 * 60 * 1000;
// The worker counts as stalled (readiness fails) when it has not reached the database for this long.
const STALLED_AFTER_MS = 5_000;

const DEFAULTS: Required<EventWorkerOptions> = {
  concurrency: 8,
  pollIntervalMs: 1_000,
  leaseMs: 30_000,
  maxAttempts: 10,
  // 2 s, 8 s, 32 s, 2 min, then every 10 min: ten attempts span about 50 minutes of a LINE outage.
  backoffMs: (attempt) => Math.min(10 * 60_000, 2_000 * 4 ** (attempt - 1)),
  retentionMs: 30 * DAY_MS,
  stopTimeoutMs: 1_500,
};

// An event may run when it is due and unleased, and no other pending event of its subject is
// running or older (a payment's awaiting notice goes before its expired one). An older event only
// waits its turn once due or retried: a job scheduled for tomorrow holds nothing up today.
const CLAIM_SQL = `
UPDATE "DomainEvent" AS e
   SET "lockedUntil" = now() + make_interval(secs => $1), "attempts" = e."attempts" + 1
 WHERE e."id" IN (
         SELECT c."id" FROM "DomainEvent" c
          WHERE c."status" = 'pending'
            AND c."nextAttemptAt" <= now()
            AND (c."lockedUntil" IS NULL OR c."lockedUntil" < now())
            AND NOT (c."id" = ANY($3::text[]))
            AND (c."subjectId" IS NULL OR NOT EXISTS (
                  SELECT 1 FROM "DomainEvent" p
                   WHERE p."subjectId" = c."subjectId" AND p."status" = 'pending' AND p."id" <> c."id"
                     AND (p."lockedUntil" >= now()
                          OR ((p."attempts" > 0 OR p."nextAttemptAt" <= now()) AND (p."createdAt", p."id") < (c."createdAt", c."id")))))
          ORDER BY c."nextAttemptAt"
          LIMIT $2
            FOR UPDATE SKIP LOCKED)
   AND e."status" = 'pending'
   AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
RETURNING e."id", e."type", e."subjectId", e."merchantId", e."payload", e."attempts", e."createdAt"`;

/** The error's kind and first line only: a full message or stack can quote personal data. */
function reasonOf(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0]!.slice(0, 500);
}

export class EventWorker {
  private readonly settings: Required<EventWorkerOptions>;
  private readonly byType = new Map<string, { name: string; handle: DomainEventHandler<DomainEventType> }[]>();
  private lastPrunedAt = 0;
  private lastReachedDatabaseAt = Date.now();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightIds = new Set<string>();
  private loop: Promise<void> = Promise.resolve();
  /** Ends the current sleep between polls early. */
  private nap: (() => void) | undefined;
  private woken = false;
  private polling = false;
  private stopped = true;

  constructor(
    private readonly db: SqlQuery,
    handlers: readonly EventHandlers[],
    private readonly deps: HandlerDeps,
    private readonly metrics: Metrics | undefined,
    options: EventWorkerOptions = {},
  ) {
    this.settings = { ...DEFAULTS, ...options };
    const names = new Set<string>();
    for (const capability of handlers) {
      // The name is part of every retry key: two capabilities sharing one would share keys.
      if (names.has(capability.name)) throw new Error(`two event handler sets are named ${capability.name}`);
      names.add(capability.name);
      for (const [type, handle] of Object.entries(capability.on)) {
        const list = this.byType.get(type) ?? [];
        list.push({ name: capability.name, handle: handle as DomainEventHandler<DomainEventType> });
        this.byType.set(type, list);
      }
    }
  }

  start(): void {
    this.stopped = false;
    this.lastReachedDatabaseAt = Date.now();
    this.loop = this.pollUntilStopped();
  }

  /** True when the worker has been unable to reach the database for a while (readiness). */
  stalled(): boolean {
    return !this.stopped && Date.now() - this.lastReachedDatabaseAt > STALLED_AFTER_MS;
  }

  /** Polls now (new events were recorded, or a slot freed), rather than at the next interval. */
  wake(): void {
    this.woken = true;
    this.nap?.();
  }

  /** Stops claiming and waits (at most stopTimeoutMs) for events in flight; the rest are retried after their lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.settings.stopTimeoutMs)));
    const settled = Promise.all([this.loop, ...this.inFlight]).then(() => 'settled' as const);
    if ((await Promise.race([settled, timeout])) === 'timeout') {
      this.deps.log.warn({ inFlight: this.inFlight.size }, 'stopped with domain events in flight; they are retried when their lease runs out');
    }
    clearTimeout(timer);
  }

  /** Resolves once no event is due or in flight (tests and the CLI use it); scheduled and backing-off events are not waited for. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    for (;;) {
      const busy = this.inFlight.size > 0 || this.polling;
      const due = busy ? 1 : await this.countDue();
      if (due === 0) return;
      if (Date.now() >= giveUpAt) throw new Error('domain events did not become idle in time');
      if (!busy) this.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async countDue(): Promise<number> {
    // A retry about to come due counts too: between a failed attempt and its retry nothing is due,
    // and idle must not return in that gap. A scheduled event (never attempted) waits its time.
    const [row] = await this.db.query<{ due: number }>(
      `SELECT count(*)::int AS due FROM "DomainEvent"
        WHERE "status" = 'pending' AND ("nextAttemptAt" <= now() OR ("attempts" > 0 AND "nextAttemptAt" <= now() + interval '1 second'))`,
    );
    return row?.due ?? 0;
  }

  /** One poll at a time per instance: poll, then sleep until the interval passes or wake() is called. */
  private async pollUntilStopped(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      this.polling = true;
      try {
        await this.poll();
      } catch (error) {
        this.deps.log.warn({ err: error }, 'domain event poll failed; will retry');
      } finally {
        this.polling = false;
      }
      // wake() and stop() set these while poll() awaits; TypeScript keeps the narrowing from above.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (this.woken || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.pollIntervalMs);
        this.nap = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.nap = undefined;
    }
  }

  /** Deletes done events older than the retention: the fact's own row is the record, and the dedupe key has long done its job. */
  async prune(now = Date.now()): Promise<number> {
    this.lastPrunedAt = now;
    const [row] = await this.db.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM "DomainEvent" WHERE "status" = 'done' AND "processedAt" < $1 RETURNING 1) SELECT count(*)::int AS deleted FROM gone`,
      [new Date(now - this.settings.retentionMs)],
    );
    const deleted = row?.deleted ?? 0;
    if (deleted > 0) this.deps.log.info({ deleted }, 'old domain events pruned');
    return deleted;
  }

  private async poll(): Promise<void> {
    if (Date.now() - this.lastPrunedAt >= PRUNE_EVERY_MS) await this.prune();
    const free = this.settings.concurrency - this.inFlight.size;
    if (free <= 0) {
      this.lastReachedDatabaseAt = Date.now();
      return;
    }
    const claimed = await this.db.query<ClaimedRow>(CLAIM_SQL, [this.settings.leaseMs / 1000, free, [...this.inFlightIds]]);
    this.lastReachedDatabaseAt = Date.now();
    for (const row of claimed) this.launch(row);
  }

  private launch(row: ClaimedRow): void {
    this.inFlightIds.add(row.id);
    const task = this.run(row).finally(() => {
      this.inFlight.delete(task);
      this.inFlightIds.delete(row.id);
      // A slot freed: more may be due (a burst larger than the concurrency).
      if (!this.stopped) this.wake();
    });
    this.inFlight.add(task);
  }

  private async run(row: ClaimedRow): Promise<void> {
    const log = this.deps.log.child({ domainEventId: row.id, type: row.type, attempt: row.attempts });
    const event: DomainEvent = {
      id: row.id,
      type: row.type as DomainEventType,
      subjectId: row.subjectId,
      merchantId: row.merchantId,
      payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as DomainEvent['payload'],
      attempts: row.attempts,
      createdAt: new Date(row.createdAt),
    };
    // Keep the lease while the handlers run, so a slow LINE call cannot let another instance take it too.
    const heartbeat = setInterval(() => {
      this.db
        .query(`UPDATE "DomainEvent" SET "lockedUntil" = now() + make_interval(secs => $2) WHERE "id" = $1 AND "status" = 'pending'`, [row.id, this.settings.leaseMs / 1000])
        .catch((error: unknown) => log.warn({ err: error }, 'could not renew the lease'));
    }, this.settings.leaseMs / 3);
    let failure: { error: unknown } | undefined;
    try {
      // Every handler runs on every attempt (their effects are keyed by the event id, so a repeat
      // acts once); the first failure is what the event is retried for.
      for (const { name, handle } of this.byType.get(row.type) ?? []) {
        try {
          await handle(event, { ...this.deps, log: log.child({ handlers: name }) });
        } catch (error) {
          failure ??= { error };
          log.warn({ handlers: name, err: error }, 'domain event handler failed');
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
    try {
      if (failure === undefined) {
        await this.db.query(`UPDATE "DomainEvent" SET "status" = 'done', "processedAt" = now(), "lockedUntil" = NULL, "lastError" = NULL WHERE "id" = $1`, [row.id]);
        this.metrics?.domainEventsHandled.inc({ type: row.type });
      } else {
        await this.recordFailure(row, failure.error, log);
      }
      this.lastReachedDatabaseAt = Date.now();
    } catch (error) {
      log.error({ err: error }, 'could not record the outcome of a domain event; it is retried when its lease runs out');
    }
  }

  private async recordFailure(row: ClaimedRow, error: unknown, log: Logger): Promise<void> {
    const reason = reasonOf(error);
    if (row.attempts >= this.settings.maxAttempts) {
      log.error({ reason }, 'domain event failed too often; parked');
      await this.db.query(`UPDATE "DomainEvent" SET "status" = 'parked', "lockedUntil" = NULL, "lastError" = $2 WHERE "id" = $1`, [row.id, reason]);
      this.metrics?.domainEventsParked.inc({ type: row.type });
      return;
    }
    const delay = this.settings.backoffMs(row.attempts);
    log.warn({ reason, retryInMs: delay }, 'domain event failed; will retry');
    this.metrics?.domainEventsFailed.inc({ type: row.type });
    await this.db.query(`UPDATE "DomainEvent" SET "lockedUntil" = NULL, "lastError" = $2, "nextAttemptAt" = now() + make_interval(secs => $3) WHERE "id" = $1`, [row.id, reason, delay / 1000]);
  }
}
