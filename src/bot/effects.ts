import type { Effect, EffectResult } from '../conversation/types.js';
import type { EffectEnv, Performers } from '../effect-env.js';
import { linkPerformers } from '../links/perform-effects.js';
import { merchantPerformers } from '../merchants/perform-effects.js';
import { exportPerformers } from '../exports/perform-effects.js';
import { refundPerformers } from '../refunds/perform-effects.js';
import { salesPerformers } from '../sales/perform-effects.js';
import { shopProfilePerformers } from '../shop-profile/perform-effects.js';
import { subscriptionPerformers } from '../subscriptions/perform-effects.js';
import { discountPerformers } from '../discounts/perform-effects.js';

type CoreEffect = Extract<Effect, { type: 'setLanguage' }>;

const corePerformers: Performers<CoreEffect, EffectResult> = {
  setLanguage: async (effect, env) => {
    await env.prisma.lineUser.update({ where: { id: env.userId }, data: { language: effect.language } });
    return { type: 'languageSet', language: effect.language };
  },
};

/** Every effect type's performer; a capability's effect without one is a type error here. */
const performers: Performers<Effect, EffectResult> = {
  ...corePerformers,
  ...linkPerformers,
  ...merchantPerformers,
  ...salesPerformers,
  ...shopProfilePerformers,
  ...refundPerformers,
  ...subscriptionPerformers,
  ...exportPerformers,
  ...discountPerformers,
};

/** Performs one effect the conversation core asked for and reports its outcome. */
// T ties the effect to its own performer; without it the lookup is a union of functions no call fits.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function performEffect<T extends Effect['type']>(effect: Extract<Effect, { type: T }>, env: EffectEnv): Promise<EffectResult> {
  const perform: Performers<Effect, EffectResult>[T] = performers[effect.type];
  return perform(effect, env);
}
