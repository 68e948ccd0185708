// Reading and changing a shop's public profile (rules in shop-profile-rules.ts). The link pages,
// the sandbox checkout and the legal page read it; only owners change it (checked by callers).
import type { Prisma } from '../db/database.js';
import { SHOP_TEXT_FIELDS, isShopCountry, missingLegalItems, type LegalItem, type ShopCountry, type ShopProfileValues, type ShopTextField } from './shop-profile-rules.js';

export interface ShopProfile extends ShopProfileValues {
  merchantId: string;
  /** The merchant's own name: what buyers see while no display name is set. */
  merchantName: string;
  shopSlug: string;
}

const PROFILE_SELECT = {
  id: true,
  name: true,
  shopSlug: true,
  logoId: true,
  country: true,
  currency: true,
  ...Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, true])),
} as const;

/** The Merchant columns a profile is made of (plain-SQL readers select these, then profileOfRow). */
export const PROFILE_COLUMNS = Object.keys(PROFILE_SELECT) as (keyof typeof PROFILE_SELECT)[];

export type ProfileRow = { id: string; name: string; shopSlug: string; logoId: string | null; country: string | null; currency: string | null } & Record<ShopTextField, string | null>;

export function profileOfRow(row: ProfileRow): ShopProfile {
  const values = Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, row[field]])) as Record<ShopTextField, string | null>;
  return { merchantId: row.id, merchantName: row.name, shopSlug: row.shopSlug, logoId: row.logoId, country: isShopCountry(row.country) ? row.country : null, currency: row.currency, ...values };
}

/** The name buyers see: the display name, else the merchant's own name. */
export function shopDisplayName(profile: Pick<ShopProfile, 'displayName' | 'merchantName'>): string {
  return profile.displayName ?? profile.merchantName;
}

export async function loadShopProfile(prisma: Prisma, merchantId: string): Promise<ShopProfile | null> {
  const row = await prisma.merchant.findUnique({ where: { id: merchantId }, select: PROFILE_SELECT });
  return row ? profileOfRow(row as ProfileRow) : null;
}

export async function findShopBySlug(prisma: Prisma, shopSlug: string): Promise<ShopProfile | null> {
  const row = await prisma.merchant.findUnique({ where: { shopSlug }, select: PROFILE_SELECT });
  return row ? profileOfRow(row as ProfileRow) : null;
}

/** The legal items the shop's country requires that are still empty: none means live payments may start. */
export async function legalItemsMissing(prisma: Prisma, merchantId: string): Promise<LegalItem[]> {
  const profile = await loadShopProfile(prisma, merchantId);
  if (!profile) throw new Error(`merchant ${merchantId} does not exist`);
  return missingLegalItems(profile);
}

export type ShopProfileChange =
  | { field: ShopTextField; value: string | null }
  | { field: 'logo'; value: string | null }
  | { field: 'country'; value: ShopCountry }
  | { field: 'currency'; value: 'JPY' | 'KRW' };

/** Applies one already-validated change; null when the merchant no longer exists. */
export async function updateShopProfile(prisma: Prisma, merchantId: string, change: ShopProfileChange): Promise<ShopProfile | null> {
  const data =
    change.field === 'logo'
      ? { logoId: change.value }
      : // A Japanese shop prices in yen; a Korean shop is asked next (its default stays KRW until then).
        change.field === 'country'
        ? { country: change.value, currency: change.value === 'JP' ? 'JPY' : null }
        : { [change.field]: change.value };
  const updated = await prisma.merchant.updateMany({ where: { id: merchantId }, data });
  return updated.count === 0 ? null : loadShopProfile(prisma, merchantId);
}
