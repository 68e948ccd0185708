import { describe, expect, it } from 'vitest';
import { closedByCapture, NO_LIVE_STATE, offerFor, type LinkLiveState, type OfferTerms } from '../../../src/links/offer-rule.js';

const NOW = new Date('2026-11-28T03:00:00.000Z');

const terms: OfferTerms = { status: 'active', expiresAt: null, usageLimit: null, quantityMin: 1, quantityMax: 1, price: { mode: 'fixed', amount: 1000 }, tips: null, subscription: false };

function reasonOf(fields: Partial<OfferTerms>, state: Partial<LinkLiveState>): string {
  const offer = offerFor({ ...terms, ...fields }, { ...NO_LIVE_STATE, ...state }, NOW);
  return offer.open ? 'open' : offer.reason;
}

describe('offerFor: open or why closed', () => {
  it.each([
    [{}, {}, 'open'],
    [{}, { heldByCheckouts: 50 }, 'open'],
    [{ status: 'inactive' }, {}, 'inactive'],
    [{ status: 'inactive', expiresAt: new Date('2020-01-01T00:00:00Z'), usageLimit: 1 }, { captured: 5 }, 'inactive'],
    [{ expiresAt: new Date(NOW.getTime()) }, {}, 'expired'],
    [{ expiresAt: NOW.toISOString() }, {}, 'expired'],
    [{ expiresAt: new Date(NOW.getTime() + 1) }, {}, 'open'],
    [{ expiresAt: new Date(NOW.getTime() - 1), usageLimit: 1 }, { captured: 1 }, 'expired'],
    [{ usageLimit: 3 }, { captured: 3 }, 'used_up'],
    [{ usageLimit: 3 }, { captured: 4 }, 'used_up'],
    [{ usageLimit: 3 }, { captured: 3, heldByCheckouts: 2 }, 'used_up'],
    [{ usageLimit: 3 }, { captured: 2 }, 'open'],
    [{ usageLimit: 3 }, { captured: 2, heldByCheckouts: 1 }, 'reserved'],
    [{ usageLimit: 3 }, { captured: 2, heldByAwaiting: 1 }, 'reserved'],
    [{ usageLimit: 3 }, { heldByCheckouts: 3 }, 'reserved'],
    [{ usageLimit: 3 }, { captured: 1, heldByCheckouts: 1 }, 'open'],
    [{ usageLimit: 10, quantityMin: 3, quantityMax: 3 }, { captured: 9 }, 'too_few_left'],
    [{ usageLimit: 10, quantityMin: 3, quantityMax: 3 }, { captured: 6, heldByCheckouts: 2 }, 'reserved'],
    [{ usageLimit: 10, quantityMin: 3, quantityMax: 3 }, { captured: 6, heldByCheckouts: 1 }, 'open'],
  ] as const)('%j with %j → %s', (fields, state, expected) => {
    expect(reasonOf(fields, state)).toBe(expected);
  });
});

describe('offerFor: what may be chosen', () => {
  it('offers only the places left: the last place of a 1–5 link is quantity 1, no choice', () => {
    const offer = offerFor({ ...terms, usageLimit: 3, quantityMax: 5 }, { ...NO_LIVE_STATE, captured: 2 }, NOW);
    expect(offer).toMatchObject({ open: true, quantity: { min: 1, max: 1 }, quantityMax: 5, placesLeft: 1 });
  });
  it('says when a held place may come back and whether payments at a store hold it', () => {
    const freesAt = new Date(NOW.getTime() + 3 * 86_400_000);
    expect(offerFor({ ...terms, usageLimit: 1 }, { ...NO_LIVE_STATE, heldByAwaiting: 1, nextFreeAt: freesAt }, NOW)).toEqual({ open: false, reason: 'reserved', freesAt, byAwaiting: true });
  });
  it('a subscription is one unit at its fixed price, with no tip or code', () => {
    const offer = offerFor({ ...terms, quantityMin: 2, quantityMax: 4, tips: { kind: 'percent', values: [10] }, subscription: true }, { ...NO_LIVE_STATE, codeOffered: true }, NOW);
    expect(offer).toMatchObject({ open: true, quantity: { min: 1, max: 1 }, tips: null, code: false });
  });
});

describe('closedByCapture: the "usage limit reached" news', () => {
  it('is the capture that used the last place, once', () => {
    const limited = { ...terms, usageLimit: 3 };
    expect(closedByCapture(limited, 1, 2)).toBe(false);
    expect(closedByCapture(limited, 2, 3)).toBe(true);
    expect(closedByCapture(limited, 3, 4)).toBe(false);
    expect(closedByCapture(terms, 0, 100)).toBe(false);
  });
  it('is also the capture after which too few places are left for a fixed set', () => {
    const sets = { ...terms, usageLimit: 10, quantityMin: 3, quantityMax: 3 };
    expect(closedByCapture(sets, 6, 9)).toBe(true);
    expect(closedByCapture(sets, 3, 6)).toBe(false);
  });
});
