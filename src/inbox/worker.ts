import { Coalescer } from '../db/coalesce.js';
import type { SqlQuery } from '../db/sql.js';
import { childOnFirstLog, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/**
 * An event's life: pending → replying (the step's state and rendered replies are saved: the
 * intent to send) → pushing (only when LINE refused the reply token) → done; or parked.
 */
type EventStatus = 'pending' | 'replying' | 'pushing';
const UNFINISHED = `'pending', 'replying', 'pushing'`;

export interface ClaimedEvent {
  webhookEventId: string;
  userId: string | null;
  payload: unknown;
  outbox: unknown;
  status: EventStatus;
  /** This attempt's number (1 on the first). */
  attempts: number;
  /** When LINE says the event happened (ms); reply tokens age from here. */
  eventTimestamp: number;
  /**
   * What the claim read about the event's user in the same statement (WorkerOptions.context),
   * so processing needs no read of its own; undefined when nothing was asked for.
   */
  context?: unknown;
}

/** How an event ended: the answer went out as a reply, as a push, or none was needed. */
export type Answered = 'reply' | 'push' | 'none';

export interface WorkerOptions {
  concurrency?: number;
  /**
   * Events run at once while LINE's webhook requests are being stored (see `receive`): fewer, so
   * the event loop answers LINE first — an unanswered webhook is redelivered, a stored event waits.
   */
  busyConcurrency?: number;
  pollIntervalMs?: number;
  maxAttempts?: number;
  /** How long a claimed event stays ours before another instance may take it over. */
  leaseMs?: number;
  /** Backoff before attempt n+1 (n ≥ 1). */
  backoffMs?: (attempt: number) => number;
  /** Finished events (with the user's message text) are deleted this long after they arrived. */
  retentionMs?: number;
  /** How long `stop()` waits for events in flight; unfinished ones are retried after their lease. */
  stopTimeoutMs?: number;
  /**
   * A SQL expression over the claimed event's user id (given as a column reference), read with
   * every claim and handed over as `ClaimedEvent.context`: the step's context comes with the claim
   * instead of costing a round trip of its own. The claim holds the user's only running event, so
   * what it reads is what the step would have read.
   */
  context?: (userIdColumn: string) => string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Pruning is cheap but needs no precision: at most once an hour per instance.
const PRUNE_EVERY_MS = 60 * 60 * 1000;
// A store that raced with its user's previous event finishing is picked up by a poll this soon.
const POLL_SOON_MS = 100;
// A burst's webhook requests come back to back: once none has been answered for this long, the
// burst is over and the worker runs events at full concurrency again.
const QUIET_AFTER_MS = 50;
// The worker counts as stalled (readiness fails) when it has not reached the database for this long.
const STALLED_AFTER_MS = 3_000;

export type ProcessEvent = (event: ClaimedEvent) => Promise<Answered>;
export type ParkEvent = (event: ClaimedEvent, error: unknown) => Promise<void>;

const defaultBackoff = (attempt: number) => Math.min(30_000, 1_000 * 2 ** (attempt - 1));

const claimColumns = (context: WorkerOptions['context']) =>
  `e."webhookEventId", e."userId", e."payload", e."outbox", e."status", e."attempts", e."eventTimestamp"::float8 AS "eventTimestamp"` +
  (context ? `, CASE WHEN e."outbox" IS NULL AND e."userId" IS NOT NULL THEN ${context('e."userId"')} END AS "context"` : '');

// An event may run when it is unleased and due, and no other unfinished event of its user is
// older or running. Each branch walks (status, nextAttemptAt) in index order and stops at LIMIT,
// so a poll costs about the events it claims, not the backlog. Retries of events whose replies
// were already saved go first: their users' later events wait behind them.
const claimableFrom = (statusCondition: string) => `
  SELECT c."webhookEventId" FROM "LineEvent" c
   WHERE ${statusCondition}
     AND c."nextAttemptAt" <= now()
     AND (c."lockedUntil" IS NULL OR c."lockedUntil" < now())
     AND NOT (c."webhookEventId" = ANY($3::text[]))
     AND (c."userId" IS NULL OR NOT EXISTS (
           SELECT 1 FROM "LineEvent" p
            WHERE p."userId" = c."userId" AND p."status" IN (${UNFINISHED}) AND p."webhookEventId" <> c."webhookEventId"
              AND (p."lockedUntil" >= now()
                   OR (p."eventTimestamp", p."receivedAt", p."webhookEventId") < (c."eventTimestamp", c."receivedAt", c."webhookEventId"))))
   ORDER BY c."nextAttemptAt"
   LIMIT $2`;

const claimSql = (context: WorkerOptions['context']) => `
UPDATE "LineEvent" AS e
   SET "lockedUntil" = now() + make_interval(secs => $1), "attempts" = e."attempts" + 1
 WHERE e."webhookEventId" IN (
         SELECT "webhookEventId" FROM (
           (${claimableFrom(`c."status" IN ('replying', 'pushing')`)})
           UNION ALL
           (${claimableFrom(`c."status" = 'pending'`)})) AS candidates
          LIMIT $2)
   AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
RETURNING ${claimColumns(context)}`;

// The sent replies can hold things like fresh invite codes: they are kept only until delivered.
// Finishes several events at once (see finish): each finished event's user has no other running
// event, so each user's next event is claimed at most once, for the user whose event finished.
const finishSql = (context: WorkerOptions['context']) => `
WITH finished AS (
  UPDATE "LineEvent" SET "status" = 'done', "processedAt" = now(), "lockedUntil" = NULL, "lastError" = NULL, "outbox" = NULL
   WHERE "webhookEventId" = ANY($1::text[])
  RETURNING "userId"
), next AS (
  SELECT DISTINCT ON (n."userId") n."webhookEventId", n."nextAttemptAt" FROM "LineEvent" n JOIN finished f ON n."userId" = f."userId"
   WHERE $3 AND n."status" IN (${UNFINISHED}) AND NOT (n."webhookEventId" = ANY($1::text[]))
   ORDER BY n."userId", n."eventTimestamp", n."receivedAt", n."webhookEventId"
)
UPDATE "LineEvent" AS e
   SET "lockedUntil" = now() + make_interval(secs => $2), "attempts" = e."attempts" + 1
  FROM next
 WHERE e."webhookEventId" = next."webhookEventId" AND next."nextAttemptAt" <= now()
   AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
RETURNING ${claimColumns(context)}`;

/**
 * Processes stored LINE events after they were acknowledged. One event per user at a time, in
 * event order; different users in parallel. Works across instances: a claim is a conditional
 * UPDATE, so two pollers never take the same event, and a crashed instance's lease runs out.
 * Events the webhook claimed while storing them (the fast path) are handed over with `adopt`.
 */
export class InboxWorker {
  private readonly concurrency: number;
  private readonly busyConcurrency: number;
  // Webhook requests between their body and their answer (receive), and when the last was answered.
  private receiving = 0;
  private lastAnsweredAt = 0;
  // Slots a claim in flight (a poll's, or the webhook's fast path) may fill: see reserveSlots.
  private reservedSlots = 0;
  private quietTimer: NodeJS.Timeout | undefined;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  readonly leaseMs: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly retentionMs: number;
  private readonly stopTimeoutMs: number;
  /** The expression the webhook's fast-path claim reads, as the worker's own claims do. */
  readonly context: WorkerOptions['context'];
  private readonly claimSql: string;
  private readonly finishing: Coalescer<ClaimedEvent, ClaimedEvent | undefined>;
  private lastPrunedAt = 0;
  private lastReachedDatabaseAt = Date.now();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  // Events may wait that only a poll would claim (stored while every slot was busy).
  private backlog = false;
  // Counts the stores that set `backlog`: a poll clears it only if none did while its claim ran
  // (a claim sent before a store cannot see that store's rows).
  private backlogNotes = 0;
  private stopped = true;

  constructor(
    private readonly db: SqlQuery,
    private readonly process: ProcessEvent,
    private readonly park: ParkEvent,
    private readonly log: Logger,
    private readonly metrics: Metrics | undefined,
    options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 32;
    this.busyConcurrency = Math.min(this.concurrency, options.busyConcurrency ?? 8);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.retentionMs = options.retentionMs ?? 30 * DAY_MS;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 1_500;
    this.context = options.context;
    this.claimSql = claimSql(options.context);
    const finish = finishSql(options.context);
    // Events finishing while another finish is in flight are finished together in the next statement.
    this.finishing = new Coalescer(async (events) => {
      const next = await this.db.query<ClaimedEvent>(finish, [events.map((event) => event.webhookEventId), this.leaseMs / 1000, !this.stopped]);
      const byUser = new Map(next.map((claimed) => [claimed.userId, claimed]));
      return events.map((event) => {
        const claimed = byUser.get(event.userId);
        byUser.delete(event.userId);
        return claimed;
      });
    });
  }

  start(): void {
    this.stopped = false;
    this.lastReachedDatabaseAt = Date.now();
    this.wake();
  }

  /**
   * Takes the free slots (0 while stopped) for a claim about to be sent: the webhook's fast path
   * or a poll. Until `release` (called once the claimed events are launched), no other claim can
   * count them free, so a poll and a store in flight together never claim the same slots twice.
   */
  reserveSlots(): { count: number; release: () => void } {
    const count = this.unreservedSlots();
    this.reservedSlots += count;
    let released = false;
    return {
      count,
      release: () => {
        if (released) return;
        released = true;
        this.reservedSlots -= count;
      },
    };
  }

  /**
   * A webhook request is being stored; call the returned function once it is answered. While any
   * is, at most busyConcurrency events run; when the last is answered, the backlog is claimed.
   */
  receive(): () => void {
    this.receiving += 1;
    let answered = false;
    return () => {
      if (answered) return;
      answered = true;
      this.receiving -= 1;
      this.lastAnsweredAt = Date.now();
      if (this.receiving > 0 || !this.backlog || this.stopped) return;
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => {
        // No request was answered since (each answer sets a new timer): the burst is over, even if
        // the clock reads a millisecond short of QUIET_AFTER_MS.
        if (this.receiving === 0) this.lastAnsweredAt = Math.min(this.lastAnsweredAt, Date.now() - QUIET_AFTER_MS);
        this.wake();
      }, QUIET_AFTER_MS);
    };
  }

  private unreservedSlots(): number {
    return this.stopped ? 0 : Math.max(0, this.slots() - this.inFlight.size - this.reservedSlots);
  }

  private slots(): number {
    const busy = this.receiving > 0 || Date.now() - this.lastAnsweredAt < QUIET_AFTER_MS;
    return busy ? this.busyConcurrency : this.concurrency;
  }

  /** True when the worker has been unable to reach the database for a while (readiness). */
  stalled(): boolean {
    return !this.stopped && Date.now() - this.lastReachedDatabaseAt > STALLED_AFTER_MS;
  }

  /** Runs events already claimed for this instance (by the webhook, as it stored them). */
  adopt(events: ClaimedEvent[]): void {
    for (const event of events) this.launch(event);
  }

  /**
   * The webhook stored `unclaimed` events it could not claim at once. When slots were free, each
   * waits behind an unfinished event of its user, and finishing that event claims it (see
   * finish) — unless that finish ran at the same moment as the store, each statement not seeing
   * the other's row: a poll soon after settles it (at most one per POLL_SOON_MS, not the full
   * interval). When every slot was taken, a poll looks for them as soon as one frees.
   */
  noteStored(unclaimed: number, slotsWereFree: boolean): void {
    if (unclaimed === 0) return;
    if (!slotsWereFree) {
      this.backlog = true;
      this.backlogNotes += 1;
      // Slots a poll had reserved may be free by now (its claim ran before this store, or it is
      // still running and polls again): once this store's own claims are launched, look.
      queueMicrotask(() => {
        if (this.polling || this.unreservedSlots() > 0) this.wake();
      });
      return;
    }
    if (this.soonTimer !== undefined || this.stopped) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.wake();
    }, POLL_SOON_MS);
  }

  /** Called after new events are stored, so they are picked up without waiting for the poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.polling = true;
    this.poll()
      .catch((error: unknown) => this.log.warn({ err: error }, 'inbox poll failed; will retry'))
      .finally(() => {
        this.polling = false;
        if (this.stopped) return;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.pollIntervalMs);
        }
      });
  }

  /**
   * Stops claiming and waits (at most stopTimeoutMs) for events in flight. An event still running
   * then is safe to abandon: its lease runs out and it is retried, and its saved replies are sent
   * once (see bot.ts).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.soonTimer);
    clearTimeout(this.quietTimer);
    this.soonTimer = undefined;
    const deadline = Date.now() + this.stopTimeoutMs;
    while ((this.inFlight.size > 0 || this.polling) && Date.now() < deadline) {
      await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
    if (this.inFlight.size > 0) this.log.warn({ inFlight: this.inFlight.size }, 'stopped with events in flight; they are retried when their lease runs out');
  }

  /** Resolves once nothing is claimable or in flight (tests and the CLI use it). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.inFlight.size === 0 && !this.polling) {
        const [row] = await this.db.query<{ pending: number }>(`SELECT count(*)::int AS pending FROM "LineEvent" WHERE "status" IN (${UNFINISHED})`);
        if (row?.pending === 0) return;
        this.wake();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('inbox did not become idle in time');
  }

  /**
   * Deletes finished and parked events older than the retention: they hold users' message text,
   * and LINE redelivers within hours, so the dedupe key is long past being useful.
   */
  async prune(now = Date.now()): Promise<number> {
    this.lastPrunedAt = now;
    const [row] = await this.db.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM "LineEvent" WHERE "status" IN ('done', 'parked') AND "receivedAt" < $1 RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [new Date(now - this.retentionMs)],
    );
    const deleted = row?.deleted ?? 0;
    if (deleted > 0) this.log.info({ deleted }, 'old LINE events pruned');
    return deleted;
  }

  private async poll(): Promise<void> {
    if (Date.now() - this.lastPrunedAt >= PRUNE_EVERY_MS) await this.prune();
    const slots = this.reserveSlots();
    try {
      const free = slots.count;
      if (free <= 0) {
        // Busy, not stalled: every slot is working or being claimed (their statements are bounded,
        // so a lost database frees them within seconds and the next poll tells).
        this.lastReachedDatabaseAt = Date.now();
        return;
      }
      const notesBefore = this.backlogNotes;
      // Never our own running events, even if their lease could not be renewed.
      const claimed = await this.db.query<ClaimedEvent>(this.claimSql, [this.leaseMs / 1000, free, [...this.inFlightIds]]);
      this.lastReachedDatabaseAt = Date.now();
      if (claimed.length < free) {
        // A store that found these slots reserved left its events to this poll, which may not have
        // seen them: poll again at once.
        if (this.backlogNotes === notesBefore) this.backlog = false;
        else this.pollAgain = true;
      }
      for (const event of claimed) this.launch(event);
    } finally {
      slots.release();
    }
  }

  private launch(event: ClaimedEvent): void {
    this.inFlightIds.add(event.webhookEventId);
    const task = this.run(event).finally(() => {
      this.inFlight.delete(task);
      this.inFlightIds.delete(event.webhookEventId);
      if (this.backlog) this.wake();
    });
    this.inFlight.add(task);
  }

  private async run(event: ClaimedEvent): Promise<void> {
    const started = Date.now();
    const log = childOnFirstLog(this.log, { webhookEventId: event.webhookEventId, attempt: event.attempts });
    // Keep the lease while the event runs, so a slow LINE call cannot let a poller take it twice.
    const heartbeat = setInterval(() => {
      this.renewLease(event.webhookEventId).catch((error: unknown) => log.warn({ err: error }, 'could not renew the lease'));
    }, this.leaseMs / 3);
    let answered: Answered | undefined;
    let failure: unknown;
    try {
      answered = await this.process(event);
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(heartbeat);
    }
    try {
      if (answered !== undefined) {
        const next = await this.finish(event);
        this.lastReachedDatabaseAt = Date.now();
        this.metrics?.eventsAnswered.inc({ via: answered });
        // Per event at debug: at info, two synchronous log lines per event took 8 % of the CPU in a
        // burst (BENCHMARKS.md); operators count events on /metrics.
        log.debug({ ms: Date.now() - started, via: answered }, 'event processed');
        if (next) this.launch(next);
      } else {
        await this.recordFailure(event, failure, Date.now() - started, log);
      }
    } catch (error) {
      // The database went away mid-event: the lease runs out and the event is claimed again.
      log.error({ err: error, outcome: answered === undefined ? 'failed' : 'done' }, 'could not record the outcome of an event; it will be retried when its lease expires');
    }
  }

  /**
   * Marks the event done and, in the same statement, claims its user's next event if it is due:
   * the instance that finished a user's event goes on with that user, with no poll in between.
   * The statement is shared with the events finishing at the same moment (src/db/coalesce.ts).
   */
  private finish(event: ClaimedEvent): Promise<ClaimedEvent | undefined> {
    return this.finishing.submit(event);
  }

  private async renewLease(webhookEventId: string): Promise<void> {
    await this.db.query(`UPDATE "LineEvent" SET "lockedUntil" = now() + make_interval(secs => $2) WHERE "webhookEventId" = $1`, [webhookEventId, this.leaseMs / 1000]);
  }

  private async recordFailure(event: ClaimedEvent, error: unknown, ms: number, log: Logger): Promise<void> {
    // Only the error's kind and first line: a full message can quote the user's text.
    const reason = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0]!.slice(0, 500);
    if (event.attempts >= this.maxAttempts) {
      log.error({ err: error, ms }, 'event failed too often; parked');
      await this.db.query(`UPDATE "LineEvent" SET "status" = 'parked', "lockedUntil" = NULL, "lastError" = $2 WHERE "webhookEventId" = $1`, [event.webhookEventId, reason]);
      this.metrics?.eventsParked.inc({ reason: 'failed' });
      await this.park(event, error).catch((parkError: unknown) => log.warn({ err: parkError }, 'could not tell the user'));
      return;
    }
    const delay = this.backoffMs(event.attempts);
    log.warn({ err: error, retryInMs: delay, ms }, 'event failed; will retry');
    this.metrics?.eventsFailed.inc();
    await this.db.query(`UPDATE "LineEvent" SET "lockedUntil" = NULL, "lastError" = $2, "nextAttemptAt" = now() + make_interval(secs => $3) WHERE "webhookEventId" = $1`, [
      event.webhookEventId,
      reason,
      delay / 1000,
    ]);
  }
}
