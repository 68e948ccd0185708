import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../src/links/amount.js';
import { SUPPORTED_CURRENCIES, maxAmount } from '../../../src/i18n/currency.js';
import type { Currency } from '../../../src/i18n/currency.js';
import { amountExample, formatCount, formatDateTime, formatPrice, priceParts } from '../../../src/i18n/format.js';

const LOCALES = ['ja', 'en', 'ko'] as const;

// Intl separates some symbols from the number with a no-break space; compare on plain spaces.
const withPlainSpaces = (text: string): string => text.replace(/[\u00A0\u202F]/g, ' ');

describe('formatPrice', () => {
  it.each<[amount: number, currency: Currency, locale: (typeof LOCALES)[number], expected: string]>([
    [1250, 'USD', 'en', '$12.50'],
    [1250, 'USD', 'ja', '$12.50'],
    [1250, 'USD', 'ko', 'US$12.50'],
    [1, 'USD', 'en', '$0.01'],
    [10, 'USD', 'en', '$0.10'],
    [100, 'USD', 'en', '$1.00'],
    [99_999_999, 'USD', 'en', '$999,999.99'],
    [1500, 'JPY', 'ja', '¥1,500'],
    [1500, 'JPY', 'en', '¥1,500'],
    [1500, 'JPY', 'ko', '¥1,500'],
    [15_000, 'KRW', 'en', '₩15,000'],
    [1_234_567, 'JPY', 'en', '¥1,234,567'],
    [99_999_999, 'JPY', 'ja', '¥99,999,999'],
    [15_000, 'KRW', 'ko', '15,000원'],
    [999_999_999, 'KRW', 'ko', '999,999,999원'],
    [15_000, 'KRW', 'ja', '₩15,000'],
    [50_000, 'VND', 'en', '₫50,000'],
    [999, 'EUR', 'en', '€9.99'],
    [300, 'GBP', 'en', '£3.00'],
    [50_000, 'TWD', 'en', 'NT$500.00'],
    [999_999_999, 'HKD', 'en', 'HK$9,999,999.99'],
    [1000, 'CHF', 'en', 'CHF 10.00'],
    [0, 'JPY', 'ja', '¥0'],
    [0, 'USD', 'en', '$0.00'],
  ])('(%i, %s, %s) → %j', (amount, currency, locale, expected) => {
    expect(withPlainSpaces(formatPrice(amount, currency, locale))).toBe(expected);
  });

  it('converts to major units exactly where float division would drift', () => {
    // 1.005 and 0.29 are not representable in binary; the digits must still come out as given.
    expect(formatPrice(1005, 'USD', 'en')).toBe('$10.05');
    expect(formatPrice(29, 'USD', 'en')).toBe('$0.29');
    expect(formatPrice(Number.MAX_SAFE_INTEGER, 'USD', 'en')).toBe('$90,071,992,547,409.91');
  });

  it('shows negative amounts (e.g. a net figure) with a sign', () => {
    expect(formatPrice(-1250, 'USD', 'en')).toBe('-$12.50');
    expect(formatPrice(-1500, 'JPY', 'ja')).toBe('-¥1,500');
    expect(formatPrice(-15000, 'KRW', 'ko')).toBe('-15,000원');
  });

  it.each([12.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses the non-integer amount %d', (amount) => {
    expect(() => formatPrice(amount, 'USD', 'en')).toThrow(RangeError);
  });

  it('never shows decimals for zero-decimal currencies', () => {
    for (const locale of LOCALES) {
      for (const currency of ['JPY', 'KRW', 'VND'] as const) {
        expect(formatPrice(123_456, currency, locale)).not.toMatch(/[.]/);
      }
    }
  });

  it('pastes back: parseAmount reads every formatted price as the same amount and currency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUPPORTED_CURRENCIES).chain((currency) => fc.record({ currency: fc.constant(currency), amount: fc.integer({ min: 1, max: maxAmount(currency) }) })),
        fc.constantFrom(...LOCALES),
        fc.constantFrom(...SUPPORTED_CURRENCIES),
        ({ currency, amount }, locale, defaultCurrency) => {
          expect(parseAmount(formatPrice(amount, currency, locale), defaultCurrency)).toEqual({ ok: true, amount, currency });
        },
      ),
    );
  });
});

