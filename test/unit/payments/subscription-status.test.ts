import { describe, expect, it } from 'vitest';
import { nextSubscriptionStatus } from '../../../src/payments/subscriptions/subscription-status.js';

describe('a subscription status from the provider’s word', () => {
  it.each([
    ['creating', 'active', 'active'],
    ['creating', 'retrying', 'active'],
    ['active', 'suspended', 'failed'],
    ['active', 'deleted', 'cancelled'],
    ['active', 'cancelled', 'cancelled'],
    ['failed', 'active', 'active'],
    ['active', 'retrying', 'active'],
    ['failed', 'retrying', 'failed'],
    ['cancelling', 'active', 'cancelling'],
    ['cancelling', 'cancelled', 'cancelled'],
    // Cancelled is final: a late event cannot bring it back.
    ['cancelled', 'active', 'cancelled'],
    ['cancelled', 'suspended', 'cancelled'],
  ])('%s + %s → %s', (current, provider, expected) => {
    expect(nextSubscriptionStatus(current, provider)).toBe(expected);
  });
});
