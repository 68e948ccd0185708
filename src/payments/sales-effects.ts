import type { EffectEnv } from '../bot/effects.js';

/** Effects of this feature (`type` starts with 'saless.' / 'payments.'); none yet. */
export type SalesEffect = never;
export type SalesEffectResult = never;

export async function performSalesEffect(effect: SalesEffect, _env: EffectEnv): Promise<SalesEffectResult> {
  return effect;
}
