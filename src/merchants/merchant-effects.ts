import type { EffectEnv } from '../bot/effects.js';

/** Effects of this feature (`type` starts with 'merchants.' / 'merchants.'); none yet. */
export type MerchantEffect = never;
export type MerchantEffectResult = never;

export async function performMerchantEffect(effect: MerchantEffect, _env: EffectEnv): Promise<MerchantEffectResult> {
  return effect;
}
