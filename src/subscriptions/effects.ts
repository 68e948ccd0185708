// What the subscriptions capability (a shop's owner stopping a buyer's subscription from the chat)
// asks the outer layer to do, and what comes back. Types only: perform-effects.ts does the work.
import type { BillingInterval } from '../links/billing.js';

/** One buyer's subscription as the chat shows it (plain JSON; times are ISO 8601). */
export interface SubscriptionView {
  id: string;
  linkId: string;
  productName: string;
  /** Per period, in the currency's smallest unit. */
  amount: number;
  currency: string;
  interval: BillingInterval;
  status: string;
  startedAt: string;
  /** Captured payments so far (the first one and each renewal). */
  payments: number;
  nextPaymentAt: string | null;
  /** Who subscribed, as far as the page asked (name, else email); null when unknown. */
  buyer: string | null;
  testMode: boolean;
}

export type SubscriptionRefusal = { reason: 'notFound' | 'notMember' | 'notOwner' | 'busy' } | { reason: 'provider'; message: string };

/*
 * Every effect names the merchant the owner acted for and is re-authorised when performed (still
 * the owner there, and the subscription is one of that merchant's links').
 */
export type SubscriptionEffect =
  | { type: 'subscriptions.list'; merchantId: string; linkId: string }
  | { type: 'subscriptions.load'; merchantId: string; subscriptionId: string }
  | { type: 'subscriptions.cancel'; merchantId: string; subscriptionId: string; dialogId: string };

export type SubscriptionEffectResult =
  | { type: 'subscriptions.listed'; linkId: string; productName: string; subscriptions: SubscriptionView[] }
  | { type: 'subscriptions.loaded'; subscription: SubscriptionView }
  | { type: 'subscriptions.cancelled'; subscription: SubscriptionView; already: boolean }
  | ({ type: 'subscriptions.refused' } & SubscriptionRefusal);

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    subscriptions: { effect: SubscriptionEffect; result: SubscriptionEffectResult };
  }
}
