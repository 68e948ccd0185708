import type { Language } from './i18n.js';
import { currencyDecimals, isSupportedCurrency, type Currency } from './currency.js';

// Building a formatter is costly and there are only languages × currencies of them.
const formatters = new Map<string, Intl.NumberFormat>();

function priceFormatter(currency: Currency, locale: Language): Intl.NumberFormat {
  const cacheKey = `${locale}:${currency}`;
  let formatter = formatters.get(cacheKey);
  if (!formatter) {
    const decimals = currencyDecimals(currency);
    // Fraction digits pinned to our table so display never disagrees with what was parsed.
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(cacheKey, formatter);
  }
  return formatter;
}

/** "1250" with 2 decimals → "12.50", built from digits so no float division rounds the money. */
function majorUnitDecimal(amount: number, decimals: 0 | 2): Intl.StringNumericLiteral {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount));
  if (decimals === 0) return `${sign}${digits}` as Intl.StringNumericLiteral;
  const padded = digits.padStart(decimals + 1, '0');
  const major = padded.slice(0, -decimals);
  const minor = padded.slice(-decimals);
  return `${sign}${major}.${minor}` as Intl.StringNumericLiteral;
}

/** "1234567" → "1,234,567": the grouping ja, en and ko all use, written here so no ICU build changes it. */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Shows an amount given in the smallest unit as a localized price: (1250, 'USD', 'en') → "$12.50",
 * (1500, 'JPY', any language) → "¥1,500", (15000, 'KRW', 'ko') → "15,000원", (15000, 'KRW', 'en')
 * → "₩15,000". Yen and won are written here, not by Intl: Node's ICU data differs by build
 * (full-width "￥" in Japanese, "JP¥" in Korean with full ICU), and the glossary fixes one form.
 * Throws on a non-integer amount, which is a programming error.
 */
export function formatPrice(amount: number, currency: Currency, locale: Language): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer in the smallest unit: ${amount}`);
  const sign = amount < 0 ? '-' : '';
  if (currency === 'JPY') return `${sign}¥${groupDigits(String(Math.abs(amount)))}`;
  if (currency === 'KRW') {
    const won = groupDigits(String(Math.abs(amount)));
    return locale === 'ko' ? `${sign}${won}원` : `${sign}₩${won}`;
  }
  return priceFormatter(currency, locale).format(majorUnitDecimal(amount, currencyDecimals(currency)));
}

/** A price as its parts: what comes before and after the grouped digits, and how many decimals. */
export interface PriceParts {
  before: string;
  after: string;
  decimals: 0 | 2;
}

/**
 * formatPrice's pattern for one currency and language, for the buyer page's live total to format
 * exactly as the server does ("¥" + 1,234 + ""; "" + 1,234 + "원"); null when the formatted price is
 * not digits grouped by "," with a "." before the decimals (then the page shows no live total).
 */
export function priceParts(currency: string, locale: Language): PriceParts | null {
  if (!isSupportedCurrency(currency)) return null;
  const decimals = currencyDecimals(currency);
  const sample = 123_456_789;
  const digits = decimals === 0 ? groupDigits(String(sample)) : `${groupDigits(String(sample).slice(0, -2))}.${String(sample).slice(-2)}`;
  const formatted = formatPrice(sample, currency, locale);
  const at = formatted.indexOf(digits);
  if (at < 0 || formatted.indexOf(digits, at + 1) >= 0) return null;
  return { before: formatted.slice(0, at), after: formatted.slice(at + digits.length), decimals };
}

/** An input `parseAmount` accepts for this currency whatever the default, for "e.g. …" hints. */
export function amountExample(currency: Currency): string {
  const exampleNumber = currencyDecimals(currency) === 0 ? '1500' : '12.50';
  return `${exampleNumber} ${currency}`;
}

/** A stored amount whose currency may be one we no longer offer: formatted when known, else "1500 XYZ". */
export function formatStoredPrice(amount: number, currency: string, locale: Language): string {
  return isSupportedCurrency(currency) ? formatPrice(amount, currency, locale) : `${amount} ${currency}`;
}

/** A count with the grouping ja, en and ko share: 12,345. */
export function formatCount(count: number, _language: Language): string {
  const sign = count < 0 ? '-' : '';
  const [whole = '0', fraction] = String(Math.abs(count)).split('.');
  return `${sign}${groupDigits(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Merchants and buyers are in Japan or Korea, both UTC+9 (no daylight saving); dates are shown in that zone. */
const DISPLAY_TIME_ZONE = 'Asia/Tokyo';
const UTC_PLUS_9_MS = 9 * 60 * 60 * 1000;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "2026/12/31 23:59" / "Dec 31, 2026, 11:59 PM" / "2026. 12. 31. 오후 11:59", in Japan time.
 * Written out rather than left to Intl, whose output depends on Node's ICU build (a small-ICU
 * Node prints Korean times as "PM 11:59").
 */
export function formatDateTime(iso: string, language: Language): string {
  const local = new Date(new Date(iso).getTime() + UTC_PLUS_9_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const hours = local.getUTCHours();
  const minutes = String(local.getUTCMinutes()).padStart(2, '0');
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  switch (language) {
    case 'ja':
      return `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')} ${hours}:${minutes}`;
    case 'en':
      return `${MONTHS_EN[month - 1]} ${day}, ${year}, ${twelve}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
    case 'ko':
      return `${year}. ${month}. ${day}. ${hours < 12 ? '오전' : '오후'} ${twelve}:${minutes}`;
  }
}
/** `text` cut to `max` characters (code points), the last one replaced by "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** An amount for a spreadsheet: major units without grouping or symbol, (1250, 'USD') → "12.50". */
export function formatMajorUnits(amount: number, currency: string): string {
  return isSupportedCurrency(currency) ? majorUnitDecimal(amount, currencyDecimals(currency)) : String(amount);
}

const sheetDateFormatter = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: DISPLAY_TIME_ZONE });

/** A time for a spreadsheet, in the display zone: "2026-11-28 10:00" (Excel reads it as a date). */
export function formatSheetDateTime(iso: string): string {
  return sheetDateFormatter.format(new Date(iso));
}
