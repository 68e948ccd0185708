// Pay on a usage-limited link is decided in the database under the link's lock, by one bound on
// the places taken (payments/link-offer.ts, maxPlacesTaken). The bound must let in exactly the
// orders the offer rule, which the page renders from, lets in: at every count, and so at the last
// place.
import { describe, expect, it } from 'vitest';
import { maxPlacesTaken } from '../../../src/payments/link-offer.js';
import { NO_LIVE_STATE, offerFor, offerTermsOf } from '../../../src/links/offer-rule.js';

const NOW = new Date('2026-12-07T17:00:00.000Z');

function link(fields: { usageLimit: number; quantityMin: number; quantityMax: number; billingInterval?: string | null; expiresAt?: Date | null; status?: string }) {
  return {
    status: 'active',
    expiresAt: null,
    billingInterval: null,
    priceMode: 'fixed',
    amount: 1000,
    amountMin: null,
    amountMax: null,
    amountPresets: null,
    tipOptions: null,
    ...fields,
  };
}

describe('maxPlacesTaken: the checkout admits what the page offers', () => {
  it('agrees with offerFor for every split of captured and held places, quantity and set size', () => {
    let compared = 0;
    for (const usageLimit of [1, 2, 3, 5, 20]) {
      for (const quantityMin of [1, 2, 3]) {
        for (const quantityMax of [quantityMin, quantityMin + 2]) {
          for (const billingInterval of [null, 'month']) {
            const terms = link({ usageLimit, quantityMin, quantityMax, billingInterval });
            for (let quantity = 1; quantity <= quantityMax + 1; quantity++) {
              const bound = maxPlacesTaken(terms, quantity, NOW);
              for (let captured = 0; captured <= usageLimit + 1; captured++) {
                for (let held = 0; held <= usageLimit + 1; held++) {
                  for (const awaiting of [0, 1]) {
                    const offer = offerFor(offerTermsOf(terms), { ...NO_LIVE_STATE, captured, heldByCheckouts: held, heldByAwaiting: awaiting }, NOW);
                    const page = offer.open && quantity <= offer.quantity.max;
                    expect({ usageLimit, quantityMin, quantityMax, billingInterval, quantity, captured, held, awaiting, admits: bound !== null && captured + held + awaiting <= bound }).toEqual({
                      usageLimit,
                      quantityMin,
                      quantityMax,
                      billingInterval,
                      quantity,
                      captured,
                      held,
                      awaiting,
                      admits: page,
                    });
                    compared++;
                  }
                }
              }
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('takes the last place, and not one more', () => {
    const terms = link({ usageLimit: 20, quantityMin: 1, quantityMax: 1 });
    expect(maxPlacesTaken(terms, 1, NOW)).toBe(19);
    expect(maxPlacesTaken(link({ usageLimit: 20, quantityMin: 1, quantityMax: 5 }), 3, NOW)).toBe(17);
  });

  it('admits nothing on a closed link', () => {
    expect(maxPlacesTaken(link({ usageLimit: 5, quantityMin: 1, quantityMax: 1, status: 'inactive' }), 1, NOW)).toBeNull();
    expect(maxPlacesTaken(link({ usageLimit: 5, quantityMin: 1, quantityMax: 1, expiresAt: NOW }), 1, NOW)).toBeNull();
    expect(maxPlacesTaken(link({ usageLimit: 2, quantityMin: 3, quantityMax: 3 }), 3, NOW)).toBeNull();
  });
});
