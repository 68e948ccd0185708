/** Currencies a payment link can be priced in (ISO 4217 codes KOMOJU accepts). */
export const SUPPORTED_CURRENCIES = ['JPY', 'KRW', 'VND', 'USD', 'EUR', 'GBP', 'TWD', 'HKD', 'SGD', 'AUD', 'CAD', 'CHF', 'CNY', 'THB'] as const;

export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

interface CurrencyRule {
  /** Digits after the decimal point; the smallest unit is 10^-decimals of the major unit. */
  decimals: 0 | 2;
  /** Largest accepted link amount, in the smallest unit. */
  maxAmount: number;
}

/*
 * Maximums are a sanity cap against typos and overflow, not KOMOJU's per-method limits (those
 * are unconfirmed; the provider's own error reaches the buyer). Each is an all-nines number worth
 * roughly US$0.7M–1.4M where the currency allows it, and never more than 999,999,999 so that it
 * stays well below 2^31-1 (int32 columns, KOMOJU's integer amount). VND hits that ceiling early
 * (≈ US$40k).
 */
const CURRENCY_RULES: Readonly<Record<Currency, CurrencyRule>> = {
  JPY: { decimals: 0, maxAmount: 99_999_999 }, // ¥99,999,999
  KRW: { decimals: 0, maxAmount: 999_999_999 }, // ₩999,999,999
  VND: { decimals: 0, maxAmount: 999_999_999 }, // ₫999,999,999
  USD: { decimals: 2, maxAmount: 99_999_999 }, // $999,999.99
  EUR: { decimals: 2, maxAmount: 99_999_999 },
  GBP: { decimals: 2, maxAmount: 99_999_999 },
  CHF: { decimals: 2, maxAmount: 99_999_999 },
  CAD: { decimals: 2, maxAmount: 99_999_999 },
  AUD: { decimals: 2, maxAmount: 99_999_999 },
  SGD: { decimals: 2, maxAmount: 99_999_999 },
  HKD: { decimals: 2, maxAmount: 999_999_999 }, // HK$9,999,999.99
  CNY: { decimals: 2, maxAmount: 999_999_999 },
  TWD: { decimals: 2, maxAmount: 999_999_999 },
  THB: { decimals: 2, maxAmount: 999_999_999 },
};

export function isSupportedCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCY_RULES, code);
}

export function currencyDecimals(currency: Currency): 0 | 2 {
  return CURRENCY_RULES[currency].decimals;
}

export function maxAmount(currency: Currency): number {
  return CURRENCY_RULES[currency].maxAmount;
}

/**
 * The least a checkout may charge, in the smallest unit: one unit, what a link's price may be.
 * KOMOJU's own per-method minimums are unconfirmed; its error reaches the buyer as for any refusal.
 */
export function minAmount(_currency: Currency): number {
  return 1;
}
