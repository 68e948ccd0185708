/** Optional limits on a link: how many payments it takes and until when. Pure parsing rules. */

import { normalizeText } from '../conversation/normalize.js';

export const USAGE_LIMIT_MAX = 1_000_000;
/** A link may stay open at most about a year; longer is almost always a typo. */
const EXPIRY_MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;
// Dates are typed in Japan/Korea local time (UTC+9, no daylight saving).
const UTC_PLUS_9_MS = 9 * 60 * 60 * 1000;

type UsageLimitError = 'not_a_number' | 'out_of_range';
export type ParsedUsageLimit = { ok: true; usageLimit: number } | { ok: false; reason: UsageLimitError };

/*
 * "10", "１０", "1,000", "3個", "3回まで", "3개", "3번", "up to 5 times": a number with the
 * counter words people type after it (any counter: the limit counts payments whatever is sold).
 */
const USAGE_LIMIT_SHAPE =
  /^(?:up to|max(?:imum)?|最大|上限|최대)?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})\s*(?:回|個|件|人|名|枚|点|번|회|개|건|명|장|times?|payments?|uses?|pcs|pieces?|items?|people)?\s*(?:まで|까지)?$/iu;

/** A typed usage limit → a whole number of payments, 1 … USAGE_LIMIT_MAX. */
export function parseUsageLimit(input: string): ParsedUsageLimit {
  const text = normalizeText(input);
  const match = USAGE_LIMIT_SHAPE.exec(text);
  if (!match?.[1]) return { ok: false, reason: 'not_a_number' };
  const usageLimit = Number(match[1].replaceAll(',', ''));
  if (usageLimit < 1 || usageLimit > USAGE_LIMIT_MAX) return { ok: false, reason: 'out_of_range' };
  return { ok: true, usageLimit };
}

export type ExpiryError = 'not_a_date' | 'past' | 'too_far';
export type ParsedExpiry = { ok: true; expiresAt: Date } | { ok: false; reason: ExpiryError };

/** A calendar day in UTC+9; `month` 1–12. */
interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** Today in UTC+9, and its weekday (0 = Sunday). */
function localToday(now: Date): LocalDay & { weekday: number } {
  const shifted = new Date(now.getTime() + UTC_PLUS_9_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), weekday: shifted.getUTCDay() };
}

/** The last millisecond of a calendar day in UTC+9; null when the date does not exist. */
function endOfLocalDay({ year, month, day }: LocalDay): Date | null {
  const start = Date.UTC(year, month - 1, day);
  const check = new Date(start);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(start + DAY_MS - UTC_PLUS_9_MS - 1);
}

/** The end of the day `days` days after today (UTC+9). */
function endOfDayAfter(now: Date, days: number): Date {
  const today = localToday(now);
  const shifted = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return endOfLocalDay({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }) as Date;
}

