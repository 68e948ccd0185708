// A link's page (GET /l/:slug): the product and a Pay button, or why it takes no payments. It
// starts nothing, since chat apps' preview crawlers fetch it; it counts the view unless it is the
// merchant's own (links/own-view-marker.ts). Two statements: the read (link-page-state.ts) and the view.
import type { BuyerLink } from '../links/buyer-link.js';
import { countPageView } from '../links/count-page-view.js';
import type { OpenOffer } from '../links/offer-rule.js';
import type { ShopBrand } from '../pages/buyer-page-parts.js';
import { type ClosedLinkPage, modeMismatch, providerServesLink, readLinkPage } from './link-page-state.js';
import type { CheckoutDeps } from './start-checkout.js';

export interface LinkPageVisit {
  slug: unknown;
  /** The merchant's own-view marker is in the address: the transport answers it (once the link is known to exist). */
  marked: boolean;
  /** The view carries the merchant's own-view cookie for this link: not counted. */
  ownView: boolean;
  userAgent: string | undefined;
}

export type LinkPageOutcome = { kind: 'not_found' } | { kind: 'marked'; link: BuyerLink } | ClosedLinkPage | { kind: 'open'; link: BuyerLink; shop: ShopBrand; offer: OpenOffer };

export async function showLinkPage(deps: CheckoutDeps, visit: LinkPageVisit): Promise<LinkPageOutcome> {
  const read = await readLinkPage(deps, visit.slug, new Date());
  if (!read) return { kind: 'not_found' };
  const { link, shop, offer } = read;
  if (visit.marked) return { kind: 'marked', link };
  if (!offer.open) return { kind: 'closed', link, shop, offer };
  if (!providerServesLink(deps, read)) return { kind: 'closed', link, shop, offer: modeMismatch(link) };
  if (!visit.ownView) await countPageView(deps.db, link.id, visit.userAgent);
  return { kind: 'open', link, shop, offer };
}
