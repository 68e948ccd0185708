// What a link's page (GET /l/:slug) and its Pay button (POST /l/:slug/checkout) both read: the
// link named in the path, its shop, and whether the shop's payment account can take its payments.
import type { Link } from '../generated/prisma/client.js';
import { isSlug } from '../links/slug.js';
import type { ClosedOffer } from '../links/offer-rule.js';
import type { ShopBrand } from '../pages/buyer-page-parts.js';
import { loadShopBrand } from '../shop-profile/shop-brand.js';
import { linkLanguage } from './pages/offer-page.js';
import { providerForLink, servesLinkMode } from './provider-for-link.js';
import type { CheckoutDeps } from './start-checkout.js';

/** Why the page says the link takes no payments: the offer's rule, or a link made in the other mode (test/live) than the shop's account is in now. */
export type ClosedPageOffer = ClosedOffer | { reason: 'made_in_test_mode' | 'made_in_live_mode' };

/** A page about a link closed to payments: 410 Gone, or 409 with Retry-After while its places are held. */
export interface ClosedLinkPage {
  kind: 'closed';
  link: Link;
  shop: ShopBrand;
  offer: ClosedPageOffer;
}

/** The link with this slug; null for no such link (or a path that is no slug). */
export async function findLinkBySlug(deps: CheckoutDeps, slug: unknown): Promise<Link | null> {
  return typeof slug === 'string' && isSlug(slug) ? deps.prisma.link.findUnique({ where: { slug } }) : null;
}

export function shopOfLink(deps: CheckoutDeps, link: Link): Promise<ShopBrand> {
  return loadShopBrand(deps.prisma, deps.config.publicBaseUrl, link.merchantId, linkLanguage(link));
}

export function modeMismatch(link: Link): { reason: 'made_in_test_mode' | 'made_in_live_mode' } {
  return { reason: link.testMode ? 'made_in_test_mode' : 'made_in_live_mode' };
}

/** Whether the provider checkout would use now takes payments in the link's mode (see servesLinkMode). */
export async function providerServesLink(deps: CheckoutDeps, link: Link): Promise<boolean> {
  const { log } = deps;
  let provider;
  try {
    ({ provider } = await providerForLink(deps, link));
  } catch (error) {
    // Unreadable merchant keys must not take the product page down; checkout reports them.
    log.error({ linkId: link.id, err: error }, 'link page: could not determine the payment provider');
    return true;
  }
  if (servesLinkMode(provider, link)) return true;
  log.warn(
    { linkId: link.id, linkTestMode: link.testMode, providerTestMode: provider.testMode },
    "link page closed: the link was made in another mode (test/live) than the shop's payment account is in now; the shop must issue a new link",
  );
  return false;
}
