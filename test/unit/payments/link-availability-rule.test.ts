import { describe, expect, it } from 'vitest';
import { availabilityOf } from '../../../src/payments/link-availability-rule.js';

const NOW = new Date('2026-11-28T03:00:00.000Z');

const open = { status: 'active', expiresAt: null, usageLimit: null };

describe('availabilityOf', () => {
  it.each([
    [{}, { captured: 0, inFlight: 0 }, 'open'],
    [{}, { captured: 0, inFlight: 50 }, 'open'],
    [{ status: 'inactive' }, { captured: 0, inFlight: 0 }, 'inactive'],
    [{ status: 'inactive', expiresAt: new Date('2020-01-01T00:00:00Z'), usageLimit: 1 }, { captured: 5, inFlight: 0 }, 'inactive'],
    [{ expiresAt: new Date(NOW.getTime()) }, { captured: 0, inFlight: 0 }, 'expired'],
    [{ expiresAt: NOW.toISOString() }, { captured: 0, inFlight: 0 }, 'expired'],
    [{ expiresAt: new Date(NOW.getTime() + 1) }, { captured: 0, inFlight: 0 }, 'open'],
    [{ expiresAt: new Date(NOW.getTime() - 1), usageLimit: 1 }, { captured: 1, inFlight: 0 }, 'expired'],
    [{ usageLimit: 3 }, { captured: 3, inFlight: 0 }, 'used_up'],
    [{ usageLimit: 3 }, { captured: 4, inFlight: 0 }, 'used_up'],
    [{ usageLimit: 3 }, { captured: 3, inFlight: 2 }, 'used_up'],
    [{ usageLimit: 3 }, { captured: 2, inFlight: 0 }, 'open'],
    [{ usageLimit: 3 }, { captured: 2, inFlight: 1 }, 'reserved'],
    [{ usageLimit: 3 }, { captured: 0, inFlight: 3 }, 'reserved'],
    [{ usageLimit: 3 }, { captured: 1, inFlight: 1 }, 'open'],
  ] as const)('%j with %j → %s', (fields, counts, expected) => {
    expect(availabilityOf({ ...open, ...fields }, counts, NOW)).toBe(expected);
  });
});
