// A link's billing: one-time payments (null), or a subscription billed every week, month or year
// through the provider's subscriptions. A subscription link is card only (KOMOJU bills a saved
// card; its customer-mode sessions also take PayPay, which this product does not offer for
// subscriptions) and sells exactly one unit per subscription. Pure.
import { z } from 'zod';
import { normalizeText } from '../conversation/normalize.js';
import type { PaymentType } from './payment-types.js';

export const BILLING_INTERVALS = ['week', 'month', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export const billingIntervalSchema = z.enum(BILLING_INTERVALS).nullable();

/** KOMOJU's `period` for each interval (Subscription: Create documents weekly, monthly, yearly). */
export const PROVIDER_PERIOD = { week: 'weekly', month: 'monthly', year: 'yearly' } as const satisfies Record<BillingInterval, string>;

/** The only payment type a subscription link offers. */
export const SUBSCRIPTION_PAYMENT_TYPES: PaymentType[] = ['credit_card'];

/** A stored value as this code reads it; anything unreadable is a one-time link. */
export function readBillingInterval(stored: unknown): BillingInterval | null {
  const parsed = billingIntervalSchema.safeParse(stored ?? null);
  return parsed.success ? parsed.data : null;
}

/**
 * What a subscription link's other fields must be: card only, one unit per subscription. A
 * one-time link keeps what it was given.
 */
export function subscriptionRules<T extends { paymentTypes: PaymentType[]; quantityMin: number; quantityMax: number }>(interval: BillingInterval | null, fields: T): T {
  if (interval === null) return fields;
  return { ...fields, paymentTypes: SUBSCRIPTION_PAYMENT_TYPES, quantityMin: 1, quantityMax: 1 };
}

const BILLING_WORDS: Record<BillingInterval | 'once', readonly string[]> = {
  once: [
    'once',
    'one-time',
    'onetime',
    'one time',
    'single',
    '1回',
    '一回',
    '都度',
    '1回払い',
    '一括',
    '単発',
    '通常購入',
    '通常',
    '한 번',
    '한번',
    '한 번 결제',
    '일반 결제',
    '일반결제',
    '일반',
    '일회',
    '1회',
    '단건',
  ],
  week: ['week', 'weekly', 'every week', '毎週', '週', '週1', '매주', '주', '주간'],
  month: ['month', 'monthly', 'every month', '毎月', '月', '月額', '月1', '매월', '매달', '월', '월간'],
  year: ['year', 'yearly', 'annual', 'annually', 'every year', '毎年', '年', '年額', '年1', '매년', '년', '연간'],
};

/** "monthly", "毎月", "매월", "once", … → the interval (null: one-time); undefined when unknown. */
export function parseBillingInterval(input: string): BillingInterval | null | undefined {
  const word = normalizeText(input).toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [interval, words] of Object.entries(BILLING_WORDS) as [BillingInterval | 'once', readonly string[]][]) {
    if (words.some((candidate) => normalizeText(candidate).toLowerCase() === word)) return interval === 'once' ? null : interval;
  }
  return undefined;
}
