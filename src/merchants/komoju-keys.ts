import type { Config } from '../config.js';
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

/** A merchant's stored keys as they are in its row: encrypted, null when it has none. */
export interface SealedKomojuKeys {
  id: string;
  komojuSecretKeyEnc: string | null;
  komojuWebhookSecretEnc: string | null;
}

/** The keys of a merchant row already read (payments/link-page-state.ts reads them with the link); throws SecretBoxError as getMerchantKomojuKeys. */
export function openMerchantKomojuKeys(appSecret: string, row: SealedKomojuKeys): KomojuKeys | null {
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
  return row ? openMerchantKomojuKeys(appSecret, row) : null;
}

/** KOMOJU test-mode secret keys start with `sk_test_`; payments made with them move no real money. */
export function isTestSecretKey(secretKey: string): boolean {
  return secretKey.startsWith('sk_test_');
}

/**
 * Without a live KOMOJU key the payments are not real, and a link says so. The key is the one
 * checkout will use (see payments/provider-for-link.ts): the merchant's own, else the operator's;
 * with neither, the sandbox.
 */
export async function isTestMode(prisma: Prisma, config: Config, merchantId: string): Promise<boolean> {
  const merchantKeys = await getMerchantKomojuKeys(prisma, config.appSecret, merchantId);
  const secretKey = merchantKeys?.secretKey ?? config.komoju?.secretKey;
  return secretKey === undefined || isTestSecretKey(secretKey);
}
