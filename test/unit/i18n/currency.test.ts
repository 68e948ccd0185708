import { describe, expect, it } from 'vitest';
import { SUPPORTED_CURRENCIES, currencyDecimals, isSupportedCurrency, maxAmount } from '../../../src/i18n/currency.js';

const INT32_MAX = 2 ** 31 - 1;

describe('SUPPORTED_CURRENCIES', () => {
  it('covers the currencies the bot offers', () => {
    for (const code of ['JPY', 'KRW', 'VND', 'USD', 'EUR', 'GBP', 'TWD', 'HKD', 'SGD', 'AUD', 'CAD', 'CHF', 'CNY', 'THB']) {
      expect(SUPPORTED_CURRENCIES).toContain(code);
    }
  });

  it('has no duplicates', () => {
    expect(new Set(SUPPORTED_CURRENCIES).size).toBe(SUPPORTED_CURRENCIES.length);
  });
});

describe('isSupportedCurrency', () => {
  it.each(SUPPORTED_CURRENCIES)('accepts %s', (code) => {
    expect(isSupportedCurrency(code)).toBe(true);
  });

  it.each(['usd', 'Jpy', 'XYZ', '', 'JPYY', 'toString', 'constructor', '__proto__'])('refuses %j', (code) => {
    expect(isSupportedCurrency(code)).toBe(false);
  });
});

describe('currencyDecimals', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['VND', 0],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['TWD', 2],
    ['HKD', 2],
    ['SGD', 2],
    ['AUD', 2],
    ['CAD', 2],
    ['CHF', 2],
    ['CNY', 2],
    ['THB', 2],
  ] as const)('%s has %i decimals', (currency, decimals) => {
    expect(currencyDecimals(currency)).toBe(decimals);
  });

  it('agrees with ISO 4217 as Intl knows it', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      const intlDecimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
      expect(currencyDecimals(currency), currency).toBe(intlDecimals);
    }
  });
});

describe('maxAmount', () => {
  it.each(SUPPORTED_CURRENCIES)('%s max is a positive integer below 2^31-1', (currency) => {
    const max = maxAmount(currency);
    expect(Number.isSafeInteger(max)).toBe(true);
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThan(INT32_MAX);
  });

  it('leaves room for a large invoice in every currency (1,000,000 smallest units: ¥1,000,000 or $10,000.00)', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      expect(maxAmount(currency), currency).toBeGreaterThanOrEqual(1_000_000);
    }
  });

  it('pins the documented choices', () => {
    expect(maxAmount('JPY')).toBe(99_999_999);
    expect(maxAmount('USD')).toBe(99_999_999);
    expect(maxAmount('KRW')).toBe(999_999_999);
  });
});
