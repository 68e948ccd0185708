import { describe, expect, it } from 'vitest';
import { parseQuantityRange, quantityRangeProblem, readBuyerQuantity } from '../../../src/links/quantity.js';

describe('a link quantity as the merchant types it', () => {
  it.each([
    ['1-5', { min: 1, max: 5 }],
    ['１〜５', { min: 1, max: 5 }],
    ['2 to 10', { min: 2, max: 10 }],
    ['1から3まで', { min: 1, max: 3 }],
    ['1부터 3까지', { min: 1, max: 3 }],
    ['3個', { min: 3, max: 3 }],
    ['1', { min: 1, max: 1 }],
  ])('%j → %j', (typed, range) => {
    expect(parseQuantityRange(typed)).toEqual({ ok: true, range });
  });

  it.each([
    ['many', 'not_a_range'],
    ['0-3', 'out_of_range'],
    ['1-100', 'out_of_range'],
    ['5-2', 'min_above_max'],
  ])('refuses %j (%s)', (typed, reason) => {
    expect(parseQuantityRange(typed)).toEqual({ ok: false, reason });
  });

  it('fits the range to the usage limit and the currency maximum', () => {
    expect(quantityRangeProblem({ min: 4, max: 5 }, { usageLimit: 3 })).toBe('over_usage_limit');
    expect(quantityRangeProblem({ min: 1, max: 5 }, { usageLimit: 3 })).toBeNull();
    expect(quantityRangeProblem({ min: 1, max: 2 }, { amount: 60_000_000, currency: 'JPY' })).toBe('total_too_large');
  });
});

describe('the quantity a buyer posts', () => {
  const range = { min: 1, max: 3 };
  it('reads an adjustable link’s field, full-width digits too', () => {
    expect(readBuyerQuantity('2', range, 3)).toEqual({ ok: true, quantity: 2 });
    expect(readBuyerQuantity('３', range, 3)).toEqual({ ok: true, quantity: 3 });
  });
  it.each([
    ['', 'not_a_number'],
    ['1.5', 'not_a_number'],
    [['2', '3'], 'not_a_number'],
    ['0', 'below_min'],
    ['4', 'above_max'],
  ])('refuses %j (%s)', (raw, reason) => {
    expect(readBuyerQuantity(raw, range, 3)).toEqual({ ok: false, reason });
  });
  it('respects the places a usage limit leaves', () => {
    expect(readBuyerQuantity('3', { min: 1, max: 2 }, 3)).toEqual({ ok: false, reason: 'not_enough_left' });
    expect(readBuyerQuantity('4', { min: 1, max: 2 }, 3)).toEqual({ ok: false, reason: 'above_max' });
  });
  it('ignores the field on a fixed link', () => {
    expect(readBuyerQuantity('50', { min: 1, max: 1 }, 1)).toEqual({ ok: true, quantity: 1 });
  });
  it('reads an absent field as the only quantity left, and checks one posted from an older page', () => {
    expect(readBuyerQuantity(undefined, { min: 1, max: 1 }, 5)).toEqual({ ok: true, quantity: 1 });
    expect(readBuyerQuantity('', { min: 1, max: 1 }, 5)).toEqual({ ok: true, quantity: 1 });
    expect(readBuyerQuantity('1', { min: 1, max: 1 }, 5)).toEqual({ ok: true, quantity: 1 });
    expect(readBuyerQuantity('2', { min: 1, max: 1 }, 5)).toEqual({ ok: false, reason: 'not_enough_left' });
  });
});
