// The one rule for what a buyer may choose on a link right now. The page renders from it, the
// checkout form is read against it (payments/read-checkout-form.ts) and re-checked under the link's
// lock at press time (payments/start-checkout.ts), the merchant's list labels the link with it
// (sales/sales-link-view.ts), and the "usage limit reached" notice asks it whether a capture
// closed the link (payments/usage-limit-reached.ts). Pure: the caller brings the live state
// (payments/link-offer.ts reads it from the ledger).
import { readBillingInterval } from './billing.js';
import { readLinkPrice, readTipOptions, type LinkPrice, type StoredPriceFields, type TipOptions } from './link-price.js';
import type { LinkView } from './link-view.js';
import type { QuantityRange } from './quantity.js';

/** What of a link the rule reads, already parsed. */
export interface OfferTerms {
  status: string;
  /** A Date, or its ISO string in plain-JSON views. */
  expiresAt: Date | string | null;
  usageLimit: number | null;
  quantityMin: number;
  quantityMax: number;
  price: LinkPrice;
  tips: TipOptions | null;
  /** A subscription bills its fixed price every period: one unit, no buyer-chosen amount, tip or code. */
  subscription: boolean;
}

/** The link's live state, in places (a quantity-3 purchase takes 3 of a usage limit's places). */
export interface LinkLiveState {
  /** Places captured payments took, as the Total Sales Summary counts them (refunded in full or charged back: given back). */
  captured: number;
  /** Places held by checkouts still in flight: their session can still be paid. */
  heldByCheckouts: number;
  /** Places held by payments awaiting payment at a konbini, bank or Pay-easy before their deadline. */
  heldByAwaiting: number;
  /** The earliest moment a held place may come back (a checkout's hold lapses, an awaiting payment's deadline passes); null: none held. */
  nextFreeAt: Date | null;
  /** A live discount code applies to the link. */
  codeOffered: boolean;
}

export const NO_LIVE_STATE: LinkLiveState = { captured: 0, heldByCheckouts: 0, heldByAwaiting: 0, nextFreeAt: null, codeOffered: false };

export interface OpenOffer {
  open: true;
  /** The quantities the buyer may choose now: min = max means no choice (the form has no field). */
  quantity: QuantityRange;
  /** The link's own quantity maximum (a lower `quantity.max` means the places left are fewer). */
  quantityMax: number;
  /** What a usage limit still allows; null without a limit. */
  placesLeft: number | null;
  price: LinkPrice;
  tips: TipOptions | null;
  /** The page offers a code field. */
  code: boolean;
  subscription: boolean;
}

export type ClosedOffer =
  | { open: false; reason: 'inactive' | 'expired' | 'used_up' }
  /** A fixed set (quantity minimum) that the uncaptured places can never make again. */
  | { open: false; reason: 'too_few_left'; left: number; setSize: number }
  /** Every place that could be bought is held by others: `freesAt` the first may come back; `byAwaiting`: some are awaiting payment at a store or bank. */
  | { open: false; reason: 'reserved'; freesAt: Date | null; byAwaiting: boolean };

export type Offer = OpenOffer | ClosedOffer;
export type ClosedReason = ClosedOffer['reason'];

/** Open with what may be chosen, or the first reason it is not (a deactivated link says inactive even once expired). */
export function offerFor(terms: OfferTerms, state: LinkLiveState, now: Date): Offer {
  if (terms.status !== 'active') return { open: false, reason: 'inactive' };
  if (terms.expiresAt !== null && new Date(terms.expiresAt).getTime() <= now.getTime()) return { open: false, reason: 'expired' };
  const min = terms.subscription ? 1 : terms.quantityMin;
  const linkMax = terms.subscription ? 1 : terms.quantityMax;
  let placesLeft: number | null = null;
  if (terms.usageLimit !== null) {
    const uncaptured = Math.max(0, terms.usageLimit - state.captured);
    if (uncaptured === 0) return { open: false, reason: 'used_up' };
    if (uncaptured < min) return { open: false, reason: 'too_few_left', left: uncaptured, setSize: min };
    placesLeft = Math.max(0, uncaptured - state.heldByCheckouts - state.heldByAwaiting);
    if (placesLeft < min) return { open: false, reason: 'reserved', freesAt: state.nextFreeAt, byAwaiting: state.heldByAwaiting > 0 };
  }
  return {
    open: true,
    quantity: { min, max: placesLeft === null ? linkMax : Math.min(linkMax, placesLeft) },
    quantityMax: linkMax,
    placesLeft,
    price: terms.subscription ? { mode: 'fixed', amount: terms.price.mode === 'fixed' ? terms.price.amount : terms.price.min } : terms.price,
    tips: terms.subscription ? null : terms.tips,
    code: !terms.subscription && state.codeOffered,
    subscription: terms.subscription,
  };
}

/** A stored link's terms. */
export function offerTermsOf(
  link: StoredPriceFields & { status: string; expiresAt: Date | null; usageLimit: number | null; quantityMin: number; quantityMax: number; tipOptions: unknown; billingInterval: string | null },
): OfferTerms {
  return {
    status: link.status,
    expiresAt: link.expiresAt,
    usageLimit: link.usageLimit,
    quantityMin: link.quantityMin,
    quantityMax: link.quantityMax,
    price: readLinkPrice(link),
    tips: readTipOptions(link.tipOptions),
    subscription: readBillingInterval(link.billingInterval) !== null,
  };
}

/** A chat view's terms (views stored before a field existed read as its default). */
export function offerTermsOfView(view: LinkView): OfferTerms {
  return {
    status: view.status,
    expiresAt: view.expiresAt,
    usageLimit: view.usageLimit,
    quantityMin: view.quantityMin,
    quantityMax: view.quantityMax,
    price: view.price ?? { mode: 'fixed', amount: view.amount },
    tips: view.tipOptions ?? null,
    subscription: (view.billingInterval ?? null) !== null,
  };
}

/**
 * Whether a capture that took `placesBefore` → `placesAfter` captured places is the one that
 * closed the link for good (used up, or too few left for its fixed set): the "usage limit
 * reached" news, told once — the payment that crossed the line, and no later one.
 */
export function closedByCapture(terms: OfferTerms, placesBefore: number, placesAfter: number): boolean {
  if (terms.usageLimit === null) return false;
  // Only the places decide here: status and expiry are other news.
  const byPlaces = { ...terms, status: 'active', expiresAt: null };
  const closedForGood = (captured: number) => {
    const offer = offerFor(byPlaces, { ...NO_LIVE_STATE, captured }, new Date(0));
    return !offer.open && (offer.reason === 'used_up' || offer.reason === 'too_few_left');
  };
  return !closedForGood(placesBefore) && closedForGood(placesAfter);
}
