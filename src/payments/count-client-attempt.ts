// One attempt of a client (a Pay or Apply press, a return page view) counted against its own
// address and, for IPv6, its /48 too: a site can rotate through 65,536 /64s, so the /48 shares a
// few times the client's allowance. The networks come from the request (http/client-address.ts);
// keys and logs hold them only keyed (keyedAddress), never as they are.
import { createHmac } from 'node:crypto';
import type { SqlQuery } from '../db/sql.js';
import { countAttempt, type RateLimitRule } from '../merchants/rate-limit.js';

/** How many clients' allowance one IPv6 /48 gets in all. */
const SITE_SHARE = 2;

/** An address or network as logs and the rate-limit table hold it: an HMAC with APP_SECRET. */
function keyedAddress(appSecret: string, network: string): string {
  return createHmac('sha256', appSecret).update(`client-address:${network}`).digest('base64url').slice(0, 22);
}

/** `networks`: the client's own (IPv4, or IPv6 /64) first, then its IPv6 /48 if any. */
export async function countClientAttempt(
  db: SqlQuery,
  appSecret: string,
  scope: string,
  networks: readonly string[],
  rule: RateLimitRule,
  now = new Date(),
): Promise<{ allowed: boolean; resetAt: Date; client: string }> {
  const [own = 'unknown', site] = networks;
  const client = keyedAddress(appSecret, own);
  const hit = await countAttempt(db, `${scope}:${client}`, rule, now);
  if (!hit.allowed || site === undefined) return { allowed: hit.allowed, resetAt: hit.resetAt, client };
  const siteHit = await countAttempt(db, `${scope}/48:${keyedAddress(appSecret, site)}`, { limit: rule.limit * SITE_SHARE, windowMs: rule.windowMs }, now);
  return { allowed: siteHit.allowed, resetAt: siteHit.resetAt, client };
}

/** Whole seconds until a refused client may try again (at least one): the Retry-After value. */
export function retryAfterSeconds(resetAt: Date, now = Date.now()): number {
  return Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000));
}
