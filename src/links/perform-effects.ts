import { createHmac } from 'node:crypto';
import type { EffectEnv } from '../bot/effects.js';
import type { Config } from '../config.js';
import type { Prisma } from '../db/database.js';
import { membershipOf } from '../merchants/authorization.js';
import { getMerchantKomojuKeys } from '../merchants/komoju-keys.js';
import { isTestSecretKey } from '../payments/komoju/komoju-client.js';
import { createLink } from './create-link.js';
import { fetchImage } from './fetch-image.js';
import type { CompleteLinkDraft } from './link-draft.js';
import { mediaUrl } from './link-urls.js';
import { toLinkView, type LinkView } from './link-view.js';
import { normalizeProductName } from './product-name.js';

export type LinkEffect =
  /** Is the name still free in this merchant? (Early answer; the create itself decides races.) */
  | { type: 'links.checkName'; merchantId: string; productName: string }
  /** Download a photo the merchant sent (LINE message id) and keep it as the product image. */
  | { type: 'links.fetchImage'; merchantId: string; messageId: string }
  | { type: 'links.create'; merchantId: string; draft: CompleteLinkDraft };

export type LinkEffectResult =
  | { type: 'links.nameChecked'; productName: string; existing: LinkView | null }
  | { type: 'links.imageFetched'; ok: true; mediaId: string; imageUrl: string }
  | { type: 'links.imageFetched'; ok: false; reason: 'too_large' | 'not_image' | 'unavailable' }
  | { type: 'links.created'; link: LinkView }
  | { type: 'links.duplicate'; existing: LinkView }
  /** notMember: the user is no longer a member of that merchant; invalid: a rule was broken. */
  | { type: 'links.rejected'; reason: 'notMember' | 'invalid' };

/**
 * Without a live KOMOJU key the payments are not real, and the link says so. The key is the one
 * checkout will use (see payments/provider-for-link.ts): the merchant's own, else the operator's;
 * with neither, the sandbox.
 */
export async function isTestMode(prisma: Prisma, config: Config, merchantId: string): Promise<boolean> {
  const merchantKeys = await getMerchantKomojuKeys(prisma, config.appSecret, merchantId);
  const secretKey = merchantKeys?.secretKey ?? config.komoju?.secretKey;
  return secretKey === undefined || isTestSecretKey(secretKey);
}

/** An unguessable id that is the same every time the same event is retried. */
export function idForEvent(prefix: string, env: Pick<EffectEnv, 'config' | 'idempotencyKey'>): string {
  const digest = createHmac('sha256', env.config.appSecret).update(`${prefix}:${env.idempotencyKey}`).digest('base64url');
  return `${prefix}_${digest.slice(0, 22)}`;
}

/**
 * Runs slow work under LINE's "…" indicator. The indicator request runs alongside the work and is
 * settled before returning; it is cosmetic, so its failure is only logged.
 */
async function withLoading<T>(env: EffectEnv, work: () => Promise<T>): Promise<T> {
  const loading = env.line.showLoadingAnimation({ chatId: env.userId, loadingSeconds: 10 }).then(
    () => undefined,
    (error: unknown) => env.log.debug({ err: error }, 'loading animation not shown'),
  );
  try {
    return await work();
  } finally {
    await loading;
  }
}

export async function performLinkEffect(effect: LinkEffect, env: EffectEnv): Promise<LinkEffectResult> {
  // The core only asks for the merchant of the user's membership; check it still holds.
  if (!(await membershipOf(env.prisma, env.userId, effect.merchantId))) return { type: 'links.rejected', reason: 'notMember' };
  const base = env.config.publicBaseUrl;

  switch (effect.type) {
    case 'links.checkName': {
      const name = normalizeProductName(effect.productName);
      if (!name.ok) return { type: 'links.rejected', reason: 'invalid' };
      const existing = await env.prisma.link.findUnique({
        where: { merchantId_productNameKey: { merchantId: effect.merchantId, productNameKey: name.key } },
      });
      return { type: 'links.nameChecked', productName: name.name, existing: existing ? toLinkView(existing, base) : null };
    }
    case 'links.fetchImage': {
      const outcome = await withLoading(env, () =>
        fetchImage(env.line, env.prisma, { merchantId: effect.merchantId, messageId: effect.messageId, mediaId: idForEvent('img', env) }),
      );
      if (!outcome.ok) {
        env.log.info({ reason: outcome.reason }, 'product image refused');
        return { type: 'links.imageFetched', ok: false, reason: outcome.reason };
      }
      return { type: 'links.imageFetched', ok: true, mediaId: outcome.mediaId, imageUrl: mediaUrl(base, outcome.mediaId) };
    }
    case 'links.create': {
      const { draft } = effect;
      const fields = {
        merchantId: effect.merchantId,
        createdByUserId: env.userId,
        amount: draft.amount,
        currency: draft.currency,
        productName: draft.productName,
        description: draft.description ?? '',
        imageId: draft.imageId ?? null,
        language: draft.language ?? 'ja',
        status: draft.status ?? 'active',
        usageLimit: draft.usageLimit ?? null,
        expiresAt: draft.expiresAt ? new Date(draft.expiresAt) : null,
      };
      const options = { linkId: idForEvent('lnk', env), publicBaseUrl: base, testMode: await isTestMode(env.prisma, env.config, effect.merchantId) };
      const outcome = await withLoading(env, () => createLink(env.prisma, fields, options));
      switch (outcome.kind) {
        case 'created':
          env.log.info({ linkId: outcome.link.id, merchantId: effect.merchantId }, 'link created');
          return { type: 'links.created', link: toLinkView(outcome.link, base) };
        case 'duplicate':
          return { type: 'links.duplicate', existing: toLinkView(outcome.existing, base) };
        case 'invalid':
          env.log.warn({ reason: outcome.reason }, 'link draft refused');
          return { type: 'links.rejected', reason: 'invalid' };
      }
    }
  }
}
