// A link's page (GET /l/:slug): the product and a Pay button, or why it takes no payments. It
// starts nothing, since chat apps' preview crawlers fetch it; it counts the view unless it is the
// merchant's own (links/own-view-marker.ts).
import type { Link } from '../generated/prisma/client.js';
import { countPageView } from '../links/count-page-view.js';
import type { OpenOffer } from '../links/offer-rule.js';
import type { ShopBrand } from '../pages/buyer-page-parts.js';
import { type ClosedLinkPage, findLinkBySlug, modeMismatch, providerServesLink, shopOfLink } from './link-page-state.js';
import { readLinkOffer } from './link-offer.js';
import type { CheckoutDeps } from './start-checkout.js';

export interface LinkPageVisit {
  slug: unknown;
  /** The merchant's own-view marker is in the address: the transport answers it (once the link is known to exist). */
  marked: boolean;
  /** The view carries the merchant's own-view cookie for this link: not counted. */
  ownView: boolean;
  userAgent: string | undefined;
}

export type LinkPageOutcome = { kind: 'not_found' } | { kind: 'marked'; link: Link } | ClosedLinkPage | { kind: 'open'; link: Link; shop: ShopBrand; offer: OpenOffer };

export async function showLinkPage(deps: CheckoutDeps, visit: LinkPageVisit): Promise<LinkPageOutcome> {
  const link = await findLinkBySlug(deps, visit.slug);
  if (!link) return { kind: 'not_found' };
  if (visit.marked) return { kind: 'marked', link };
  const shop = await shopOfLink(deps, link);
  const offer = await readLinkOffer(deps.prisma, link, new Date(), { codes: true });
  if (!offer.open) return { kind: 'closed', link, shop, offer };
  if (!(await providerServesLink(deps, link))) return { kind: 'closed', link, shop, offer: modeMismatch(link) };
  if (!visit.ownView) await countPageView(deps.prisma, link.id, visit.userAgent);
  return { kind: 'open', link, shop, offer };
}
