import type { LineBotClient, webhook } from '@line/bot-sdk';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { step as runStep, type Machine } from '../conversation/machine.js';
import { loadState, saveState } from './state-store.js';
import type { Context, Input, Reply } from '../conversation/types.js';
import type { Prisma } from '../db/database.js';
import { isLanguage, translator, type Language } from '../i18n/i18n.js';
import type { ClaimedEvent } from '../inbox/worker.js';
import { replyOrPush, retryKeyFor, pushOnce } from '../line/line-client.js';
import { renderReplies } from '../line/render.js';
import { answerSharedChat, sharedChatOf } from '../line/shared-chat.js';
import { toInput } from '../line/to-input.js';
import type { Logger } from '../logger.js';
import { claimDemoMerchant, findMembership } from '../merchants/membership.js';
import { performEffect } from './effects.js';
import { ensureUser } from './users.js';

export interface BotDeps {
  prisma: Prisma;
  line: LineBotClient;
  config: Config;
  log: Logger;
  machine: Machine;
  now?: () => Date;
}

// A step may ask for an effect whose result feeds the next step; this bounds that chain.
const MAX_EFFECT_ROUNDS = 4;

interface Outbox {
  messages: ReturnType<typeof renderReplies>;
}

export function createBot(deps: BotDeps) {
  const { prisma, line, config, machine } = deps;
  const now = deps.now ?? (() => new Date());

  async function buildContext(userId: string, language: Language, activeMerchantId: string | null): Promise<Context> {
    let membership = await findMembership(prisma, userId, activeMerchantId);
    if (!membership && config.localMode && (await claimDemoMerchant(prisma, userId))) {
      membership = await findMembership(prisma, userId, activeMerchantId);
    }
    return { now: now(), language, t: translator(language), membership, localMode: config.localMode, newDialogId: randomUUID().slice(0, 8) };
  }

  /** Runs the conversation for one input; saves the next state and the rendered replies together. */
  async function converse(event: ClaimedEvent, payload: webhook.Event, userId: string, input: Input, log: Logger): Promise<Outbox> {
    const user = await ensureUser(prisma, line, userId, log);
    const loaded = await loadState(prisma, userId);
    let ctx = await buildContext(userId, user.language, user.activeMerchantId);
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
      });
      if (outcome.type === 'languageSet' && isLanguage(outcome.language)) {
        ctx = { ...ctx, language: outcome.language, t: translator(outcome.language) };
      }
      next = { kind: 'result', result: outcome };
    }

    const outbox: Outbox = { messages: renderReplies(replies, config.appSecret) };
    await prisma.$transaction(async (tx) => {
      await saveState(tx, userId, loaded, state);
      await tx.lineEvent.update({
        where: { webhookEventId: event.webhookEventId },
        data: { outbox: outbox as object, status: 'replying' },
      });
    });
    log.info({ eventType: payload.type, input: input.kind, replies: replies.length }, 'conversation step');
    return outbox;
  }

  async function processEvent(event: ClaimedEvent): Promise<void> {
    const payload = event.payload as webhook.Event;
    const log = deps.log.child({ webhookEventId: event.webhookEventId });
    const userId = event.userId ?? undefined;
    const replyToken = 'replyToken' in payload ? (payload.replyToken as string | undefined) : undefined;
    // Merchant commands work only 1:1: a group or room gets one notice, never the conversation.
    if (sharedChatOf(payload)) return answerSharedChat(line, payload, log);

    let outbox = event.outbox as Outbox | null;
    if (!outbox) {
      const input = toInput(payload, config.appSecret);
      if (!input || !userId) return;
      outbox = await converse(event, payload, userId, input, log);
    }
    const via = await replyOrPush(line, { replyToken, userId, retryKey: retryKeyFor('reply', event.webhookEventId) }, outbox.messages, log);
    log.debug({ via, messages: outbox.messages.length }, 'replies sent');
  }

  /** An event that kept failing: tell the user something went wrong (their language, best effort). */
  async function parkEvent(event: ClaimedEvent): Promise<void> {
    if (!event.userId) return;
    const user = await prisma.lineUser.findUnique({ where: { id: event.userId } });
    const language: Language = user && isLanguage(user.language) ? user.language : 'ja';
    const messages = renderReplies([{ kind: 'text', text: translator(language)('errors.failed') }], config.appSecret);
    await pushOnce(line, event.userId, messages, retryKeyFor('parked', event.webhookEventId));
  }

  return { processEvent, parkEvent };
}

export type Bot = ReturnType<typeof createBot>;
