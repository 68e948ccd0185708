import type { LineBotClient } from '@line/bot-sdk';
import type { Logger } from '../logger.js';

/** How long a fetched LINE display name is reused: a renamed member shows up within this time. */
export const DISPLAY_NAME_TTL_MS = 10 * 60 * 1000;
/** Names kept per LINE client; the least recently stored is dropped first. */
const DISPLAY_NAME_CACHE_MAX = 1000;

interface CachedName {
  name: string | null;
  until: number;
}

// One cache per LINE client (one per running bot), so two bots in one process never share names.
const caches = new WeakMap<LineBotClient, Map<string, CachedName>>();

/** The fallback when LINE gives no name (a user who blocked the bot): the id's last four characters. */
function shortUserId(userId: string): string {
  return `…${userId.slice(-4)}`;
}

/**
 * A member's LINE display name, fetched through the LINE profile API and cached for
 * DISPLAY_NAME_TTL_MS (a members list of 30 would otherwise cost 30 API calls each time it is
 * opened); a failed lookup is cached too, and shown as a short id.
 */
export async function displayName(line: LineBotClient, userId: string, log: Logger, now = Date.now()): Promise<string> {
  let cache = caches.get(line);
  if (!cache) {
    cache = new Map();
    caches.set(line, cache);
  }
  const cached = cache.get(userId);
  if (cached && cached.until > now) return cached.name ?? shortUserId(userId);
  let name: string | null = null;
  try {
    const profile = await line.getProfile(userId);
    name = profile.displayName || null;
  } catch (error) {
    log.debug({ err: error }, 'member profile unavailable');
  }
  cache.delete(userId);
  cache.set(userId, { name, until: now + DISPLAY_NAME_TTL_MS });
  if (cache.size > DISPLAY_NAME_CACHE_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return name ?? shortUserId(userId);
}
