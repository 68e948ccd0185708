import { createMachine } from '../../src/bot/capabilities.js';
import { step } from '../../src/conversation/machine.js';
import type { Button, Context, DialogState, EffectResult, Input, Membership, Reply, Step } from '../../src/conversation/types.js';
import type { Language } from '../../src/i18n/i18n.js';
import type { LinkView } from '../../src/links/link-view.js';
import { testContext } from './context.js';

export const NOW = new Date('2026-11-28T03:00:00.000Z');
export const MEMBERSHIP: Membership = { merchantId: 'm-1', merchantName: 'Tanaka Shop', role: 'owner' };

const machine = createMachine();

export function contextFor(language: Language = 'en', overrides: Partial<Context> = {}): Context {
  return testContext({ now: NOW, language, membership: MEMBERSHIP, ...overrides });
}

export function linkView(overrides: Partial<LinkView> = {}): LinkView {
  const slug = overrides.slug ?? 'AbCdEfGhIjKlMnOp';
  return {
    id: 'lnk_1',
    slug,
    productName: 'Tシャツ',
    amount: 1500,
    currency: 'JPY',
    description: '',
    imageId: null,
    imageUrl: null,
    language: 'ja',
    status: 'active',
    usageLimit: null,
    quantityMin: 1,
    quantityMax: 1,
    buyerFields: { ask: [], question: null },
    afterPaymentMessage: null,
    paymentTypes: [],
    expiresAt: null,
    testMode: true,
    url: `https://pay.example/l/${slug}`,
    qrUrl: `https://pay.example/qr/${slug}.png`,
    createdAt: NOW.toISOString(),
    ...overrides,
  };
}

/** Every button of a reply: quick replies and card buttons. */
export function buttonsOf(replies: Reply[]): Button[] {
  return replies.flatMap((reply) => [
    ...(reply.kind !== 'image' ? (reply.quickReplies ?? []) : []),
    ...(reply.kind === 'card' ? reply.card.buttons : []),
    ...(reply.kind === 'carousel' ? reply.cards.flatMap((card) => card.buttons) : []),
  ]);
}

function textOf(replies: Reply[]): string {
  return replies
    .map((reply) => {
      switch (reply.kind) {
        case 'text':
          return reply.text;
        case 'card':
          return [reply.altText, reply.card.title, reply.card.subtitle, ...reply.card.rows.map((row) => `${row.label}: ${row.value}`), reply.card.footnote].join('\n');
        case 'carousel':
          return reply.altText;
        case 'image':
          return `[image ${reply.url}]`;
      }
    })
    .join('\n');
}

/** Drives the pure core one input at a time, remembering the state like the bot does. */
export class DialogDriver {
  state: DialogState | null = null;
  last: Step = { state: null, replies: [] };
  ctx: Context;

  constructor(language: Language = 'en', overrides: Partial<Context> = {}) {
    this.ctx = contextFor(language, overrides);
  }

  send(input: Input): Step {
    this.last = step(machine, this.state, input, this.ctx);
    this.state = this.last.state;
    return this.last;
  }

  say(text: string): Step {
    return this.send({ kind: 'text', text });
  }

  /** Taps a button (by label) shown in the last replies. */
  tap(label: string): Step {
    const button = buttonsOf(this.last.replies).find((candidate) => candidate.label === label);
    if (!button)
      throw new Error(
        `no button "${label}" in: ${buttonsOf(this.last.replies)
          .map((b) => b.label)
          .join(', ')}`,
      );
    if (button.action.type !== 'command') throw new Error(`button "${label}" is not a command`);
    return this.send({ kind: 'postback', action: button.action.action, args: button.action.args ?? [], dialogId: button.action.dialogId ?? null });
  }

  /** The outcome of the effect the last step asked for. */
  result(result: EffectResult): Step {
    return this.send({ kind: 'result', result });
  }

  get slots(): Record<string, unknown> {
    return this.state?.slots ?? {};
  }

  get text(): string {
    return textOf(this.last.replies);
  }

  get labels(): string[] {
    return buttonsOf(this.last.replies).map((button) => button.label);
  }
}
