import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAYMENT_STATUSES, laterStatus, ledgerState, wasCaptured } from '../../../src/payments/payment-status.js';

describe('laterStatus', () => {
  it.each([
    ['captured', 'authorized', 'captured'],
    ['captured', 'pending', 'captured'],
    ['authorized', 'captured', 'captured'],
    ['refunded', 'captured', 'refunded'],
    ['captured', 'refunded', 'refunded'],
    ['authorized', 'expired', 'expired'],
    ['pending', 'failed', 'failed'],
    ['failed', 'captured', 'captured'],
    ['captured', 'failed', 'captured'],
  ] as const)('%s + %s → %s', (stored, incoming, expected) => {
    expect(laterStatus(stored, incoming)).toBe(expected);
  });

  it('yields to the incoming status when the stored one is not a known status', () => {
    expect(laterStatus('weird', 'pending')).toBe('pending');
  });

  it('is commutative, associative and idempotent, so any delivery order folds to the same status', () => {
    const status = fc.constantFrom(...PAYMENT_STATUSES);
    fc.assert(
      fc.property(status, status, status, (a, b, c) => {
        expect(laterStatus(a, b)).toBe(laterStatus(b, a));
        expect(laterStatus(laterStatus(a, b), c)).toBe(laterStatus(a, laterStatus(b, c)));
        expect(laterStatus(a, a)).toBe(a);
      }),
    );
  });
});

describe('ledgerState', () => {
  const base = { amount: 1000, refundedAmount: 0, chargeback: false, capturedAt: null };
  it.each([
    [{ ...base, status: 'pending' }, 'awaiting'],
    [{ ...base, status: 'authorized' }, 'awaiting'],
    [{ ...base, status: 'failed' }, 'unsuccessful'],
    [{ ...base, status: 'expired' }, 'unsuccessful'],
    [{ ...base, status: 'captured' }, 'captured'],
    [{ ...base, status: 'captured', refundedAmount: 300 }, 'partially_refunded'],
    [{ ...base, status: 'captured', refundedAmount: 1000 }, 'refunded'],
    [{ ...base, status: 'refunded', refundedAmount: 0 }, 'refunded'],
    [{ ...base, status: 'captured', refundedAmount: 300, chargeback: true }, 'charged_back'],
    [{ ...base, status: 'refunded', refundedAmount: 1000, chargeback: true }, 'charged_back'],
  ] as const)('%o → %s', (payment, expected) => {
    expect(ledgerState(payment)).toBe(expected);
  });

  it('counts a payment with a capture time as captured whatever its status says', () => {
    expect(wasCaptured('authorized', new Date())).toBe(true);
    expect(wasCaptured('authorized', null)).toBe(false);
  });
});
