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

// Korean shops and apps write won after the number (15,000원) where Intl writes ₩15,000.
const koreanWon = new Intl.NumberFormat('ko', { maximumFractionDigits: 0 });

/**
 * Shows an amount given in the smallest unit as a localized price: (1250, 'USD', 'en') → "$12.50",
 * (1500, 'JPY', 'ja') → "￥1,500", (15000, 'KRW', 'ko') → "15,000원". Throws on a non-integer
 * amount, which is a programming error.
 */
export function formatPrice(amount: number, currency: Currency, locale: Language): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer in the smallest unit: ${amount}`);
  const decimal = majorUnitDecimal(amount, currencyDecimals(currency));
  if (currency === 'KRW' && locale === 'ko') return `${koreanWon.format(decimal)}원`;
  return priceFormatter(currency, locale).format(decimal);
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

const countFormatters = new Map<Language, Intl.NumberFormat>();

/** A count with the language's digit grouping: 12,345. */
export function formatCount(count: number, language: Language): string {
  let formatter = countFormatters.get(language);
  if (!formatter) {
    formatter = new Intl.NumberFormat(language);
    countFormatters.set(language, formatter);
  }
  return formatter.format(count);
}

/** Merchants and buyers are in Japan or Korea, both UTC+9; dates are shown in that zone. */
export const DISPLAY_TIME_ZONE = 'Asia/Tokyo';

const dateFormatters = new Map<Language, Intl.DateTimeFormat>();

/** "2026年12月31日 23:59" / "Dec 31, 2026, 11:59 PM" / "2026. 12. 31. 오후 11:59" */
export function formatDateTime(iso: string, language: Language): string {
  let formatter = dateFormatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: DISPLAY_TIME_ZONE });
    dateFormatters.set(language, formatter);
  }
  return formatter.format(new Date(iso));
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