describe('amountExample', () => {
  it('is "1500 JPY" for zero-decimal and "12.50 USD" for two-decimal currencies', () => {
    expect(amountExample('JPY')).toBe('1500 JPY');
    expect(amountExample('USD')).toBe('12.50 USD');
  });

  it.each(SUPPORTED_CURRENCIES)('%s example parses as that currency whatever the default', (currency) => {
    for (const defaultCurrency of SUPPORTED_CURRENCIES) {
      const parsed = parseAmount(amountExample(currency), defaultCurrency);
      expect(parsed.ok && parsed.currency).toBe(currency);
    }
  });
});

describe('formatDateTime (Japan time, the same whatever ICU data Node was built with)', () => {
  it.each([
    ['2026-12-31T14:59:00.000Z', 'ja', '2026/12/31 23:59'],
    ['2026-12-31T14:59:00.000Z', 'en', 'Dec 31, 2026, 11:59 PM'],
    ['2026-12-31T14:59:00.000Z', 'ko', '2026. 12. 31. 오후 11:59'],
    ['2026-11-01T00:00:00.000Z', 'ja', '2026/11/01 9:00'],
    ['2026-11-01T00:00:00.000Z', 'en', 'Nov 1, 2026, 9:00 AM'],
    ['2026-11-01T00:00:00.000Z', 'ko', '2026. 11. 1. 오전 9:00'],
    ['2026-11-30T15:05:00.000Z', 'ko', '2026. 12. 1. 오전 12:05'],
    ['2026-11-30T15:05:00.000Z', 'en', 'Dec 1, 2026, 12:05 AM'],
    ['2026-12-01T03:30:00.000Z', 'ko', '2026. 12. 1. 오후 12:30'],
    ['2026-12-01T03:30:00.000Z', 'ja', '2026/12/01 12:30'],
  ] as const)('%s in %s → %j', (iso, language, expected) => {
    expect(formatDateTime(iso, language)).toBe(expected);
  });
});

describe('formatCount', () => {
  it('groups digits by thousands in every language', () => {
    expect(formatCount(0, 'ja')).toBe('0');
    expect(formatCount(999, 'en')).toBe('999');
    expect(formatCount(12_345, 'ko')).toBe('12,345');
    expect(formatCount(1_000_000, 'en')).toBe('1,000,000');
  });
});

describe("priceParts (the buyer page's live total formats with it)", () => {
  // What the page's script does with the parts (src/payments/pages/live-total.ts money()).
  function byParts(amount: number, parts: NonNullable<ReturnType<typeof priceParts>>): string {
    let digits = String(amount);
    let minor = '';
    if (parts.decimals > 0) {
      digits = digits.padStart(parts.decimals + 1, '0');
      minor = `.${digits.slice(-parts.decimals)}`;
      digits = digits.slice(0, -parts.decimals);
    }
    return `${parts.before}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${minor}${parts.after}`;
  }

  it('gives every currency and language the pattern formatPrice prints, cents and all', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      for (const language of ['ja', 'en', 'ko'] as const) {
        const parts = priceParts(currency, language);
        expect(parts, `${currency} ${language}`).not.toBeNull();
        for (const amount of [1, 5, 99, 100, 1250, 2875, 100_000, maxAmount(currency)]) expect(byParts(amount, parts!)).toBe(formatPrice(amount, currency, language));
      }
    }
    expect(priceParts('JPY', 'ja')).toEqual({ before: '¥', after: '', decimals: 0 });
    expect(priceParts('KRW', 'ko')).toEqual({ before: '', after: '원', decimals: 0 });
    expect(priceParts('XYZ', 'en')).toBeNull();
  });
});