/** A month and day without a year: this year's, or next year's when this year's has passed. */
function nextMonthDay(month: number, day: number, now: Date): Date | null {
  const { year } = localToday(now);
  const thisYear = endOfLocalDay({ year, month, day });
  if (thisYear && thisYear.getTime() > now.getTime()) return thisYear;
  // 2/29 exists only in some years; next year's may not, and that is "not a date" then.
  return endOfLocalDay({ year: year + 1, month, day }) ?? thisYear;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(name: string): number {
  return MONTH_NAMES.indexOf(name.slice(0, 3)) + 1;
}

/** Words for today, tomorrow and the day after, by how many days ahead they are. */
const RELATIVE_DAYS: ReadonlyMap<string, number> = new Map([
  ...['今日', 'きょう', '本日', 'today', '오늘'].map((word) => [word, 0] as const),
  ...['明日', 'あした', 'あす', 'tomorrow', '내일'].map((word) => [word, 1] as const),
  ...['明後日', 'あさって', 'day after tomorrow', 'the day after tomorrow', '모레', '내일모레', '내일 모레'].map((word) => [word, 2] as const),
]);

/** The end of this month (0) or the next (1). */
const MONTH_END: ReadonlyMap<string, number> = new Map([
  ...['月末', '今月末', '今月中', '이번 달 말', '이번달 말', '이번 달 말일', '월말', 'end of month', 'end of the month', 'end of this month', 'month end'].map((word) => [word, 0] as const),
  ...['来月末', '다음 달 말', '다음달 말', '다음 달 말일', 'end of next month'].map((word) => [word, 1] as const),
]);

/** Weekday words (0 = Sunday) in ja / ko (one character before 曜 / 요일) and en. */
const JA_WEEKDAYS = '日月火水木金土';
const KO_WEEKDAYS = '일월화수목금토';
const EN_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Which week a weekday is in: this one, the coming one, the one after; null = the next such day. */
function weekOffset(word: string | undefined): number | null {
  if (word === undefined || word === '') return null;
  if (/^(?:今週|this|이번\s*주|이번주)$/u.test(word)) return 0;
  if (/^(?:再来週|다다음\s*주|다다음주)$/u.test(word)) return 2;
  return 1;
}

/*
 * A weekday, alone ("金曜", "friday", "금요일": the next one, today included) or with its week
 * ("来週金曜", "next friday", "다음 주 금요일": that day of the week starting the coming Monday;
 * "今週金曜", "this friday", "이번 주 금요일": of this week).
 */
function weekday(text: string, now: Date): Date | null | undefined {
  const ja = /^(今週|来週|再来週)?\s*の?\s*([日月火水木金土])曜日?$/u.exec(text);
  const ko = /^(이번\s*주|이번주|다음\s*주|다음주|다다음\s*주|다다음주)?\s*([일월화수목금토])요일?$/u.exec(text);
  const en = /^(this|next|coming)?\s*(sun|mon|tue|wed|thu|fri|sat)(?:day|s|sday|nesday|r|rs|rsday|urday)?$/u.exec(text);
  let target: number;
  let week: number | null;
  if (ja?.[2]) {
    target = JA_WEEKDAYS.indexOf(ja[2]);
    week = weekOffset(ja[1]);
  } else if (ko?.[2]) {
    target = KO_WEEKDAYS.indexOf(ko[2]);
    week = weekOffset(ko[1]);
  } else if (en?.[2]) {
    target = EN_WEEKDAYS.indexOf(en[2]);
    // "coming friday" is the next one, like a bare "friday".
    week = en[1] === 'coming' ? null : weekOffset(en[1]);
  } else {
    return undefined;
  }
  const today = localToday(now).weekday;
  if (week === null) return endOfDayAfter(now, (target - today + 7) % 7);
  // Weeks start on Monday: days since this week's Monday, then the target's place in its week.
  const sinceMonday = (today + 6) % 7;
  const targetFromMonday = (target + 6) % 7;
  return endOfDayAfter(now, week * 7 - sinceMonday + targetFromMonday);
}

/** The moment an expiry typed as a date or a count of days means; null when it reads as neither. */
function readExpiry(text: string, now: Date): Date | null | 'past' | 'too_far' {
  const days = /^(?:in\s*)?(\d{1,4})\s*(日|日間|日後|일|일\s*후|일\s*뒤|일간|days?(?:\s*(?:later|from now))?)?$/iu.exec(text);
  if (days?.[1]) {
    const count = Number(days[1]);
    if (count < 1) return 'past';
    if (count > EXPIRY_MAX_DAYS) return 'too_far';
    return new Date(now.getTime() + count * DAY_MS);
  }
  const weeks = /^(?:in\s*)?(\d{1,2})\s*(?:週間|週間後|주|주일|주\s*후|주\s*뒤|weeks?(?:\s*(?:later|from now))?)$/iu.exec(text);
  if (weeks?.[1]) {
    const count = Number(weeks[1]);
    return count < 1 ? 'past' : new Date(now.getTime() + count * 7 * DAY_MS);
  }
  const date = /^(\d{4})\s*[-/.年년]\s*(\d{1,2})\s*[-/.月월]\s*(\d{1,2})\s*[日일]?\.?$/u.exec(text);
  if (date?.[1] && date[2] && date[3]) return endOfLocalDay({ year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) });
  const monthDay = /^(\d{1,2})\s*[-/.月월]\s*(\d{1,2})\s*[日일]?\.?$/u.exec(text);
  if (monthDay?.[1] && monthDay[2]) return nextMonthDay(Number(monthDay[1]), Number(monthDay[2]), now);
  const named = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?$/u.exec(text);
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:,?\s*(\d{4}))?$/u.exec(text);
  const spelled = named ? { month: named[1], day: named[2], year: named[3] } : dayFirst ? { month: dayFirst[2], day: dayFirst[1], year: dayFirst[3] } : null;
  if (spelled?.month && spelled.day) {
    const month = monthNumber(spelled.month);
    const day = Number(spelled.day);
    return spelled.year ? endOfLocalDay({ year: Number(spelled.year), month, day }) : nextMonthDay(month, day, now);
  }
  const monthEnd = MONTH_END.get(text);
  if (monthEnd !== undefined) {
    const today = localToday(now);
    // Day 0 of the month after next-or-this is the last day of the month wanted.
    const last = new Date(Date.UTC(today.year, today.month + monthEnd, 0));
    return endOfLocalDay({ year: last.getUTCFullYear(), month: last.getUTCMonth() + 1, day: last.getUTCDate() });
  }
  const relative = RELATIVE_DAYS.get(text);
  if (relative !== undefined) return endOfDayAfter(now, relative);
  return weekday(text, now) ?? null;
}

/**
 * An expiry as people type it, read in Japan/Korea time (UTC+9): a number of days or weeks from
 * now ("7", "7日", "3일 후", "in 2 weeks"), or a day meaning the end of that day — a date
 * ("2026-12-31", "2026年12月31日", "2026년 12월 31일"), a month and day ("12/31", "12月31日",
 * "12월 31일", "Dec 31": this year's, or next year's once it has passed), a word ("明日",
 * "明後日", "내일", "tomorrow", "月末", "来月末", "월말", "end of month") or a weekday ("来週金曜", "다음 주 금요일", "next friday").
 */
export function parseExpiry(input: string, now: Date): ParsedExpiry {
  const text = normalizeText(input)
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/\s*(?:まで|까지)$/u, '')
    .replace(/^(?:until|by) /u, '');
  if (text.length > 40) return { ok: false, reason: 'not_a_date' };
  const expiresAt = readExpiry(text, now);
  if (expiresAt === 'past' || expiresAt === 'too_far') return { ok: false, reason: expiresAt };
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
