// The rules of money for one checkout (README, Buyers and payments): subtotal = unit × quantity,
// the code's discount on the subtotal (percentages rounded down; never below the minimum), the tip
// on the discounted subtotal, added last; the total within the currency's maximum.
import { describe, expect, it } from 'vitest';
import { checkoutAmount } from '../../../src/payments/checkout-amount.js';
import { codeKey, checkCodeText, discountOn, parseDiscountOff } from '../../../src/discounts/discount-rule.js';

describe('checkout amount', () => {
  it('takes 10 % off ¥3,000: ¥2,700', () => {
    expect(checkoutAmount({ unitAmount: 3000, quantity: 1, currency: 'JPY', discount: { kind: 'percent', percent: 10 } })).toEqual({
      ok: true,
      amount: { subtotal: 3000, discount: 300, tip: 0, total: 2700 },
    });
  });

  it('rounds a percentage down to the smallest unit, in yen and in cents', () => {
    expect(discountOn(999, 'JPY', { kind: 'percent', percent: 15 })).toBe(149);
    expect(discountOn(1999, 'USD', { kind: 'percent', percent: 15 })).toBe(299);
  });

  it('computes the tip on the discounted subtotal, and adds it last', () => {
    const result = checkoutAmount({
      unitAmount: 1000,
      quantity: 3,
      currency: 'JPY',
      discount: { kind: 'amount', amount: 500, currency: 'JPY' },
      tips: { kind: 'percent', values: [10, 15] },
      tipValue: 15,
    });
    expect(result).toEqual({ ok: true, amount: { subtotal: 3000, discount: 500, tip: 375, total: 2875 } });
    const fixedTip = checkoutAmount({ unitAmount: 1000, quantity: 1, currency: 'JPY', tips: { kind: 'amount', values: [200] }, tipValue: 200 });
    expect(fixedTip).toEqual({ ok: true, amount: { subtotal: 1000, discount: 0, tip: 200, total: 1200 } });
  });

  it('refuses a code that would leave less than the minimum, and one in another currency', () => {
    expect(checkoutAmount({ unitAmount: 500, quantity: 1, currency: 'JPY', discount: { kind: 'amount', amount: 500, currency: 'JPY' } })).toEqual({ ok: false, reason: 'discount_too_large' });
    expect(checkoutAmount({ unitAmount: 500, quantity: 1, currency: 'JPY', discount: { kind: 'amount', amount: 499, currency: 'JPY' } })).toMatchObject({ ok: true, amount: { total: 1 } });
    expect(checkoutAmount({ unitAmount: 500, quantity: 1, currency: 'JPY', discount: { kind: 'amount', amount: 1, currency: 'USD' } })).toEqual({ ok: false, reason: 'discount_other_currency' });
  });

  it('refuses a total over the currency maximum', () => {
    expect(checkoutAmount({ unitAmount: 99_999_999, quantity: 1, currency: 'JPY', tips: { kind: 'amount', values: [1] }, tipValue: 1 })).toEqual({ ok: false, reason: 'too_large' });
  });
});

describe('discount codes as typed', () => {
  it('folds case, width and spaces into one key', () => {
    expect(codeKey('ｓｐｒｉｎｇ１０')).toBe('SPRING10');
    expect(codeKey(' spring 10 ')).toBe('SPRING10');
    expect(checkCodeText('Spring-10')).toEqual({ ok: true, code: 'Spring-10', key: 'SPRING-10' });
    expect(checkCodeText('春セール')).toEqual({ ok: false, reason: 'bad_characters' });
    expect(checkCodeText('ab')).toEqual({ ok: false, reason: 'too_short' });
  });

  it('reads what a code takes off', () => {
    expect(parseDiscountOff('10%')).toEqual({ ok: true, off: { kind: 'percent', percent: 10 } });
    expect(parseDiscountOff('１０％オフ')).toEqual({ ok: true, off: { kind: 'percent', percent: 10 } });
    expect(parseDiscountOff('¥500')).toEqual({ ok: true, off: { kind: 'amount', amount: 500, currency: 'JPY' } });
    expect(parseDiscountOff('5 USD')).toEqual({ ok: true, off: { kind: 'amount', amount: 500, currency: 'USD' } });
    expect(parseDiscountOff('100%')).toEqual({ ok: false, reason: 'percent_out_of_range' });
    expect(parseDiscountOff('lots')).toEqual({ ok: false, reason: 'not_an_offer' });
  });
});
