// The shop behind a link, as buyer pages show it (name, logo, legal notice link).
import type { Prisma } from '../db/database.js';
import type { Language } from '../i18n/i18n.js';
import { mediaUrl } from '../links/link-urls.js';
import { loadShopProfile, shopDisplayName, type ShopProfile } from '../merchants/shop-profile.js';
import { shopCountry } from '../merchants/shop-profile-rules.js';
import type { ShopBrand } from '../pages/buyer-page-parts.js';

/** Our legal page, in the language of the page that links to it. */
function legalPagePath(shopSlug: string, language: Language): string {
  return `/s/${encodeURIComponent(shopSlug)}/legal?lang=${language}`;
}

/** The brand of a shop profile already read (payments/link-page-state.ts reads it with the link). */
export function shopBrandOf(profile: ShopProfile, publicBaseUrl: string, language: Language): ShopBrand {
  return {
    name: shopDisplayName(profile),
    logoUrl: profile.logoId ? mediaUrl(publicBaseUrl, profile.logoId) : null,
    legalUrl: profile.legalUrl ?? legalPagePath(profile.shopSlug, language),
    legalCountry: shopCountry(profile),
  };
}

/** The brand of a link's shop (a link's merchant always exists: deleting it deletes its links). */
export async function loadShopBrand(prisma: Prisma, publicBaseUrl: string, merchantId: string, language: Language): Promise<ShopBrand> {
  const profile = await loadShopProfile(prisma, merchantId);
  if (!profile) throw new Error(`merchant ${merchantId} of a link does not exist`);
  return shopBrandOf(profile, publicBaseUrl, language);
}
