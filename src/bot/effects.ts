import type { LineBotClient } from '@line/bot-sdk';
import type { Config } from '../config.js';
import type { Effect, EffectResult } from '../conversation/types.js';
import type { Prisma } from '../db/database.js';
import { performLinkEffect, type LinkEffect } from '../links/perform-effects.js';
import type { Logger } from '../logger.js';
import { performMerchantEffect, type MerchantEffect } from '../merchants/perform-effects.js';
import { performSalesEffect, type SalesEffect } from '../sales/perform-effects.js';

export interface EffectEnv {
  prisma: Prisma;
  line: LineBotClient;
  config: Config;
  log: Logger;
  userId: string;
  /** Stable per event: effects that create something use it so a retried event creates it once. */
  idempotencyKey: string;
}

/** Performs one effect the conversation core asked for and reports its outcome. */
export async function performEffect(effect: Effect, env: EffectEnv): Promise<EffectResult> {
  if (effect.type === 'setLanguage') {
    await env.prisma.lineUser.update({ where: { id: env.userId }, data: { language: effect.language } });
    return { type: 'languageSet', language: effect.language };
  }
  const type: string = effect.type;
  if (type.startsWith('links.')) return performLinkEffect(effect as LinkEffect, env);
  if (type.startsWith('merchants.')) return performMerchantEffect(effect as MerchantEffect, env);
  if (type.startsWith('sales.')) return performSalesEffect(effect as SalesEffect, env);
  throw new Error(`no performer for effect ${type}`);
}
