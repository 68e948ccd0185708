import type { EffectEnv, Performers } from '../effect-env.js';
import { fetchImage } from '../links/fetch-image.js';
import { mediaUrl } from '../links/link-urls.js';
import { idForEvent } from '../links/perform-effects.js';
import { AuthorizationError, assertMemberOf } from '../merchants/authorization.js';
import { loadShopProfile, updateShopProfile, type ShopProfile, type ShopProfileChange } from '../merchants/shop-profile.js';
import { SHOP_CURRENCIES, SHOP_TEXT_FIELDS, checkShopValue, isShopCountry, missingLegalItems, shopCountry, shopCurrency, type ShopTextField } from '../merchants/shop-profile-rules.js';
import type { ShopProfileEffect, ShopProfileEffectResult, ShopProfileView } from './effects.js';
import { shopLegalPageUrl } from './shop-urls.js';

export function shopProfileView(profile: ShopProfile, publicBaseUrl: string): ShopProfileView {
  return {
    merchantName: profile.merchantName,
    values: Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, profile[field]])) as Record<ShopTextField, string | null>,
    country: profile.country,
    currency: shopCurrency(profile),
    logoUrl: profile.logoId ? mediaUrl(publicBaseUrl, profile.logoId) : null,
    legalPageUrl: shopLegalPageUrl(publicBaseUrl, profile.shopSlug),
    missingLegalItems: missingLegalItems(profile),
  };
}

type Performer<T extends ShopProfileEffect['type']> = (effect: Extract<ShopProfileEffect, { type: T }>, env: EffectEnv) => Promise<ShopProfileEffectResult>;

/** A refusal (no longer a member, not the owner) is an answer for the chat, not a failure. */
function answered<T extends ShopProfileEffect['type']>(perform: Performer<T>): Performer<T> {
  return async (effect, env) => {
    try {
      return await perform(effect, env);
    } catch (error) {
      if (!(error instanceof AuthorizationError)) throw error;
      env.log.warn({ effect: effect.type, reason: error.reason }, 'shop profile action refused');
      return { type: 'shopProfile.refused', reason: error.reason };
    }
  };
}

export const shopProfilePerformers: Performers<ShopProfileEffect, ShopProfileEffectResult> = {
  'shopProfile.load': answered(async (effect, env) => {
    const membership = await assertMemberOf(env.prisma, env.userId, effect.merchantId);
    const profile = await loadShopProfile(env.prisma, effect.merchantId);
    if (!profile) return { type: 'shopProfile.refused', reason: 'notMember' };
    return { type: 'shopProfile.loaded', profile: shopProfileView(profile, env.config.publicBaseUrl), canEdit: membership.role === 'owner' };
  }),
  'shopProfile.update': answered(async (effect, env) => {
    const { prisma } = env;
    await assertMemberOf(prisma, env.userId, effect.merchantId, 'owner');
    const { edit } = effect;
    let change: ShopProfileChange;
    if (edit.field === 'logoMessage') {
      // Derived from the event, so a retried event stores the photo once.
      const stored = await fetchImage(env.line, prisma, { merchantId: effect.merchantId, messageId: edit.value, mediaId: idForEvent('img', env) });
      if (!stored.ok) return { type: 'shopProfile.logoRefused', reason: stored.reason };
      change = { field: 'logo', value: stored.mediaId };
    } else if (edit.field === 'country') {
      if (!isShopCountry(edit.value)) throw new Error(`shop profile country refused: ${String(edit.value)}`);
      change = edit;
    } else if (edit.field === 'currency') {
      // Only a currency the shop's country allows (a Japanese shop prices in yen).
      const current = await loadShopProfile(prisma, effect.merchantId);
      if (!current || !SHOP_CURRENCIES[shopCountry(current)].includes(edit.value)) throw new Error(`shop profile currency refused: ${edit.value}`);
      change = edit;
    } else if (edit.field === 'logo' || edit.value === null) {
      change = edit;
    } else {
      // Checked again here: the dialog's check is for a prompt answer, this one is the rule.
      const checked = checkShopValue(edit.field, edit.value);
      if (!checked.ok) throw new Error(`shop profile ${edit.field} refused: ${checked.reason}`);
      change = { field: edit.field, value: checked.value };
    }
    const profile = await updateShopProfile(prisma, effect.merchantId, change);
    if (!profile) return { type: 'shopProfile.refused', reason: 'notMember' };
    env.log.info({ merchantId: effect.merchantId, field: change.field }, 'shop profile changed');
    return { type: 'shopProfile.updated', profile: shopProfileView(profile, env.config.publicBaseUrl), field: change.field };
  }),
};
