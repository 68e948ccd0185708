// A link's billing: one-time payments (null), or a subscription billed every week, month or year
// through the provider's subscriptions. A subscription link is card only (KOMOJU bills a saved
// card; its customer-mode sessions also take PayPay, which this product does not offer for
// subscriptions) and sells exactly one unit per subscription. Pure.
import { z } from 'zod';
import type { PaymentType } from './payment-types.js';

export const BILLING_INTERVALS = ['week', 'month', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export const billingIntervalSchema = z.enum(BILLING_INTERVALS).nullable();

/** KOMOJU's `period` for each interval (Subscription: Create documents weekly, monthly, yearly). */
export const PROVIDER_PERIOD = { week: 'weekly', month: 'monthly', year: 'yearly' } as const satisfies Record<BillingInterval, string>;
export type ProviderPeriod = (typeof PROVIDER_PERIOD)[BillingInterval];

/** The only payment type a subscription link offers. */
export const SUBSCRIPTION_PAYMENT_TYPES: PaymentType[] = ['credit_card'];

/** A stored value as this code reads it; anything unreadable is a one-time link. */
export function readBillingInterval(stored: unknown): BillingInterval | null {
  const parsed = billingIntervalSchema.safeParse(stored ?? null);
  return parsed.success ? parsed.data : null;
}

export function intervalOfPeriod(period: string): BillingInterval | null {
  const found = BILLING_INTERVALS.find((interval) => PROVIDER_PERIOD[interval] === period);
  return found ?? null;
}

/**
 * What a subscription link's other fields must be: card only, one unit per subscription. A
 * one-time link keeps what it was given.
 */
export function subscriptionRules<T extends { paymentTypes: PaymentType[]; quantityMin: number; quantityMax: number }>(
  interval: BillingInterval | null,
  fields: T,
): T {
  if (interval === null) return fields;
  return { ...fields, paymentTypes: SUBSCRIPTION_PAYMENT_TYPES, quantityMin: 1, quantityMax: 1 };
}
