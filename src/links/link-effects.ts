import type { EffectEnv } from '../bot/effects.js';

/** Effects of this feature (`type` starts with 'links.' / 'links.'); none yet. */
export type LinkEffect = never;
export type LinkEffectResult = never;

export async function performLinkEffect(effect: LinkEffect, _env: EffectEnv): Promise<LinkEffectResult> {
  return effect;
}
