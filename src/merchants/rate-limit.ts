import type { Prisma } from '../db/database.js';
import type { SqlQuery } from '../db/sql.js';

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitHit {
  /** False once more than `limit` attempts were counted in this window. */
  allowed: boolean;
  count: number;
  remaining: number;
  windowStart: Date;
  resetAt: Date;
}

// Counters of every key are dropped a day after their window started: no rule here is longer,
// and per-client keys (one per buyer IP) would otherwise pile up forever.
const RETENTION_MS = 24 * 60 * 60 * 1000;

function windowOf(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

const COUNT_SQL = `
  WITH "expired" AS (DELETE FROM "RateLimit" WHERE "windowStart" < $1)
  INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES ($2, $3, 1)
  ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1
  RETURNING "count"`;

/**
 * Counts one attempt in the fixed window containing `now`. The increment is a single
 * INSERT … ON CONFLICT DO UPDATE, so concurrent attempts (other instances included) each get
 * their own count and none slips past the limit; the same statement drops expired counters
 * (through the index on windowStart), so an attempt is one round trip.
 */
export async function countAttempt(db: SqlQuery, key: string, rule: RateLimitRule, now: Date): Promise<RateLimitHit> {
  if (rule.windowMs > RETENTION_MS) throw new Error(`rate-limit windows longer than ${RETENTION_MS} ms are not kept`);
  const windowStart = windowOf(now, rule.windowMs);
  const rows = await db.query<{ count: number }>(COUNT_SQL, [new Date(now.getTime() - RETENTION_MS), key, windowStart]);
  const count = rows[0]?.count ?? 1;
  return {
    allowed: count <= rule.limit,
    count,
    remaining: Math.max(0, rule.limit - count),
    windowStart,
    resetAt: new Date(windowStart.getTime() + rule.windowMs),
  };
}

/** Gives back an attempt that turned out not to count (e.g. a join that succeeded). */
export async function refundAttempt(prisma: Prisma, key: string, windowStart: Date): Promise<void> {
  await prisma.rateLimit.updateMany({ where: { key, windowStart, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}
