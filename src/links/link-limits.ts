/** Optional limits on a link: how many payments it takes and until when. Pure parsing rules. */

import { normalizeText } from '../conversation/normalize.js';

export const USAGE_LIMIT_MAX = 1_000_000;
/** A link may stay open at most about a year; longer is almost always a typo. */
export const EXPIRY_MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;
// Dates are typed in Japan/Korea local time (UTC+9, no daylight saving).
const UTC_PLUS_9_MS = 9 * 60 * 60 * 1000;

export type UsageLimitError = 'not_a_number' | 'out_of_range';
export type ParsedUsageLimit = { ok: true; usageLimit: number } | { ok: false; reason: UsageLimitError };

/** "10", "１０", "1,000", "10回", "10 times" → a whole number of payments, 1 … USAGE_LIMIT_MAX. */
export function parseUsageLimit(input: string): ParsedUsageLimit {
  const text = normalizeText(input);
  const match = /^(\d{1,3}(?:,\d{3})+|\d{1,9})\s*(?:回|번|회|times?|payments?)?$/iu.exec(text);
  if (!match?.[1]) return { ok: false, reason: 'not_a_number' };
  const usageLimit = Number(match[1].replaceAll(',', ''));
  if (usageLimit < 1 || usageLimit > USAGE_LIMIT_MAX) return { ok: false, reason: 'out_of_range' };
  return { ok: true, usageLimit };
}

export type ExpiryError = 'not_a_date' | 'past' | 'too_far';
export type ParsedExpiry = { ok: true; expiresAt: Date } | { ok: false; reason: ExpiryError };

/** The last millisecond of a calendar day in UTC+9; null when the date does not exist. */
function endOfLocalDay(year: number, month: number, day: number): Date | null {
  const start = Date.UTC(year, month - 1, day);
  const check = new Date(start);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(start + DAY_MS - UTC_PLUS_9_MS - 1);
}

/**
 * A number of days from now ("7", "7日", "7 days") or a date ("2026-12-31", "2026/12/31",
 * "2026年12月31日", "2026년 12월 31일") meaning the end of that day in Japan/Korea time.
 */
export function parseExpiry(input: string, now: Date): ParsedExpiry {
  const text = normalizeText(input);
  let expiresAt: Date | null = null;
  const days = /^(\d{1,4})\s*(?:日|日間|일|days?)?$/iu.exec(text);
  const date = /^(\d{4})\s*[-/.年년]\s*(\d{1,2})\s*[-/.月월]\s*(\d{1,2})\s*[日일]?$/u.exec(text);
  if (days?.[1]) {
    const count = Number(days[1]);
    if (count < 1) return { ok: false, reason: 'past' };
    if (count > EXPIRY_MAX_DAYS) return { ok: false, reason: 'too_far' };
    expiresAt = new Date(now.getTime() + count * DAY_MS);
  } else if (date?.[1] && date[2] && date[3]) {
    expiresAt = endOfLocalDay(Number(date[1]), Number(date[2]), Number(date[3]));
  }
  if (!expiresAt) return { ok: false, reason: 'not_a_date' };
  const outOfRange = expiryOutOfRange(expiresAt, now);
  return outOfRange ? { ok: false, reason: outOfRange } : { ok: true, expiresAt };
}

/** Why an expiry is refused (it must lie after `now` and at most EXPIRY_MAX_DAYS ahead), or null. */
export function expiryOutOfRange(expiresAt: Date, now: Date): Extract<ExpiryError, 'past' | 'too_far'> | null {
  if (expiresAt.getTime() <= now.getTime()) return 'past';
  if (expiresAt.getTime() > now.getTime() + EXPIRY_MAX_DAYS * DAY_MS) return 'too_far';
  return null;
}
