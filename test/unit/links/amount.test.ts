import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMOUNT_INPUT_MAX, parseAmount } from '../../../src/links/amount.js';
import type { AmountError } from '../../../src/links/amount.js';
import { SUPPORTED_CURRENCIES, currencyDecimals, maxAmount } from '../../../src/i18n/currency.js';
import type { Currency } from '../../../src/i18n/currency.js';

const toFullWidthDigits = (text: string): string => text.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));

const withThousandsCommas = (digits: string): string => digits.replace(/\B(?=(\d{3})+$)/g, ',');

describe('parseAmount accepts', () => {
  it.each<[input: string, amount: number, currency: Currency]>([
    // plain yen (default currency)
    ['1500', 1500, 'JPY'],
    ['1', 1, 'JPY'],
    ['01500', 1500, 'JPY'],
    ['1,500', 1500, 'JPY'],
    ['1,500,000', 1_500_000, 'JPY'],
    ['99,999,999', 99_999_999, 'JPY'],
    // yen marks
    ['¥1,500', 1500, 'JPY'],
    ['￥1,500', 1500, 'JPY'],
    ['¥ 1500', 1500, 'JPY'],
    ['1500円', 1500, 'JPY'],
    ['1,500 円', 1500, 'JPY'],
    ['¥1500円', 1500, 'JPY'],
    ['1500 JPY', 1500, 'JPY'],
    ['JPY 1500', 1500, 'JPY'],
    ['1500jpy', 1500, 'JPY'],
    ['1500 yen', 1500, 'JPY'],
    ['JP¥1,500', 1500, 'JPY'],
    // full-width forms (NFKC)
    ['１５００', 1500, 'JPY'],
    ['１，５００', 1500, 'JPY'],
    ['１５００円', 1500, 'JPY'],
    ['￥１，５００', 1500, 'JPY'],
    ['１２．５０ ＵＳＤ', 1250, 'USD'],
    ['＄１２．５０', 1250, 'USD'],
    // surrounding spaces, ideographic spaces, zero-width characters
    ['  1500  ', 1500, 'JPY'],
    ['\u30001500\u3000', 1500, 'JPY'],
    ['\t1500\n', 1500, 'JPY'],
    ['\u200B1500\u200C', 1500, 'JPY'],
    ['1\u200D500', 1500, 'JPY'],
    ['\uFEFF1,500\u2060', 1500, 'JPY'],
    ['\u200B \u00A01500 \u200B', 1500, 'JPY'],
    // dollars and other two-decimal currencies
    ['12.50 USD', 1250, 'USD'],
    ['12.5 usd', 1250, 'USD'],
    ['12.50USD', 1250, 'USD'],
    ['USD 12.50', 1250, 'USD'],
    ['usd12.5', 1250, 'USD'],
    ['$12.50', 1250, 'USD'],
    ['$ 12.50', 1250, 'USD'],
    ['$12', 1200, 'USD'],
    ['$0.01', 1, 'USD'],
    ['US$12.50', 1250, 'USD'],
    ['$12.50 USD', 1250, 'USD'],
    ['$1,234.56', 123_456, 'USD'],
    ['$999,999.99', 99_999_999, 'USD'],
    ['€9.99', 999, 'EUR'],
    ['9.99 EUR', 999, 'EUR'],
    ['£3', 300, 'GBP'],
    ['￡3', 300, 'GBP'],
    ['NT$500', 50_000, 'TWD'],
    ['HK$100.5', 10_050, 'HKD'],
    ['S$10', 1000, 'SGD'],
    ['SGD 10.00', 1000, 'SGD'],
    ['A$10', 1000, 'AUD'],
    ['AU$10', 1000, 'AUD'],
    ['CA$10', 1000, 'CAD'],
    ['C$10', 1000, 'CAD'],
    ['CHF 10.00', 1000, 'CHF'],
    ['CN¥10', 1000, 'CNY'],
    ['元 10.00', 1000, 'CNY'],
    ['฿100', 10_000, 'THB'],
    ['THB 100', 10_000, 'THB'],
    // won and dong
    ['₩15000', 15_000, 'KRW'],
    ['￦15,000', 15_000, 'KRW'],
    ['15000원', 15_000, 'KRW'],
    ['15,000 원', 15_000, 'KRW'],
    ['15000 KRW', 15_000, 'KRW'],
    ['15000 won', 15_000, 'KRW'],
    ['15000ウォン', 15_000, 'KRW'],
    // Korean writes yen as 엔
    ['1500엔', 1500, 'JPY'],
    ['1,500 엔', 1500, 'JPY'],
    ['１５００엔', 1500, 'JPY'],
    ['₫50,000', 50_000, 'VND'],
    ['50000 VND', 50_000, 'VND'],
  ])('%j → %i %s', (input, amount, currency) => {
    expect(parseAmount(input)).toEqual({ ok: true, amount, currency });
  });

  it('uses the default currency only when the input names none', () => {
    expect(parseAmount('12.50', 'USD')).toEqual({ ok: true, amount: 1250, currency: 'USD' });
    expect(parseAmount('15000', 'KRW')).toEqual({ ok: true, amount: 15_000, currency: 'KRW' });
    expect(parseAmount('1500円', 'USD')).toEqual({ ok: true, amount: 1500, currency: 'JPY' });
    expect(parseAmount('€5', 'KRW')).toEqual({ ok: true, amount: 500, currency: 'EUR' });
  });

  it('accepts exactly the maximum of every currency', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      const max = maxAmount(currency);
      const decimals = currencyDecimals(currency);
      const text = decimals === 0 ? String(max) : `${Math.floor(max / 100)}.${String(max % 100).padStart(2, '0')}`;
      expect(parseAmount(`${text} ${currency}`), currency).toEqual({ ok: true, amount: max, currency });
    }
  });

  it('accepts input exactly at the length cap', () => {
    const atCap = '0'.repeat(AMOUNT_INPUT_MAX - 4) + '1500';
    expect(parseAmount(atCap)).toEqual({ ok: true, amount: 1500, currency: 'JPY' });
  });
});

