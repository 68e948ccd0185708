// The one definition of a shop's "day": "today", the daily digest's day and "the same weekday last
// week" are all local dates in the shop's time zone. A shop chatting in Korean keeps Korea time,
// every other shop Japan time (both are UTC+9 with no daylight saving today, but the zone is named,
// not the offset, so a rule change in either country needs no code change here).
import type { Language } from '../i18n/i18n.js';

export type ShopTimeZone = 'Asia/Tokyo' | 'Asia/Seoul';

/** The shop's zone, from the language its member chats in (the only place the shop's country shows). */
export function shopTimeZone(language: Language): ShopTimeZone {
  return language === 'ko' ? 'Asia/Seoul' : 'Asia/Tokyo';
}

export interface ShopDay {
  /** The local date, YYYY-MM-DD. */
  day: string;
  /** The local midnight that starts it and the one that ends it, as instants. */
  start: Date;
  end: Date;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const DAY_MS = 86_400_000;
const partsFormatters = new Map<ShopTimeZone, Intl.DateTimeFormat>();

/** The wall-clock reading in `zone` at `at`, as if it were UTC (for offset arithmetic). */
function wallClockMs(at: Date, zone: ShopTimeZone): number {
  let formatter = partsFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormatters.set(zone, formatter);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(formatter.formatToParts(at).find((entry) => entry.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** The instant the wall clock in `zone` reads `local` (ms of a UTC-labelled wall time). */
function instantOf(localMs: number, zone: ShopTimeZone): Date {
  // The offset at the guess is the offset at the answer except across a change, where one more look settles it.
  const guess = localMs - (wallClockMs(new Date(localMs), zone) - localMs);
  return new Date(localMs - (wallClockMs(new Date(guess), zone) - guess));
}

function dayFromLocalMidnight(midnightMs: number, zone: ShopTimeZone): ShopDay {
  return {
    day: new Date(midnightMs).toISOString().slice(0, 10),
    start: instantOf(midnightMs, zone),
    end: instantOf(midnightMs + DAY_MS, zone),
    weekday: new Date(midnightMs).getUTCDay(),
  };
}

/** The shop's day that `at` falls in. */
export function shopDayOf(at: Date, zone: ShopTimeZone): ShopDay {
  const wall = wallClockMs(at, zone);
  return dayFromLocalMidnight(wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS), zone);
}

/** The shop's day `days` after `day` (negative: before). */
export function shiftShopDay(day: ShopDay, days: number, zone: ShopTimeZone): ShopDay {
  return dayFromLocalMidnight(Date.parse(`${day.day}T00:00:00Z`) + days * DAY_MS, zone);
}

/** The instant of local time `minutes` after midnight on `day` (a digest's "21:00" is 1260). */
export function shopTimeOn(day: ShopDay, minutes: number, zone: ShopTimeZone): Date {
  return instantOf(Date.parse(`${day.day}T00:00:00Z`) + minutes * 60_000, zone);
}
