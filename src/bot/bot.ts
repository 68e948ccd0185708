import type { LineBotClient, webhook } from '@line/bot-sdk';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { step as runStep, type Machine } from '../conversation/machine.js';
import type { Context, Input, Membership, Reply } from '../conversation/types.js';
import type { Database } from '../db/database.js';
import { isLanguage, translator, type Language } from '../i18n/i18n.js';
import type { Answered, ClaimedEvent } from '../inbox/worker.js';
import { isInvalidReplyToken, pushOnce, retryKeyFor } from '../line/line-client.js';
import { renderReplies } from '../line/render.js';
import { answerSharedChat, sharedChatOf } from '../line/shared-chat.js';
import { toInput } from '../line/to-input.js';
import { childOnFirstLog, type Logger } from '../logger.js';
import { offeredPaymentMethods } from '../payments/payment-methods.js';
import { claimDemoMerchant, findMembership } from '../merchants/membership.js';
import { performEffect } from './effects.js';
import { loadStepContext, saveStep, stepContextFromJson, type StepContext } from './step-store.js';
import { botUser, createUser } from './users.js';

export interface BotDeps {
  db: Database;
  line: LineBotClient;
  config: Config;
  log: Logger;
  machine: Machine;
  now?: () => Date;
}

// A step may ask for an effect whose result feeds the next step; this bounds that chain.
const MAX_EFFECT_ROUNDS = 4;

// LINE's reply tokens last about a minute from the event; within this age a refused token can only
// mean it was already used.
const REPLY_TOKEN_SURELY_VALID_MS = 45_000;

interface Outbox {
  messages: ReturnType<typeof renderReplies>;
}

export function createBot(deps: BotDeps) {
  const { db, line, config, machine } = deps;
  const prisma = db.prisma;
  const now = deps.now ?? (() => new Date());

  /** The merchant the user works for: the chosen one while still a member there, else the oldest membership. */
  async function membershipOf(userId: string, step: StepContext, activeMerchantId: string | null): Promise<Membership | null> {
    const membership = step.memberships.find((member) => member.merchantId === activeMerchantId) ?? step.memberships[0] ?? null;
    if (!membership && config.localMode && (await claimDemoMerchant(prisma, userId))) return findMembership(prisma, userId, activeMerchantId);
    return membership;
  }

  /** Runs the conversation for one input; saves the next state and the rendered replies together. */
  async function converse(event: ClaimedEvent, payload: webhook.Event, userId: string, input: Input, log: Logger): Promise<Outbox> {
    // Normally read by the claim itself (server.ts passes stepContextSql to the worker).
    const step = event.context !== undefined ? stepContextFromJson(event.context) : await loadStepContext(db, userId);
    const user = step.user ? botUser(step.user) : await createUser(db, line, userId, log);
    const loaded = step.loaded;
    const membership = await membershipOf(userId, step, user.activeMerchantId);
    let ctx: Context = {
      now: now(),
      language: user.language,
      t: translator(user.language),
      membership,
      localMode: config.localMode,
      newDialogId: randomUUID().slice(0, 8),
    };
    const replies: Reply[] = [];
    if (loaded.outdated) replies.push({ kind: 'text', text: ctx.t('dialog.reset') });

    let state = loaded.state;
    let next: Input = input;
    for (let round = 0; ; round++) {
      // A step that never settles is a bug: fail the event (retried, then parked) rather than
      // leave the dialog waiting for a result that never comes.
      if (round === MAX_EFFECT_ROUNDS) throw new Error(`conversation did not settle after ${MAX_EFFECT_ROUNDS} effects`);
      const result = runStep(machine, state, next, ctx);
      replies.push(...result.replies);
      state = result.state;
      const { effect } = result;
      if (!effect) break;
      const outcome = await performEffect(effect, {
        prisma,
        line,
        config,
        log,
        userId,
        idempotencyKey: `${event.webhookEventId}:${round}`,
        paymentMethods: (merchantId) => offeredPaymentMethods({ prisma, config }, merchantId, new Date()),
      });
      if (outcome.type === 'languageSet' && isLanguage(outcome.language)) {
        ctx = { ...ctx, language: outcome.language, t: translator(outcome.language) };
      }
      next = { kind: 'result', result: outcome };
    }

    const outbox: Outbox = { messages: renderReplies(replies, config.appSecret) };
    await saveStep(db, { userId, webhookEventId: event.webhookEventId, loaded, next: state, outbox });
    log.debug({ eventType: payload.type, input: input.kind, replies: replies.length }, 'conversation step');
    return outbox;
  }

  /**
   * Sends an event's saved replies once. A reply token works once: when LINE refuses it on a
   * retry of replies already on record while the token was still young, the refused token means
   * an earlier attempt used it (the process died before writing `done`), so nothing is sent again.
   * Otherwise the replies are pushed, with the status `pushing` recorded first and a retry key, so
   * a retried push is not delivered twice either.
   */
  async function deliver(event: ClaimedEvent, payload: webhook.Event, outbox: Outbox, sentBefore: boolean, log: Logger): Promise<Answered> {
    if (outbox.messages.length === 0) return 'none';
    const userId = event.userId ?? undefined;
    const replyToken = 'replyToken' in payload ? payload.replyToken : undefined;
    if (replyToken && event.status !== 'pushing') {
      try {
        await line.replyMessage({ replyToken, messages: outbox.messages });
        return 'reply';
      } catch (error) {
        if (!isInvalidReplyToken(error) || !userId) throw error;
        if (sentBefore && Date.now() - event.eventTimestamp < REPLY_TOKEN_SURELY_VALID_MS) {
          log.info('reply token already used by an earlier attempt of this event; not sending again');
          return 'reply';
        }
        log.info('reply token rejected; pushing instead');
        await db.query(`UPDATE "LineEvent" SET "status" = 'pushing' WHERE "webhookEventId" = $1`, [event.webhookEventId]);
      }
    }
    if (!userId) return 'none';
    await pushOnce(line, userId, outbox.messages, retryKeyFor('reply', event.webhookEventId));
    return 'push';
  }

  async function processEvent(event: ClaimedEvent): Promise<Answered> {
    const payload = event.payload as webhook.Event;
    const log = childOnFirstLog(deps.log, { webhookEventId: event.webhookEventId });
    const userId = event.userId ?? undefined;
    // Merchant commands work only 1:1: a group or room gets one notice, never the conversation.
    if (sharedChatOf(payload)) return answerSharedChat(line, payload, log);
    const saved = event.outbox as Outbox | null;
    if (saved) return deliver(event, payload, saved, event.status === 'replying', log);
    const input = toInput(payload, config.appSecret);
    if (!input || !userId) return 'none';
    const outbox = await converse(event, payload, userId, input, log);
    return deliver(event, payload, outbox, false, log);
  }

  /** An event that kept failing: tell the user something went wrong (their language, best effort). */
  async function parkEvent(event: ClaimedEvent): Promise<void> {
    if (!event.userId) return;
    const [user] = await db.query<{ language: string }>(`SELECT "language" FROM "LineUser" WHERE "id" = $1`, [event.userId]);
    const language: Language = user && isLanguage(user.language) ? user.language : 'ja';
    const messages = renderReplies([{ kind: 'text', text: translator(language)('errors.failed') }], config.appSecret);
    await pushOnce(line, event.userId, messages, retryKeyFor('parked', event.webhookEventId));
  }

  return { processEvent, parkEvent };
}
