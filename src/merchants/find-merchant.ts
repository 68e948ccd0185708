import type { Prisma } from '../db/database.js';

export class UnknownMerchantError extends Error {
  override name = 'UnknownMerchantError';
  constructor(readonly merchantId: string) {
    super(`no merchant with id "${merchantId}"`);
  }
}

/** The merchant's id, name and the display name its profile set (null: none); UnknownMerchantError when there is none with this id. */
export async function findMerchant(prisma: Prisma, merchantId: string): Promise<{ id: string; name: string; displayName: string | null }> {
  const merchant = await prisma.merchant.findUnique({ where: { id: merchantId }, select: { id: true, name: true, displayName: true } });
  if (!merchant) throw new UnknownMerchantError(merchantId);
  return merchant;
}
