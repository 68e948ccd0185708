// The shop's discount codes in chat, for the owner only: `codes` (クーポン · 쿠폰) lists them with
// their uses and a Stop button each; New code asks, one answer at a time, the code, what it takes
// off (`10%` or `500`), an expiry, a cap on uses, and the links it is for (all, or picked from the
// newest ones). Staff are told politely that codes are the owner's; the effects check the role
// again against the database (perform-effects.ts).
import { commandButton, continueDialog, reply, startDialog, text, type Capability } from '../conversation/machine.js';
import { typedDialog } from '../conversation/typed-dialog.js';
import type { Button, Card, Context, DialogState, Step } from '../conversation/types.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import { clip, formatDateTime, formatPrice } from '../i18n/format.js';
import { parseExpiry, parseUsageLimit } from '../links/link-limits.js';
import { checkCodeText, parseDiscountOff, type DiscountOff } from './discount-rule.js';
import { capSlotsSchema, codeSlotsSchema, expirySlotsSchema, linkSlotsSchema, offSlotsSchema, type CapSlots, type LinkSlots } from './dialog-slots.js';
import type { CodeDraft, DiscountEffect } from './effects.js';
import type { DiscountCodeView } from './list-codes.js';

const DISCOUNT_ACTIONS = {
  list: 'discounts.list',
  create: 'discounts.new',
  deactivate: 'discounts.deactivate',
  noExpiry: 'discounts.noExpiry',
  noCap: 'discounts.noCap',
  allLinks: 'discounts.allLinks',
  pickLink: 'discounts.pickLink',
  linksDone: 'discounts.linksDone',
} as const;

/** Typed words that list the codes, in en / ja / ko. */
const CODES_WORDS = ['codes', 'coupons', 'discounts', 'クーポン', '割引コード', '쿠폰', '할인코드'];

const ASK_CODE = 'discounts.code';
const ASK_OFF = 'discounts.off';
const ASK_EXPIRY = 'discounts.expiry';
const ASK_CAP = 'discounts.cap';
const ASK_LINKS = 'discounts.links';

/** Quick-reply labels are cut by LINE at 20 characters. */
const LINK_LABEL_MAX = 20;
/** Codes shown as cards: a carousel holds 12, and the owner needs the newest. */
const CARDS_MAX = 10;

function run(effect: DiscountEffect, state: DialogState | null = null): Step {
  return { state, replies: [], effect };
}

function ownerOnly(ctx: Context): Step | null {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  return ctx.membership.role === 'owner' ? null : reply(text(ctx.t('discounts:refused.notOwner')));
}

function listButton(ctx: Context): Button {
  return commandButton(ctx.t('discounts:buttons.list'), DISCOUNT_ACTIONS.list);
}

function newButton(ctx: Context): Button {
  return { ...commandButton(ctx.t('discounts:buttons.new'), DISCOUNT_ACTIONS.create), style: 'primary' };
}

function offText(off: DiscountOff | null, ctx: Context): string {
  if (!off) return '—';
  if (off.kind === 'percent') return ctx.t('discounts:values.percentOff', { percent: off.percent });
  return ctx.t('discounts:values.amountOff', { amount: isSupportedCurrency(off.currency) ? formatPrice(off.amount, off.currency, ctx.language) : String(off.amount) });
}

function codeRows(code: DiscountCodeView, ctx: Context): Card['rows'] {
  const uses = code.usageCap === null ? ctx.t('discounts:values.uses', { uses: code.uses }) : ctx.t('discounts:values.usesOfCap', { uses: code.uses, cap: code.usageCap });
  const links = code.links.length === 0 ? ctx.t('discounts:values.allLinks') : code.links.map((link) => link.productName).join(ctx.t('discounts:values.separator'));
  return [
    { label: ctx.t('discounts:fields.off'), value: offText(code.off, ctx) },
    { label: ctx.t('discounts:fields.uses'), value: uses },
    { label: ctx.t('discounts:fields.expiresAt'), value: code.expiresAt ? formatDateTime(code.expiresAt, ctx.language) : ctx.t('discounts:values.noExpiry') },
    { label: ctx.t('discounts:fields.links'), value: links },
    { label: ctx.t('discounts:fields.status'), value: ctx.t(code.active ? 'discounts:values.active' : 'discounts:values.inactive') },
  ];
}

function codeCard(code: DiscountCodeView, ctx: Context): Card {
  return {
    title: code.code,
    rows: codeRows(code, ctx),
    buttons: code.active ? [{ ...commandButton(ctx.t('discounts:buttons.deactivate'), DISCOUNT_ACTIONS.deactivate, [code.id]), style: 'secondary' }] : [],
  };
}

