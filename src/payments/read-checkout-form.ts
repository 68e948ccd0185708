// The Pay form (and its Apply / Show total preview), read ONCE against what the offer allows now
// (links/offer-rule.ts): the result is either an order the checkout can start as it stands, or a
// named problem for every field that is not acceptable — never a second, different rule. A field
// the page does not show (a quantity with no choice, a tip the link does not offer) is not read.
import type { SqlQuery } from '../db/sql.js';
import type { DiscountCode } from '../generated/prisma/client.js';
import type { BuyerLink } from '../links/buyer-link.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import { findCodeForLink, type CodeRefusal } from '../discounts/find-code.js';
import { readBuyerDetails, readBuyerFields, type BuyerDetails, type BuyerField, type BuyerFieldError } from '../links/buyer-fields.js';
import { readBuyerAmount, readBuyerTip, type BuyerAmountError } from '../links/link-price.js';
import type { OpenOffer } from '../links/offer-rule.js';
import { readBuyerQuantity, type BuyerQuantityError } from '../links/quantity.js';
import { checkoutAmount, type CheckoutAmount } from './checkout-amount.js';

export type FormProblem =
  | { field: 'quantity'; reason: BuyerQuantityError }
  | { field: 'amount'; reason: BuyerAmountError | 'too_large' }
  | { field: 'tip'; reason: 'not_an_option' }
  | { field: 'code'; reason: CodeRefusal | 'discount_too_large' | 'held' }
  | { field: BuyerField; reason: BuyerFieldError };

/** What one press charges and for what: the checkout starts exactly this. */
export interface CheckoutOrder {
  quantity: number;
  /** The link's price, or the buyer's choice within its range. */
  unitAmount: number;
  /** The buyer's choice on a buyer-chosen link (null: the link's fixed price). */
  chosenAmount: number | null;
  amount: CheckoutAmount;
  code: DiscountCode | null;
  /** The buyer's answers to what the link asks (absent: it asks nothing, or a preview). */
  details?: BuyerDetails;
}

export type ReadCheckoutForm =
  | { ok: true; order: CheckoutOrder }
  /** `priced`: the order as far as it could be priced (the preview's breakdown), when only other fields failed. */
  | { ok: false; problems: FormProblem[]; priced: CheckoutOrder | null };

/**
 * `pay`: the Pay button (the buyer's answers are read too); `preview`: Apply / Show total (prices
 * only). The code is checked for this link now; its cap is decided again under its lock.
 */
export async function readCheckoutForm(db: SqlQuery, link: BuyerLink, offer: OpenOffer, form: Record<string, unknown>, now: Date, purpose: 'pay' | 'preview'): Promise<ReadCheckoutForm> {
  const problems: FormProblem[] = [];
  const quantity = readBuyerQuantity(form.quantity, offer.quantity, offer.quantityMax);
  if (!quantity.ok) problems.push({ field: 'quantity', reason: quantity.reason });

  let unitAmount = offer.price.mode === 'fixed' ? offer.price.amount : offer.price.min;
  let chosenAmount: number | null = null;
  if (!isSupportedCurrency(link.currency)) {
    problems.push({ field: 'amount', reason: 'other_currency' });
  } else if (offer.price.mode === 'buyer') {
    const chosen = readBuyerAmount(form.amountChoice, form.customAmount, offer.price, link.currency);
    if (chosen.ok) [unitAmount, chosenAmount] = [chosen.amount, chosen.amount];
    else problems.push({ field: 'amount', reason: chosen.reason });
  }
  const tip = readBuyerTip(form.tip, offer.tips);
  if (!tip.ok) problems.push({ field: 'tip', reason: tip.reason });

  let code: DiscountCode | null = null;
  let discount = null;
  if (typeof form.code === 'string' && form.code.trim() !== '') {
    // No code field on the page (no live code, a subscription): nothing typed there can apply.
    // Pay leaves the cap to the checkout, which decides it under the code's lock and sends a buyer
    // back to the session that already holds its use (a declined card, pressed again).
    const found = offer.code ? await findCodeForLink(db, link, form.code, now, { cap: purpose === 'preview' }) : ({ ok: false, reason: 'unknown' } as const);
    if (found.ok) [code, discount] = [found.code, found.off];
    else problems.push({ field: 'code', reason: found.reason });
  }

  let details: BuyerDetails | undefined;
  if (purpose === 'pay') {
    const read = readBuyerDetails(form, readBuyerFields(link.buyerFields));
    if (read.ok) details = Object.keys(read.details).length > 0 ? read.details : undefined;
    else problems.push(...read.errors);
  }

  let priced: CheckoutOrder | null = null;
  const priceable = quantity.ok && isSupportedCurrency(link.currency) && !problems.some((problem) => ['amount', 'tip', 'code'].includes(problem.field));
  if (priceable && tip.ok && isSupportedCurrency(link.currency)) {
    const amount = checkoutAmount({ unitAmount, quantity: quantity.quantity, currency: link.currency, discount, tips: offer.tips, tipValue: tip.value });
    if (amount.ok) priced = { quantity: quantity.quantity, unitAmount, chosenAmount, amount: amount.amount, code, ...(details ? { details } : {}) };
    else if (amount.reason === 'too_large') problems.push({ field: 'amount', reason: 'too_large' });
    // A fixed amount off in another currency is a live code that does not apply here: the one answer
    // every such code gets, or the message would tell a stranger the code exists.
    else problems.push({ field: 'code', reason: amount.reason === 'discount_other_currency' ? 'unknown' : amount.reason });
  }
  if (problems.length > 0 || priced === null) return { ok: false, problems, priced };
  return { ok: true, order: priced };
}
