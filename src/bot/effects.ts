import type { LineBotClient } from '@line/bot-sdk';
import type { Config } from '../config.js';
import type { Effect, EffectResult } from '../conversation/types.js';
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';

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
  switch (effect.type) {
    case 'setLanguage':
      await env.prisma.lineUser.update({ where: { id: env.userId }, data: { language: effect.language } });
      return { type: 'languageSet', language: effect.language };
  }
}
