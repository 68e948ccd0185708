import type { Prisma } from '../db/database.js';
import { UnknownMerchantError } from './find-merchant.js';
import { openSecret, sealSecret } from './secret-box.js';

export interface KomojuKeys {
  secretKey: string;
  webhookSecret: string;
}

function context(merchantId: string, field: 'komojuSecretKey' | 'komojuWebhookSecret'): string {
  return `merchant:${merchantId}:${field}`;
}

/** Stores a merchant's own KOMOJU account keys, encrypted at rest. */
export async function setMerchantKomojuKeys(prisma: Prisma, appSecret: string, merchantId: string, keys: KomojuKeys): Promise<void> {
  const updated = await prisma.merchant.updateMany({
    where: { id: merchantId },
    data: {
      komojuSecretKeyEnc: sealSecret(keys.secretKey, appSecret, context(merchantId, 'komojuSecretKey')),
      komojuWebhookSecretEnc: sealSecret(keys.webhookSecret, appSecret, context(merchantId, 'komojuWebhookSecret')),
    },
  });
  if (updated.count === 0) throw new UnknownMerchantError(merchantId);
}

/** The merchant goes back to the environment's KOMOJU account. */
export async function clearMerchantKomojuKeys(prisma: Prisma, merchantId: string): Promise<void> {
  const updated = await prisma.merchant.updateMany({ where: { id: merchantId }, data: { komojuSecretKeyEnc: null, komojuWebhookSecretEnc: null } });
  if (updated.count === 0) throw new UnknownMerchantError(merchantId);
}

function decrypt(appSecret: string, row: { id: string; komojuSecretKeyEnc: string | null; komojuWebhookSecretEnc: string | null }): KomojuKeys | null {
  if (!row.komojuSecretKeyEnc || !row.komojuWebhookSecretEnc) return null;
  return {
    secretKey: openSecret(row.komojuSecretKeyEnc, appSecret, context(row.id, 'komojuSecretKey')),
    webhookSecret: openSecret(row.komojuWebhookSecretEnc, appSecret, context(row.id, 'komojuWebhookSecret')),
  };
}

/**
 * The merchant's own KOMOJU keys, or null when it uses the environment's account (or does not
 * exist). Throws SecretBoxError when the stored keys cannot be decrypted with this APP_SECRET.
 */
export async function getMerchantKomojuKeys(prisma: Prisma, appSecret: string, merchantId: string): Promise<KomojuKeys | null> {
  const row = await prisma.merchant.findUnique({
    where: { id: merchantId },
    select: { id: true, komojuSecretKeyEnc: true, komojuWebhookSecretEnc: true },
  });
  return row ? decrypt(appSecret, row) : null;
}
