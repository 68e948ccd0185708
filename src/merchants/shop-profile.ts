// Reading and changing a shop's public profile (rules in shop-profile-rules.ts). The link pages,
// the sandbox checkout and the legal page read it; only owners change it (checked by callers).
import type { Prisma } from '../db/database.js';
import { SHOP_TEXT_FIELDS, isLegalNoticeComplete, type ShopProfileValues, type ShopTextField } from './shop-profile-rules.js';

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
  ...Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, true])),
} as const;

type ProfileRow = { id: string; name: string; shopSlug: string; logoId: string | null } & Record<ShopTextField, string | null>;

function toProfile(row: ProfileRow): ShopProfile {
  const values = Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, row[field]])) as Record<ShopTextField, string | null>;
  return { merchantId: row.id, merchantName: row.name, shopSlug: row.shopSlug, logoId: row.logoId, ...values };
}

/** The name buyers see: the display name, else the merchant's own name. */
export function shopDisplayName(profile: Pick<ShopProfile, 'displayName' | 'merchantName'>): string {
  return profile.displayName ?? profile.merchantName;
}

export async function loadShopProfile(prisma: Prisma, merchantId: string): Promise<ShopProfile | null> {
  const row = await prisma.merchant.findUnique({ where: { id: merchantId }, select: PROFILE_SELECT });
  return row ? toProfile(row as ProfileRow) : null;
}

export async function findShopBySlug(prisma: Prisma, shopSlug: string): Promise<ShopProfile | null> {
  const row = await prisma.merchant.findUnique({ where: { shopSlug }, select: PROFILE_SELECT });
  return row ? toProfile(row as ProfileRow) : null;
}

/** Whether the merchant's legal notice allows live payments (see isLegalNoticeComplete). */
export async function hasCompleteLegalNotice(prisma: Prisma, merchantId: string): Promise<boolean> {
  const profile = await loadShopProfile(prisma, merchantId);
  return profile !== null && isLegalNoticeComplete(profile);
}

export type ShopProfileChange = { field: ShopTextField; value: string | null } | { field: 'logo'; value: string | null };

/** Applies one already-validated change; null when the merchant no longer exists. */
export async function updateShopProfile(prisma: Prisma, merchantId: string, change: ShopProfileChange): Promise<ShopProfile | null> {
  const data = change.field === 'logo' ? { logoId: change.value } : { [change.field]: change.value };
  const updated = await prisma.merchant.updateMany({ where: { id: merchantId }, data });
  return updated.count === 0 ? null : loadShopProfile(prisma, merchantId);
}
