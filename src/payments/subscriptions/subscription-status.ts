// Our Subscription.status from the provider's word. Pure.
//   creating    claimed by the caller now asking the provider to create it
//   active      the provider bills it every period
//   cancelling  the owner confirmed Cancel and the provider is being asked
//   cancelled   payments stopped (by the owner, an operator, or at the provider) — final
//   failed      the provider stopped it after failed payments (KOMOJU: suspended)
export type SubscriptionStatus = 'creating' | 'active' | 'cancelling' | 'cancelled' | 'failed';

const ENDED = new Set(['cancelled', 'canceled', 'deleted']);
const STOPPED = new Set(['suspended', 'failed']);

/**
 * KOMOJU documents `active` and `cancelled` (komoju-ruby-sdk Subscription.md) and sends
 * `subscription.suspended` / `subscription.deleted` events; other words (e.g. a retry state) keep
 * what we had (a row still `creating` becomes active). A cancelled subscription stays cancelled whatever a late event says.
 */
export function nextSubscriptionStatus(current: string, providerStatus: string): SubscriptionStatus {
  if (current === 'cancelled') return 'cancelled';
  if (ENDED.has(providerStatus)) return 'cancelled';
  if (STOPPED.has(providerStatus)) return 'failed';
  if (providerStatus === 'active') return current === 'cancelling' ? 'cancelling' : 'active';
  // The provider answered with the subscription: it exists, so it is no longer being created.
  return isSubscriptionStatus(current) && current !== 'creating' ? current : 'active';
}

function isSubscriptionStatus(value: string): value is SubscriptionStatus {
  return ['creating', 'active', 'cancelling', 'cancelled', 'failed'].includes(value);
}
