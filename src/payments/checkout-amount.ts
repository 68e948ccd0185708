// The rules of money for one checkout, in the link's currency and its smallest unit. Pure.
//   subtotal = unit × quantity, where unit is the link's fixed price or the amount the buyer chose;
//   discount = what the code takes off the subtotal (a percentage rounded down to the smallest unit,
//              or a fixed amount); a code that would leave less than the currency's minimum
//              (minAmount) is REFUSED, not clamped: the buyer is told, and pays full price or
//              without the code;
//   tip      = a percentage of the discounted subtotal (rounded down) or a fixed amount, added last;
//   total    = subtotal − discount + tip: the session amount, at most the currency's maximum.
import { maxAmount, minAmount, type Currency } from '../i18n/currency.js';
import { discountOn, type DiscountOff } from '../discounts/discount-rule.js';
import { tipOn, type TipOptions } from '../links/link-price.js';

export interface CheckoutAmountInput {
  unitAmount: number;
  quantity: number;
  currency: Currency;
  discount?: DiscountOff | null;
  tips?: TipOptions | null;
  /** One of tips.values (links/link-price.ts readBuyerTip); null: no tip. */
  tipValue?: number | null;
}

export interface CheckoutAmount {
  subtotal: number;
  discount: number;
  tip: number;
  total: number;
}

export type CheckoutAmountError =
  /** The code takes the subtotal below the currency's minimum. */
  | 'discount_too_large'
  /** A fixed-amount code in another currency than the link's. */
  | 'discount_other_currency'
  /** Over the currency's maximum (a big buyer-chosen amount × quantity + tip). */
  | 'too_large';

export function checkoutAmount(input: CheckoutAmountInput): { ok: true; amount: CheckoutAmount } | { ok: false; reason: CheckoutAmountError } {
  const subtotal = input.unitAmount * input.quantity;
  let discount = 0;
  if (input.discount) {
    const off = discountOn(subtotal, input.currency, input.discount);
    if (off === null) return { ok: false, reason: 'discount_other_currency' };
    if (subtotal - off < minAmount(input.currency)) return { ok: false, reason: 'discount_too_large' };
    discount = off;
  }
  const discounted = subtotal - discount;
  let tip = 0;
  if (input.tips && input.tipValue !== null && input.tipValue !== undefined) tip = tipOn(discounted, input.tips.kind, input.tipValue);
  const total = discounted + tip;
  if (total > maxAmount(input.currency)) return { ok: false, reason: 'too_large' };
  return { ok: true, amount: { subtotal, discount, tip, total } };
}
