import type { Language } from './i18n.js';
import { currencyDecimals } from './currency.js';
import type { Currency } from './currency.js';

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

/**
 * Shows an amount given in the smallest unit as a localized price: (1250, 'USD', 'en') → "$12.50",
 * (1500, 'JPY', 'ja') → "￥1,500". Throws on a non-integer amount, which is a programming error.
 */
export function formatPrice(amount: number, currency: Currency, locale: Language): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer in the smallest unit: ${amount}`);
  return priceFormatter(currency, locale).format(majorUnitDecimal(amount, currencyDecimals(currency)));
}

/** An input `parseAmount` accepts for this currency whatever the default, for "e.g. …" hints. */
export function amountExample(currency: Currency): string {
  const exampleNumber = currencyDecimals(currency) === 0 ? '1500' : '12.50';
  return `${exampleNumber} ${currency}`;
}
