import { createHmac } from 'node:crypto';
import type { EffectEnv, Performers } from '../effect-env.js';
import { membershipOf } from '../merchants/authorization.js';
import { isTestMode } from '../merchants/komoju-keys.js';
import { typesNotOffered } from './payment-types.js';
import { legalItemsMissing } from '../merchants/shop-profile.js';
import { createLink } from './create-link.js';
import { fetchImage } from './fetch-image.js';
import type { LinkEffect, LinkEffectResult } from './effects.js';
import { mediaUrl } from './link-urls.js';
import { toLinkView } from './link-view.js';
import { normalizeProductName } from './product-name.js';
import { mayChangeLinkField, updateLink, type LinkChange } from './update-link.js';

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

type LinkPerformer<T extends LinkEffect['type']> = (effect: Extract<LinkEffect, { type: T }>, env: EffectEnv) => Promise<LinkEffectResult>;

/** The core only asks for the merchant of the user's membership; every performer checks it still holds. */
function forMember<T extends LinkEffect['type']>(perform: LinkPerformer<T>): LinkPerformer<T> {
  return async (effect, env) => {
    if (!(await membershipOf(env.prisma, env.userId, effect.merchantId))) return { type: 'links.rejected', reason: 'notMember' };
    return perform(effect, env);
  };
}

export const linkPerformers: Performers<LinkEffect, LinkEffectResult> = {
  'links.checkName': forMember(async (effect, env) => {
    const name = normalizeProductName(effect.productName);
    if (!name.ok) return { type: 'links.rejected', reason: 'invalid' };
    const existing = await env.prisma.link.findUnique({
      where: { merchantId_productNameKey: { merchantId: effect.merchantId, productNameKey: name.key } },
    });
    return { type: 'links.nameChecked', productName: name.name, existing: existing ? toLinkView(existing, env.config) : null };
  }),
  'links.fetchImage': forMember(async (effect, env) => {
    const outcome = await withLoading(env, () => fetchImage(env.line, env.prisma, { merchantId: effect.merchantId, messageId: effect.messageId, mediaId: idForEvent('img', env) }));
    if (!outcome.ok) {
      env.log.info({ reason: outcome.reason }, 'product image refused');
      return { type: 'links.imageFetched', ok: false, reason: outcome.reason };
    }
    return { type: 'links.imageFetched', ok: true, mediaId: outcome.mediaId, imageUrl: mediaUrl(env.config.publicBaseUrl, outcome.mediaId) };
  }),
  'links.create': forMember(async (effect, env) => {
    const base = env.config.publicBaseUrl;
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
      quantityMin: draft.quantityMin ?? 1,
      quantityMax: draft.quantityMax ?? 1,
      buyerFields: { ask: draft.buyerAsk ?? [], question: draft.question ?? null },
      afterPaymentMessage: draft.afterPaymentMessage ?? '',
      paymentTypes: draft.paymentTypes ?? [],
      expiresAt: draft.expiresAt ? new Date(draft.expiresAt) : null,
      billingInterval: draft.billingInterval ?? null,
      buyerPrice: draft.amountMin && draft.amountMax ? { min: draft.amountMin, max: draft.amountMax, presets: draft.amountPresets ?? [] } : null,
      tipOptions: draft.tipOptions ?? null,
    };
    const options = { linkId: idForEvent('lnk', env), publicBaseUrl: base, testMode: await isTestMode(env.prisma, env.config, effect.merchantId) };
    // Real payments need the seller's identity reachable from the page (特定商取引法); test links do not.
    const offered = fields.paymentTypes.length > 0 ? await env.paymentMethods(effect.merchantId) : null;
    const notOffered = typesNotOffered(fields.paymentTypes, offered);
    if (offered && notOffered.length > 0) return { type: 'links.rejected', reason: 'paymentTypes', notOffered, offered };
    const missing = options.testMode ? [] : await legalItemsMissing(env.prisma, effect.merchantId);
    if (missing.length > 0) {
      env.log.info({ merchantId: effect.merchantId, missing }, 'live link refused: the shop legal notice is incomplete');
      return { type: 'links.rejected', reason: 'legalNotice', missing };
    }
    const outcome = await withLoading(env, () => createLink(env.prisma, fields, options));
    switch (outcome.kind) {
      case 'created':
        env.log.info({ linkId: outcome.link.id, merchantId: effect.merchantId }, 'link created');
        return { type: 'links.created', link: toLinkView(outcome.link, env.config) };
      case 'duplicate':
        return { type: 'links.duplicate', existing: toLinkView(outcome.existing, env.config) };
      case 'invalid':
        env.log.warn({ reason: outcome.reason }, 'link draft refused');
        return { type: 'links.rejected', reason: 'invalid' };
    }
  }),
  'links.update': async (effect, env) => {
    const { prisma } = env;
    const role = (await membershipOf(prisma, env.userId, effect.merchantId))?.role;
    if (!role) return { type: 'links.rejected', reason: 'notMember' };
    const { change } = effect;
    if (!mayChangeLinkField(role, change.field === 'imageMessage' ? 'image' : change.field)) return { type: 'links.updateRefused', reason: 'ownerOnly' };
    if (!(await prisma.link.findFirst({ where: { id: effect.linkId, merchantId: effect.merchantId }, select: { id: true } }))) {
      return { type: 'links.updateRefused', reason: 'notFound' };
    }
    let linkChange: LinkChange;
    if (change.field === 'imageMessage') {
      // Derived from the event, so a retried event stores the photo once.
      const stored = await withLoading(env, () => fetchImage(env.line, prisma, { merchantId: effect.merchantId, messageId: change.value, mediaId: idForEvent('img', env) }));
      if (!stored.ok) return { type: 'links.updateRefused', reason: 'image', imageProblem: stored.reason };
      linkChange = { field: 'image', value: stored.mediaId };
    } else {
      linkChange = change;
    }
    if (linkChange.field === 'paymentTypes' && linkChange.value.length > 0) {
      const offered = await env.paymentMethods(effect.merchantId);
      const notOffered = typesNotOffered(linkChange.value, offered);
      if (offered && notOffered.length > 0) return { type: 'links.updateRefused', reason: 'paymentTypes', notOffered, offered };
    }
    const result = await updateLink(prisma, { merchantId: effect.merchantId, linkId: effect.linkId, role, change: linkChange });
    if (!result.ok) return { type: 'links.updateRefused', reason: result.reason };
    return { type: 'links.updated', field: linkChange.field, link: toLinkView(result.link, env.config) };
  },
};