function listed(codes: DiscountCodeView[], ctx: Context): Step {
  if (codes.length === 0) return reply(text(ctx.t('discounts:list.empty'), [newButton(ctx)]));
  const shown = codes.slice(0, CARDS_MAX);
  return reply({ kind: 'carousel', altText: ctx.t('discounts:list.altText', { count: codes.length }), cards: shown.map((code) => codeCard(code, ctx)), quickReplies: [newButton(ctx)] });
}

function list(ctx: Context): Step {
  return ownerOnly(ctx) ?? run({ type: 'discounts.list', merchantId: ctx.membership!.merchantId });
}

// ── New code: code → off → expiry → cap → links ─────────────────────────────

/** The next question; its buttons carry the dialog's id (continueDialog keeps it). */
function ask(state: DialogState, ctx: Context, name: string, slots: Record<string, unknown>, message: string, buttons: Button[] = []): Step {
  return { state: continueDialog(state, ctx, { name, slots }), replies: [text(message, buttons.length > 0 ? buttons : undefined)] };
}

function startNew(ctx: Context): Step {
  const refused = ownerOnly(ctx);
  if (refused) return refused;
  const state = startDialog(ASK_CODE, ctx, {});
  return { state, replies: [text(ctx.t('discounts:ask.code'))] };
}

function askLinks(draft: CodeDraft, state: DialogState, ctx: Context): Step {
  return run({ type: 'discounts.linkChoices', merchantId: ctx.membership!.merchantId }, continueDialog(state, ctx, { name: ASK_LINKS, slots: { draft, choices: [] } }));
}

function linkButtons(slots: LinkSlots, state: DialogState, ctx: Context): Button[] {
  const chosen = new Set(slots.draft.linkIds);
  const buttons: Button[] = [commandButton(ctx.t('discounts:buttons.allLinks'), DISCOUNT_ACTIONS.allLinks, [], state.dialogId)];
  if (chosen.size > 0) buttons.push(commandButton(ctx.t('discounts:buttons.done', { count: chosen.size }), DISCOUNT_ACTIONS.linksDone, [], state.dialogId));
  for (const link of slots.choices) {
    if (!chosen.has(link.id)) buttons.push(commandButton(clip(link.productName, LINK_LABEL_MAX), DISCOUNT_ACTIONS.pickLink, [link.id], state.dialogId));
  }
  return buttons;
}

function showLinkChoices(slots: LinkSlots, state: DialogState, ctx: Context, message: string): Step {
  const next = continueDialog(state, ctx, { slots: { ...slots } });
  return { state: next, replies: [text(message, linkButtons(slots, next, ctx))] };
}

function create(draft: CodeDraft, state: DialogState, ctx: Context): Step {
  return run({ type: 'discounts.create', merchantId: ctx.membership!.merchantId, draft }, continueDialog(state, ctx, {}));
}

const askCode = typedDialog(codeSlotsSchema, (state, _slots, input, ctx) => {
  if (input.kind !== 'text' || input.command) return null;
  const checked = checkCodeText(input.text);
  if (!checked.ok) return { state: continueDialog(state, ctx, {}), replies: [text(ctx.t(`discounts:invalid.code.${checked.reason}`))] };
  return ask(state, ctx, ASK_OFF, { code: checked.code }, ctx.t('discounts:ask.off', { code: checked.code }));
});

const askOff = typedDialog(offSlotsSchema, (state, draft, input, ctx) => {
  if (input.kind !== 'text' || input.command) return null;
  const parsed = parseDiscountOff(input.text);
  if (!parsed.ok) return { state: continueDialog(state, ctx, {}), replies: [text(ctx.t(`discounts:invalid.off.${parsed.reason}`))] };
  return ask(state, ctx, ASK_EXPIRY, { ...draft, off: parsed.off }, ctx.t('discounts:ask.expiry'), [commandButton(ctx.t('discounts:buttons.noExpiry'), DISCOUNT_ACTIONS.noExpiry, [], state.dialogId)]);
});

function askCapStep(draft: CapSlots, state: DialogState, ctx: Context): Step {
  return ask(state, ctx, ASK_CAP, draft, ctx.t('discounts:ask.cap'), [commandButton(ctx.t('discounts:buttons.noCap'), DISCOUNT_ACTIONS.noCap, [], state.dialogId)]);
}