describe('parseAmount refuses', () => {
  it.each<[input: string, reason: AmountError]>([
    // nothing there
    ['', 'empty'],
    ['   ', 'empty'],
    ['\u3000', 'empty'],
    ['\u200B\uFEFF\u2060', 'empty'],
    // too long to be an amount
    ['1'.repeat(10_000), 'too_long'],
    ['1'.repeat(AMOUNT_INPUT_MAX + 1), 'too_long'],
    ['1500 '.repeat(2_000), 'too_long'],
    // not a number at all
    ['💴', 'not_a_number'],
    ['👍👍', 'not_a_number'],
    ['💴1500', 'not_a_number'],
    ['abc', 'not_a_number'],
    ['USD', 'not_a_number'],
    ['円', 'not_a_number'],
    ['엔', 'not_a_number'],
    ['천오백엔', 'not_a_number'],
    ['$', 'not_a_number'],
    ['15OO', 'not_a_number'],
    ['1５OO', 'not_a_number'],
    ['一五〇〇', 'not_a_number'],
    ['千五百円', 'not_a_number'],
    ['١٥٠٠', 'not_a_number'],
    ['1 500', 'not_a_number'],
    ['1.2.3', 'not_a_number'],
    ['1500.', 'not_a_number'],
    ['.50 USD', 'not_a_number'],
    ['+1500', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['0x10', 'not_a_number'],
    ['Infinity', 'not_a_number'],
    ['NaN', 'not_a_number'],
    ['1500 usdollars', 'not_a_number'],
    ['1500 US', 'not_a_number'],
    ['--1500', 'not_a_number'],
    ['1500-', 'not_a_number'],
    ['USD $12.50', 'not_a_number'],
    // bad thousands grouping
    ['1,50', 'bad_grouping'],
    ['15,00', 'bad_grouping'],
    ['1,5000', 'bad_grouping'],
    ['1500,', 'bad_grouping'],
    ['1,,500', 'bad_grouping'],
    ['12,50 EUR', 'bad_grouping'],
    ['1,500,00', 'bad_grouping'],
    // negative or zero
    ['-1500', 'not_positive'],
    ['−1500', 'not_positive'],
    ['－１５００', 'not_positive'],
    ['-¥1500', 'not_positive'],
    ['¥-1500', 'not_positive'],
    ['$-12.50', 'not_positive'],
    ['-99999999999999999999', 'not_positive'],
    ['0', 'not_positive'],
    ['000', 'not_positive'],
    ['0円', 'not_positive'],
    ['$0.00', 'not_positive'],
    ['0.0 USD', 'not_positive'],
    // decimals the currency does not have
    ['1500.5', 'too_many_decimals'],
    ['1500.0', 'too_many_decimals'],
    ['¥12.50', 'too_many_decimals'],
    ['12.50円', 'too_many_decimals'],
    ['₩1500.5', 'too_many_decimals'],
    ['1.500', 'too_many_decimals'],
    ['$1.234', 'too_many_decimals'],
    ['1.999 EUR', 'too_many_decimals'],
    ['$0.001', 'too_many_decimals'],
    // beyond the currency's maximum
    ['99999999999999999999', 'too_large'],
    ['100000000', 'too_large'],
    ['100,000,000円', 'too_large'],
    ['$1,000,000', 'too_large'],
    ['1000000.00 USD', 'too_large'],
    ['1000000000 KRW', 'too_large'],
    ['9'.repeat(60), 'too_large'],
    // currencies
    ['1500 XYZ', 'unknown_currency'],
    ['XYZ 1500', 'unknown_currency'],
    ['1500 BTC', 'unknown_currency'],
    ['$1500円', 'conflicting_currency'],
    ['¥1500 USD', 'conflicting_currency'],
    ['USD 12.50 EUR', 'conflicting_currency'],
    ['₩1500円', 'conflicting_currency'],
    ['₩1500엔', 'conflicting_currency'],
    ['¥1500원', 'conflicting_currency'],
  ])('%j → %s', (input, reason) => {
    expect(parseAmount(input)).toEqual({ ok: false, reason });
  });

  it('refuses decimals for zero-decimal currencies whatever the default', () => {
    expect(parseAmount('12.50', 'JPY')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseAmount('12.50', 'KRW')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseAmount('12.50', 'VND')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseAmount('12.50 JPY', 'USD')).toEqual({ ok: false, reason: 'too_many_decimals' });
  });

  it('refuses one past the maximum of every currency', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      const overMax = maxAmount(currency) + 1;
      const decimals = currencyDecimals(currency);
      const text = decimals === 0 ? String(overMax) : `${Math.floor(overMax / 100)}.${String(overMax % 100).padStart(2, '0')}`;
      expect(parseAmount(`${text} ${currency}`), currency).toEqual({ ok: false, reason: 'too_large' });
    }
  });
});

