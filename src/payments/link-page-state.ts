// What a link's page (GET /l/:slug) and its Pay button (POST /l/:slug/checkout) both read: the
// link named in the path, its shop, the shop's payment keys and the link's live state — in one
// statement (readLinkPage), since a crowd on a link is the flash sale; and whether the shop's
// payment account can take the link's payments.
import type { Link } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { offersCodesSql } from '../discounts/find-code.js';
import { BUYER_LINK_COLUMNS, type BuyerLink } from '../links/buyer-link.js';
import { isSlug } from '../links/slug.js';
import { offerFor, offerTermsOf, type ClosedOffer, type Offer } from '../links/offer-rule.js';
import { openMerchantKomojuKeys, type SealedKomojuKeys } from '../merchants/komoju-keys.js';
import { PROFILE_COLUMNS, profileOfRow, type ProfileRow } from '../merchants/shop-profile.js';
import type { ShopBrand } from '../pages/buyer-page-parts.js';
import { loadShopBrand, shopBrandOf } from '../shop-profile/shop-brand.js';
import { liveStateOf, placesSql, type PlacesRow } from './link-offer.js';
import { linkLanguage } from './pages/offer-page.js';
import { providerForKeys, servesLinkMode, type ProviderChoice } from './provider-for-link.js';
import type { CheckoutDeps } from './start-checkout.js';

/** Why the page says the link takes no payments: the offer's rule, or a link made in the other mode (test/live) than the shop's account is in now. */
export type ClosedPageOffer = ClosedOffer | { reason: 'made_in_test_mode' | 'made_in_live_mode' };

/** A page about a link closed to payments: 410 Gone, or 409 with Retry-After while its places are held. */
export interface ClosedLinkPage {
  kind: 'closed';
  link: BuyerLink;
  shop: ShopBrand;
  offer: ClosedPageOffer;
}

/** What the page and Pay know of a link after readLinkPage. */
export interface LinkPageRead {
  link: BuyerLink;
  shop: ShopBrand;
  /** The shop's KOMOJU keys as stored: opened only when the provider is needed (providerOfRead). */
  keys: SealedKomojuKeys;
  /** The one offer rule (links/offer-rule.ts) on the link's live state as read. */
  offer: Offer;
}

// The merchant's columns come back prefixed, apart from the link's own.
const SHOP_PREFIX = 'shop.';
const MERCHANT_COLUMNS = Prisma.raw([...PROFILE_COLUMNS, 'komojuSecretKeyEnc', 'komojuWebhookSecretEnc'].map((column) => `mc."${column}" AS "${SHOP_PREFIX}${column}"`).join(', '));
const LINK = { id: Prisma.raw('lk."id"'), merchantId: Prisma.raw('lk."merchantId"'), currency: Prisma.raw('lk."currency"') };

/**
 * The link with this slug, its shop's profile and keys, whether a code field is offered, and — only
 * when it has a usage limit — its places captured and held (link-offer.ts): one row.
 */
function linkPageSql(slug: string, now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT ${BUYER_LINK_COLUMNS}, ${MERCHANT_COLUMNS},
           ${offersCodesSql(LINK, now)} AS "codeOffered",
           CASE WHEN lk."usageLimit" IS NULL THEN NULL ELSE (SELECT row_to_json(s) FROM (${placesSql(LINK.id, now)}) s) END AS "places"
      FROM "Link" lk JOIN "Merchant" mc ON mc."id" = lk."merchantId"
     WHERE lk."slug" = ${slug}`;
}

/**
 * What the page and Pay read, in one statement on the connection pool (plain SQL: no ORM on the
 * buyer's path); null for no such link (or a path that is no slug). The offer is decided as of `now`.
 */
export async function readLinkPage(deps: CheckoutDeps, slug: unknown, now: Date): Promise<LinkPageRead | null> {
  if (typeof slug !== 'string' || !isSlug(slug)) return null;
  const query = linkPageSql(slug, now);
  const [row] = await deps.db.query<Record<string, unknown> & { codeOffered: boolean; places: PlacesRow | null }>(query.text, query.values);
  if (!row) return null;
  const { codeOffered, places, ...columns } = row;
  const linkColumns: Record<string, unknown> = {};
  const merchantColumns: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(columns)) {
    if (column.startsWith(SHOP_PREFIX)) merchantColumns[column.slice(SHOP_PREFIX.length)] = value;
    else linkColumns[column] = value;
  }
  const link = linkColumns as BuyerLink;
  return {
    link,
    shop: shopBrandOf(profileOfRow(merchantColumns as ProfileRow), deps.config.publicBaseUrl, linkLanguage(link)),
    keys: merchantColumns as unknown as SealedKomojuKeys,
    offer: offerFor(offerTermsOf(link), liveStateOf(places, codeOffered), now),
  };
}

/** The link with this slug; null for no such link (or a path that is no slug). */
export async function findLinkBySlug(deps: CheckoutDeps, slug: unknown): Promise<Link | null> {
  return typeof slug === 'string' && isSlug(slug) ? deps.prisma.link.findUnique({ where: { slug } }) : null;
}

export function shopOfLink(deps: CheckoutDeps, link: Link): Promise<ShopBrand> {
  return loadShopBrand(deps.prisma, deps.config.publicBaseUrl, link.merchantId, linkLanguage(link));
}

export function modeMismatch(link: BuyerLink): { reason: 'made_in_test_mode' | 'made_in_live_mode' } {
  return { reason: link.testMode ? 'made_in_test_mode' : 'made_in_live_mode' };
}

/** The provider that serves the link read (provider-for-link.ts); throws SecretBoxError when its shop's keys do not decrypt. */
function providerOfRead(deps: CheckoutDeps, read: Pick<LinkPageRead, 'link' | 'keys'>): ProviderChoice {
  return providerForKeys(deps, openMerchantKomojuKeys(deps.config.appSecret, read.keys), read.link);
}

/** Whether the provider checkout would use now takes payments in the link's mode (see servesLinkMode). */
export function providerServesLink(deps: CheckoutDeps, read: Pick<LinkPageRead, 'link' | 'keys'>): boolean {
  const { log } = deps;
  const { link } = read;
  let provider;
  try {
    ({ provider } = providerOfRead(deps, read));
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
