import { removeInvisible } from '../conversation/normalize.js';
import { currencyDecimals, isSupportedCurrency, maxAmount } from '../i18n/currency.js';
import type { Currency } from '../i18n/currency.js';

export type AmountError = 'empty' | 'too_long' | 'not_a_number' | 'bad_grouping' | 'not_positive' | 'too_many_decimals' | 'too_large' | 'unknown_currency' | 'conflicting_currency';

/** `amount` is in the currency's smallest unit (yen, cents, …): a positive integer. */
export type ParsedAmount = { ok: true; amount: number; currency: Currency } | { ok: false; reason: AmountError };

/** Longest amount text worth reading ("1,234,567.89 USD" is 16); longer is refused before any work. */
export const AMOUNT_INPUT_MAX = 64;

/*
 * After NFKC: optional minus, optional currency marker, optional minus, digits (commas and one
 * decimal point allowed), optional currency marker. Markers are runs without spaces, digits or
 * number punctuation; whether they name a currency is decided afterwards.
 */
const AMOUNT_SHAPE = /^(?<leadingMinus>[-\u2212])?\s*(?<prefix>[^\s\d.,\-\u2212]*?)\s*(?<innerMinus>[-\u2212])?\s*(?<integerPart>\d[\d,]*)(?:\.(?<fraction>\d+))?\s*(?<suffix>[^\s\d.,\-\u2212]*)$/u;

/** Thousands grouping must be exact: 1,500 and 1,500,000 yes; 1,50 or 15,00 no. */
const GROUPED_INTEGER = /^\d{1,3}(?:,\d{3})+$/;

const ISO_CODE = /^[A-Z]{3}$/;

/*
 * Symbols and words people type, plus every prefix Intl prints for our currencies in ja/en/ko
 * (so a formatted price pastes back). Keys are upper-cased, after NFKC (which already maps
 * ￥ ＄ ￦ to ¥ $ ₩). A bare ¥ means JPY: the bot is Japan-first, and Intl writes CNY as CN¥ / 元.
 */
const CURRENCY_MARKERS: ReadonlyMap<string, Currency> = new Map([
  ['¥', 'JPY'],
  ['JP¥', 'JPY'],
  ['円', 'JPY'],
  ['엔', 'JPY'],
  ['YEN', 'JPY'],
  ['₩', 'KRW'],
  ['원', 'KRW'],
  ['ウォン', 'KRW'],
  ['WON', 'KRW'],
  ['₫', 'VND'],
  ['$', 'USD'],
  ['US$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['NT$', 'TWD'],
  ['HK$', 'HKD'],
  ['S$', 'SGD'],
  ['A$', 'AUD'],
  ['AU$', 'AUD'],
  ['C$', 'CAD'],
  ['CA$', 'CAD'],
  ['CN¥', 'CNY'],
  ['元', 'CNY'],
  ['฿', 'THB'],
]);

type MarkerReading = { kind: 'none' } | { kind: 'currency'; currency: Currency } | { kind: 'unknown_code' } | { kind: 'garbage' };

function readMarker(marker: string): MarkerReading {
  if (marker === '') return { kind: 'none' };
  const upper = marker.toUpperCase();
  const symbolCurrency = CURRENCY_MARKERS.get(upper);
  if (symbolCurrency) return { kind: 'currency', currency: symbolCurrency };
  if (isSupportedCurrency(upper)) return { kind: 'currency', currency: upper };
  if (ISO_CODE.test(upper)) return { kind: 'unknown_code' };
  return { kind: 'garbage' };
}

/**
 * Reads a chat amount such as `1,500`, `￥1,500`, `1500円`, `1500엔`, `15000원`, `１５００`, `12.50 USD` or `$12.50` into the
 * currency's smallest unit. Digits are combined as strings and converted once, so no binary
 * floating point ever touches the money.
 */
export function parseAmount(input: string, defaultCurrency: Currency = 'JPY'): ParsedAmount {
  const visible = removeInvisible(input).trim();
  if (visible === '') return { ok: false, reason: 'empty' };
  if (visible.length > AMOUNT_INPUT_MAX) return { ok: false, reason: 'too_long' };

  const shape = AMOUNT_SHAPE.exec(visible.normalize('NFKC'))?.groups;
  if (!shape) return { ok: false, reason: 'not_a_number' };
  const { leadingMinus, prefix = '', innerMinus, integerPart = '', fraction = '', suffix = '' } = shape;

  const prefixReading = readMarker(prefix);
  const suffixReading = readMarker(suffix);
  if (prefixReading.kind === 'garbage' || suffixReading.kind === 'garbage') return { ok: false, reason: 'not_a_number' };
  if (leadingMinus !== undefined && innerMinus !== undefined) return { ok: false, reason: 'not_a_number' };
  if (integerPart.includes(',') && !GROUPED_INTEGER.test(integerPart)) return { ok: false, reason: 'bad_grouping' };
  if (prefixReading.kind === 'unknown_code' || suffixReading.kind === 'unknown_code') {
    return { ok: false, reason: 'unknown_currency' };
  }
  if (prefixReading.kind === 'currency' && suffixReading.kind === 'currency' && prefixReading.currency !== suffixReading.currency) {
    return { ok: false, reason: 'conflicting_currency' };
  }
  const currency = prefixReading.kind === 'currency' ? prefixReading.currency : suffixReading.kind === 'currency' ? suffixReading.currency : defaultCurrency;

  if (leadingMinus !== undefined || innerMinus !== undefined) return { ok: false, reason: 'not_positive' };
  const decimals = currencyDecimals(currency);
  if (fraction.length > decimals) return { ok: false, reason: 'too_many_decimals' };

  const smallestUnitDigits = (integerPart.replaceAll(',', '') + fraction.padEnd(decimals, '0')).replace(/^0+/, '');
  if (smallestUnitDigits === '') return { ok: false, reason: 'not_positive' };
  const max = maxAmount(currency);
  // Compare lengths first so Number() only ever sees integers it represents exactly.
  if (smallestUnitDigits.length > String(max).length) return { ok: false, reason: 'too_large' };
  const amount = Number(smallestUnitDigits);
  if (amount > max) return { ok: false, reason: 'too_large' };
  return { ok: true, amount, currency };
}
