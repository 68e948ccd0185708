import type { LinkView } from '../links/link-view.js';
import { NO_LIVE_STATE, offerFor, offerTermsOfView, type ClosedReason } from '../links/offer-rule.js';

/** A link with what the merchant's list shows about its sales (plain JSON, travels in results). */
export interface SalesLinkView extends LinkView {
  /** Places a usage limit has used: captured payments as the summary counts them, each by its quantity. */
  usedCount: number;
  /** The summary's captured amount, in the link currency's smallest unit. */
  capturedAmount: number;
}

/** The merchant-facing name of a link's availability (also its `sales:state.*` text key). */
export type LinkState = 'active' | 'inactive' | 'expired' | 'usedUp';

// The buyer page's rule (links/offer-rule.ts) in the merchant's words. Places held by buyers
// paying right now are not the merchant's news: the link is still active (the awaiting-payment
// notice tells of a konbini payment). A fixed set that what is left cannot make is used up.
const STATE_OF: Record<ClosedReason | 'open', LinkState> = { open: 'active', reserved: 'active', inactive: 'inactive', expired: 'expired', used_up: 'usedUp', too_few_left: 'usedUp' };

/** Whether buyers can pay through the link right now, and if not, the first reason why — as the link page says it. */
export function linkState(link: SalesLinkView, now: Date): LinkState {
  const offer = offerFor(offerTermsOfView(link), { ...NO_LIVE_STATE, captured: link.usedCount }, now);
  return STATE_OF[offer.open ? 'open' : offer.reason];
}
