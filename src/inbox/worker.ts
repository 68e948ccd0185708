import type { Prisma } from '../db/database.js';
import { Prisma as PrismaNamespace } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

export interface ClaimedEvent {
  webhookEventId: string;
  userId: string | null;
  payload: unknown;
  outbox: unknown;
  attempts: number;
}

export interface WorkerOptions {
  concurrency?: number;
  pollIntervalMs?: number;
  maxAttempts?: number;
  /** How long a claimed event stays ours before another instance may take it over. */
  leaseMs?: number;
  /** Backoff before attempt n+1 (n ≥ 1). */
  backoffMs?: (attempt: number) => number;
  /** Finished events (with the user's message text) are deleted this long after they arrived. */
  retentionMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Pruning is cheap but needs no precision: at most once an hour per instance.
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export type ProcessEvent = (event: ClaimedEvent) => Promise<void>;
export type ParkEvent = (event: ClaimedEvent, error: unknown) => Promise<void>;

const defaultBackoff = (attempt: number) => Math.min(30_000, 1_000 * 2 ** (attempt - 1));

/**
 * Processes stored LINE events after they were acknowledged. One event per user at a time, in
 * event order (only the oldest unfinished event of a user can be claimed); different users in
 * parallel. Works across instances: a claim is a conditional UPDATE, so two pollers never take
 * the same event, and a crashed instance's lease simply runs out.
 */
export class InboxWorker {
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly retentionMs: number;
  private lastPrunedAt = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private stopped = true;

  constructor(
    private readonly prisma: Prisma,
    private readonly process: ProcessEvent,
    private readonly park: ParkEvent,
    private readonly log: Logger,
    options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.retentionMs = options.retentionMs ?? 30 * DAY_MS;
  }

  start(): void {
    this.stopped = false;
    this.wake();
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

  /** Stops claiming and waits for events in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.inFlight.size > 0 || this.polling) {
      await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  }

  /** Resolves once nothing is claimable or in flight (tests and the CLI use it). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.inFlight.size === 0 && !this.polling) {
        const pending = await this.prisma.lineEvent.count({ where: { status: { in: ['pending', 'replying'] } } });
        if (pending === 0) return;
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
    const deleted = await this.prisma.lineEvent.deleteMany({
      where: { status: { in: ['done', 'parked'] }, receivedAt: { lt: new Date(now - this.retentionMs) } },
    });
    if (deleted.count > 0) this.log.info({ deleted: deleted.count }, 'old LINE events pruned');
    return deleted.count;
  }

  private async poll(): Promise<void> {
    if (Date.now() - this.lastPrunedAt >= PRUNE_EVERY_MS) await this.prune();
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const claimed = await this.claim(free);
    for (const event of claimed) {
      this.inFlightIds.add(event.webhookEventId);
      const task = this.run(event).finally(() => {
        this.inFlight.delete(task);
        this.inFlightIds.delete(event.webhookEventId);
        this.wake();
      });
      this.inFlight.add(task);
    }
  }

  private async claim(limit: number): Promise<ClaimedEvent[]> {
    const leaseSeconds = this.leaseMs / 1000;
    // Never our own running events, even if their lease could not be renewed.
    const running = [...this.inFlightIds];
    return this.prisma.$queryRaw<ClaimedEvent[]>`
      UPDATE "LineEvent" AS e
         SET "lockedUntil" = now() + make_interval(secs => ${leaseSeconds}), "attempts" = e."attempts" + 1
       WHERE e."webhookEventId" IN (
               SELECT head."webhookEventId"
                 FROM (SELECT DISTINCT ON (COALESCE("userId", "webhookEventId"))
                              "webhookEventId", "nextAttemptAt", "lockedUntil", "eventTimestamp"
                         FROM "LineEvent"
                        WHERE "status" IN ('pending', 'replying')
                        ORDER BY COALESCE("userId", "webhookEventId"), "eventTimestamp", "receivedAt", "webhookEventId") AS head
                WHERE head."nextAttemptAt" <= now()
                  AND (head."lockedUntil" IS NULL OR head."lockedUntil" < now())
                ORDER BY head."eventTimestamp"
                LIMIT ${limit})
         AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
         AND NOT (e."webhookEventId" = ANY(${running}::text[]))
      RETURNING e."webhookEventId", e."userId", e."payload", e."outbox", e."attempts"`;
  }

  private async run(event: ClaimedEvent): Promise<void> {
    const started = Date.now();
    const log = this.log.child({ webhookEventId: event.webhookEventId, attempt: event.attempts });
    // Keep the lease while the event runs, so a slow LINE call cannot let a poller take it twice.
    const heartbeat = setInterval(() => {
      this.renewLease(event.webhookEventId).catch((error: unknown) => log.warn({ err: error }, 'could not renew the lease'));
    }, this.leaseMs / 3);
    let outcome: 'done' | 'failed';
    let failure: unknown;
    try {
      await this.process(event);
      outcome = 'done';
    } catch (error) {
      outcome = 'failed';
      failure = error;
    } finally {
      clearInterval(heartbeat);
    }
    try {
      if (outcome === 'done') {
        await this.prisma.lineEvent.update({
          where: { webhookEventId: event.webhookEventId },
          // The sent replies can hold things like fresh invite codes: keep them only until delivered.
          data: { status: 'done', processedAt: new Date(), lockedUntil: null, lastError: null, outbox: PrismaNamespace.DbNull },
        });
        log.info({ ms: Date.now() - started }, 'event processed');
      } else {
        await this.recordFailure(event, failure, Date.now() - started, log);
      }
    } catch (error) {
      // The database went away mid-event: the lease runs out and the event is claimed again.
      log.error({ err: error, outcome }, 'could not record the outcome of an event; it will be retried when its lease expires');
    }
  }

  private async renewLease(webhookEventId: string): Promise<void> {
    await this.prisma.lineEvent.update({
      where: { webhookEventId },
      data: { lockedUntil: new Date(Date.now() + this.leaseMs) },
    });
  }

  private async recordFailure(event: ClaimedEvent, error: unknown, ms: number, log: Logger): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (event.attempts >= this.maxAttempts) {
      log.error({ err: error, ms }, 'event failed too often; parked');
      await this.prisma.lineEvent.update({
        where: { webhookEventId: event.webhookEventId },
        data: { status: 'parked', lockedUntil: null, lastError: message.slice(0, 2000) },
      });
      await this.park(event, error).catch((parkError: unknown) => log.warn({ err: parkError }, 'could not tell the user'));
      return;
    }
    const delay = this.backoffMs(event.attempts);
    log.warn({ err: error, retryInMs: delay, ms }, 'event failed; will retry');
    await this.prisma.lineEvent.update({
      where: { webhookEventId: event.webhookEventId },
      data: { lockedUntil: null, lastError: message.slice(0, 2000), nextAttemptAt: new Date(Date.now() + delay) },
    });
  }
}
