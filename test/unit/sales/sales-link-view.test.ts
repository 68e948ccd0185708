import { describe, expect, it } from 'vitest';
import { linkState, type LinkState } from '../../../src/sales/sales-link-view.js';
import { NOW, salesLink } from './sales-fixtures.js';

// The merchant's list names the link page's availability rule; each case states the answer a
// merchant should read, worked out by hand (NOW is 2026-11-28T03:00:00.000Z).
describe("the state the merchant's link list shows", () => {
  it.each<[string, Parameters<typeof salesLink>[0], LinkState]>([
    ['a fresh link', {}, 'active'],
    ['a deactivated link', { status: 'inactive' }, 'inactive'],
    ['a link expiring exactly now', { expiresAt: '2026-11-28T03:00:00.000Z' }, 'expired'],
    ['a link expiring a millisecond from now', { expiresAt: '2026-11-28T03:00:00.001Z' }, 'active'],
    ['a link whose payments reached its limit', { usageLimit: 2, usedCount: 2 }, 'usedUp'],
    ['a link one payment short of its limit', { usageLimit: 2, usedCount: 1 }, 'active'],
    ['a deactivated link that is also used up (deactivation is named first)', { status: 'inactive', usageLimit: 1, usedCount: 1 }, 'inactive'],
    ['an expired link that is also used up (expiry is named first)', { expiresAt: '2026-11-01T00:00:00.000Z', usageLimit: 1, usedCount: 1 }, 'expired'],
  ])('%s', (_name, overrides, expected) => {
    expect(linkState(salesLink(overrides), NOW)).toBe(expected);
  });
});
