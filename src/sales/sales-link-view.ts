import type { LinkView } from '../links/link-view.js';
import { availabilityOf, type LinkAvailability } from '../payments/link-availability-rule.js';

/** A link with what the merchant's list shows about its sales (plain JSON, travels in results). */
export interface SalesLinkView extends LinkView {
  /** Places a usage limit has used: captured payments as the summary counts them, each by its quantity. */
  usedCount: number;
  /** The summary's captured amount, in the link currency's smallest unit. */
  capturedAmount: number;
}

/** The merchant-facing name of a link's availability (also its `sales:state.*` text key). */
export type LinkState = 'active' | 'inactive' | 'expired' | 'usedUp';

// Places held by buyers mid-checkout are not the merchant's news: the link is still active.
const STATE_OF: Record<LinkAvailability, LinkState> = { open: 'active', reserved: 'active', inactive: 'inactive', expired: 'expired', used_up: 'usedUp' };

/** Whether buyers can pay through the link right now, and if not, the first reason why. */
export function linkState(link: SalesLinkView, now: Date): LinkState {
  return STATE_OF[availabilityOf(link, { captured: link.usedCount, inFlight: 0 }, now)];
}
