// One attempt of a client (a Pay or Apply press, a return page view) counted against its own
// address and, for IPv6, its /48 too: a site can rotate through 65,536 /64s, so the /48 shares a
// few times the client's allowance. Keys hold the networks only keyed (client-address.ts).
import type { Request } from 'express';
import type { Prisma } from '../db/database.js';
import { countAttempt, type RateLimitRule } from '../merchants/rate-limit.js';
import { clientNetworks, keyedAddress } from './client-address.js';

/** How many clients' allowance one IPv6 /48 gets in all. */
const SITE_SHARE = 2;

export async function countClientAttempt(
  prisma: Prisma,
  appSecret: string,
  scope: string,
  req: Request,
  rule: RateLimitRule,
  now = new Date(),
): Promise<{ allowed: boolean; resetAt: Date; client: string }> {
  const [own = 'unknown', site] = clientNetworks(req);
  const client = keyedAddress(appSecret, own);
  const hit = await countAttempt(prisma, `${scope}:${client}`, rule, now);
  if (!hit.allowed || site === undefined) return { allowed: hit.allowed, resetAt: hit.resetAt, client };
  const siteHit = await countAttempt(prisma, `${scope}/48:${keyedAddress(appSecret, site)}`, { limit: rule.limit * SITE_SHARE, windowMs: rule.windowMs }, now);
  return { allowed: siteHit.allowed, resetAt: siteHit.resetAt, client };
}