const askExpiry = typedDialog(expirySlotsSchema, (state, draft, input, ctx) => {
  if (input.kind === 'postback' && input.action === DISCOUNT_ACTIONS.noExpiry) return askCapStep({ ...draft, expiresAt: null }, state, ctx);
  if (input.kind !== 'text' || input.command) return null;
  const parsed = parseExpiry(input.text, ctx.now);
  if (!parsed.ok)
    return {
      state: continueDialog(state, ctx, {}),
      replies: [text(ctx.t(`discounts:invalid.expiry.${parsed.reason}`), [commandButton(ctx.t('discounts:buttons.noExpiry'), DISCOUNT_ACTIONS.noExpiry, [], state.dialogId)])],
    };
  return askCapStep({ ...draft, expiresAt: parsed.expiresAt.toISOString() }, state, ctx);
});

const askCap = typedDialog(capSlotsSchema, (state, draft, input, ctx) => {
  let usageCap: number | null;
  if (input.kind === 'postback' && input.action === DISCOUNT_ACTIONS.noCap) usageCap = null;
  else if (input.kind === 'text' && !input.command) {
    const parsed = parseUsageLimit(input.text);
    if (!parsed.ok)
      return { state: continueDialog(state, ctx, {}), replies: [text(ctx.t('discounts:invalid.cap'), [commandButton(ctx.t('discounts:buttons.noCap'), DISCOUNT_ACTIONS.noCap, [], state.dialogId)])] };
    usageCap = parsed.usageLimit;
  } else return null;
  return askLinks({ code: draft.code, off: draft.off, expiresAt: draft.expiresAt, usageCap, linkIds: [] }, state, ctx);
});

const askLinksDialog = typedDialog(linkSlotsSchema, (state, slots, input, ctx) => {
  switch (input.kind) {
    case 'result':
      if (input.result.type === 'discounts.linksListed') {
        const next = { draft: slots.draft, choices: input.result.links };
        if (next.choices.length === 0) return create(next.draft, state, ctx);
        return showLinkChoices(next, state, ctx, ctx.t('discounts:ask.links'));
      }
      return null;
    case 'postback': {
      if (input.action === DISCOUNT_ACTIONS.allLinks) return create({ ...slots.draft, linkIds: [] }, state, ctx);
      if (input.action === DISCOUNT_ACTIONS.linksDone) return create(slots.draft, state, ctx);
      if (input.action !== DISCOUNT_ACTIONS.pickLink) return null;
      const picked = slots.choices.find((link) => link.id === input.args[0]);
      if (!picked) return showLinkChoices(slots, state, ctx, ctx.t('discounts:ask.links'));
      const next = { ...slots, draft: { ...slots.draft, linkIds: [...new Set([...slots.draft.linkIds, picked.id])] } };
      const names = next.choices.filter((link) => next.draft.linkIds.includes(link.id)).map((link) => link.productName);
      return showLinkChoices(next, state, ctx, ctx.t('discounts:ask.linksChosen', { links: names.join(ctx.t('discounts:values.separator')) }));
    }
    case 'text':
      return input.command ? null : showLinkChoices(slots, state, ctx, ctx.t('discounts:ask.links'));
    default:
      return null;
  }
});

export const discountChat: Capability = {
  // Owners reach their codes from help too (every command is also on a button).
  helpButtons: (ctx) => (ctx.membership?.role === 'owner' ? [commandButton(ctx.t('discounts:buttons.list'), DISCOUNT_ACTIONS.list)] : []),
  commands: {
    codes: { words: CODES_WORDS, run: (_command, ctx) => list(ctx) },
  },
  dialogs: { [ASK_CODE]: askCode, [ASK_OFF]: askOff, [ASK_EXPIRY]: askExpiry, [ASK_CAP]: askCap, [ASK_LINKS]: askLinksDialog },
  actions: {
    [DISCOUNT_ACTIONS.list]: (_args, ctx) => list(ctx),
    [DISCOUNT_ACTIONS.create]: (_args, ctx) => startNew(ctx),
    [DISCOUNT_ACTIONS.deactivate]: ([codeId], ctx) => ownerOnly(ctx) ?? (codeId ? run({ type: 'discounts.deactivate', merchantId: ctx.membership!.merchantId, codeId }) : list(ctx)),
  },
  results: {
    'discounts.listed': (result, ctx) => listed(result.codes, ctx),
    'discounts.created': (result, ctx) => reply(text(ctx.t('discounts:created', { code: result.code.code, off: offText(result.code.off, ctx) }), [listButton(ctx)])),
    'discounts.deactivated': (result, ctx) => reply(text(ctx.t('discounts:deactivated', { code: result.code.code }), [listButton(ctx)])),
    'discounts.refused': (result, ctx) => reply(text(ctx.t(`discounts:refused.${result.reason}`), [listButton(ctx)])),
  },
};
