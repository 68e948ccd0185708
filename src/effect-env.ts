import type { LineBotClient } from '@line/bot-sdk';
import type { Config } from './config.js';
import type { OfferedPaymentMethod } from './conversation/types.js';
import type { Prisma } from './db/database.js';
import type { Logger } from './logger.js';

/** What a capability's performers may use to carry out an effect for one user's event. */
export interface EffectEnv {
  prisma: Prisma;
  line: LineBotClient;
  config: Config;
  log: Logger;
  userId: string;
  /** Stable per event: effects that create something use it so a retried event creates it once. */
  idempotencyKey: string;
  /** The payment methods a shop's account offers, at most a day old (payments/payment-methods.ts); null: unknown now. */
  paymentMethods(merchantId: string): Promise<OfferedPaymentMethod[] | null>;
}

/**
 * One performer per effect type, each given exactly its effect: a capability exports this for its
 * own effects and bot/effects.ts checks that every effect of every capability has one.
 */
export type Performers<E extends { type: string }, R> = { [T in E['type']]: (effect: Extract<E, { type: T }>, env: EffectEnv) => Promise<R> };