describe('parseAmount properties', () => {
  const currencyArb = fc.constantFrom(...SUPPORTED_CURRENCIES);
  const currencyAndAmountArb = currencyArb.chain((currency) => fc.record({ currency: fc.constant(currency), amount: fc.integer({ min: 1, max: maxAmount(currency) }) }));

  it('reads plain, comma-grouped and full-width yen digits back to the same amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: maxAmount('JPY') }), (amount) => {
        const digits = String(amount);
        const expected = { ok: true, amount, currency: 'JPY' };
        expect(parseAmount(digits)).toEqual(expected);
        expect(parseAmount(withThousandsCommas(digits))).toEqual(expected);
        expect(parseAmount(toFullWidthDigits(digits))).toEqual(expected);
        expect(parseAmount(toFullWidthDigits(withThousandsCommas(digits)))).toEqual(expected);
      }),
    );
  });

  it('reads every currency in every written form back to the same amount', () => {
    fc.assert(
      fc.property(currencyAndAmountArb, ({ currency, amount }) => {
        const decimals = currencyDecimals(currency);
        const integerDigits = decimals === 0 ? String(amount) : String(Math.floor(amount / 100));
        const fractionSuffix = decimals === 0 ? '' : '.' + String(amount % 100).padStart(2, '0');
        const expected = { ok: true, amount, currency };
        for (const numberText of [integerDigits + fractionSuffix, withThousandsCommas(integerDigits) + fractionSuffix]) {
          expect(parseAmount(`${numberText} ${currency}`)).toEqual(expected);
          expect(parseAmount(`${currency} ${numberText}`)).toEqual(expected);
          expect(parseAmount(toFullWidthDigits(numberText), currency)).toEqual(expected);
        }
      }),
    );
  });

  it('reads (n/100).toFixed(2) + " USD" back to n for two-decimal currencies', () => {
    const twoDecimalCurrencies = SUPPORTED_CURRENCIES.filter((currency) => currencyDecimals(currency) === 2);
    fc.assert(
      fc.property(
        fc.constantFrom(...twoDecimalCurrencies).chain((currency) => fc.record({ currency: fc.constant(currency), amount: fc.integer({ min: 1, max: maxAmount(currency) }) })),
        ({ currency, amount }) => {
          expect(parseAmount(`${(amount / 100).toFixed(2)} ${currency}`)).toEqual({ ok: true, amount, currency });
        },
      ),
    );
  });

  it('never throws and only ever returns a positive integer within the maximum', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme-composite' }), currencyArb, (input, defaultCurrency) => {
        const result = parseAmount(input, defaultCurrency);
        if (result.ok) {
          expect(Number.isSafeInteger(result.amount)).toBe(true);
          expect(result.amount).toBeGreaterThan(0);
          expect(result.amount).toBeLessThanOrEqual(maxAmount(result.currency));
        }
      }),
    );
  });

  it('never throws on strings made of amount-like characters', () => {
    const amountCharArb = fc.constantFrom(...'0123456789,.-−$¥￥€£₩円원 USDJPYusd１２\u200B'.split(''));
    fc.assert(
      fc.property(fc.array(amountCharArb, { maxLength: 30 }), currencyArb, (chars, defaultCurrency) => {
        const result = parseAmount(chars.join(''), defaultCurrency);
        if (result.ok) {
          expect(Number.isInteger(result.amount)).toBe(true);
          expect(result.amount).toBeGreaterThan(0);
          expect(result.amount).toBeLessThanOrEqual(maxAmount(result.currency));
        }
      }),
    );
  });
});
