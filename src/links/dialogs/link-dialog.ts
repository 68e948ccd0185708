import type { MatchedCommand } from '../../conversation/commands.js';
import { commandButton, continueDialog, reply, startDialog, text, type DialogHandler } from '../../conversation/machine.js';
import { SHOP_PROFILE_ACTION } from '../../merchants/chat.js';
import type { Context, DialogState, EffectResult, Reply, Step } from '../../conversation/types.js';
import { AMOUNT_INPUT_MAX, parseAmount, type AmountError } from '../amount.js';
import { SUPPORTED_CURRENCIES, currencyDecimals, maxAmount, type Currency } from '../../i18n/currency.js';
import { amountExample, formatPrice } from '../../i18n/format.js';
import { linkCard, issuedLinkReplies } from '../link-card.js';
import { isComplete, type LinkDraft } from '../link-draft.js';
import type { LinkEffect } from '../effects.js';
import { USAGE_LIMIT_MAX, parseExpiry, parseUsageLimit } from '../link-limits.js';
import type { LinkView } from '../link-view.js';
import { QUANTITY_MAX, parseQuantityRange, quantityRangeProblem } from '../quantity.js';
import { parsePaymentTypes } from '../payment-types.js';
import { CHOICES_MAX, CHOICE_MAX, QUESTION_MAX, parseBuyerDetailKinds, parseQuestion } from '../buyer-fields.js';
import { AFTER_PAYMENT_MAX, DESCRIPTION_MAX, PRODUCT_NAME_MAX, normalizeProductName, validateAfterPaymentMessage, validateDescription } from '../product-name.js';
import { ADVANCED_STEPS, HISTORY_MAX, isEditableStep, readSlots, type LinkDialogSlots, type LinkDialogStep } from './dialog-slots.js';
import { isSkipWord, readLanguage, readStatus } from './field-answers.js';
import { promptFor, type LinkFlow } from './step-prompts.js';

export const QUICK_DIALOG = 'links.quick';
export const CREATE_DIALOG = 'links.create';

const CREATE_ORDER: readonly LinkDialogStep[] = ['amount', 'name', 'description', 'image', 'language', 'status', 'review'];

/** One input being handled: the dialog as stored plus what this step may use. */
interface Turn {
  flow: LinkFlow;
  state: DialogState;
  ctx: Context;
  merchantId: string;
}

function stay(turn: Turn, slots: LinkDialogSlots, replies: Reply[], effect?: LinkEffect): Step {
  const state = continueDialog(turn.state, turn.ctx, { slots });
  return effect ? { state, replies, effect } : { state, replies };
}

/** Asks the current step's question again, after `lead` (an error, a confirmation, …). */
function ask(turn: Turn, slots: LinkDialogSlots, lead: Reply[] = []): Step {
  return stay(turn, slots, [...lead, ...promptFor(turn.flow, slots, turn.state.dialogId, turn.ctx)]);
}

function goTo(turn: Turn, slots: LinkDialogSlots, next: LinkDialogStep, lead: Reply[] = []): Step {
  const history = [...slots.history, slots.step].slice(-HISTORY_MAX);
  return ask(turn, { ...slots, step: next, history, reviewed: slots.reviewed || next === 'review' }, lead);
}

function back(turn: Turn, slots: LinkDialogSlots): Step {
  const previous = slots.history.at(-1);
  if (!previous) return ask(turn, slots, [text(turn.ctx.t('dialog.nothingToGoBack'))]);
  return ask(turn, { ...slots, step: previous, history: slots.history.slice(0, -1) });
}

/** Asks the create effect to issue the link; its result arrives as the next input. */
function issue(turn: Turn, slots: LinkDialogSlots): Step {
  const { draft } = slots;
  if (!isComplete(draft)) return goTo(turn, slots, draft.amount === undefined || !draft.currency ? 'amount' : 'name');
  const complete = { ...draft, language: draft.language ?? turn.ctx.language, status: draft.status ?? 'active' };
  return stay(turn, slots, [], { type: 'links.create', merchantId: turn.merchantId, draft: complete });
}

/** The step after the current one has been answered. */
function advance(turn: Turn, slots: LinkDialogSlots, lead: Reply[] = []): Step {
  if (turn.flow === 'create') {
    if (slots.reviewed) return goTo(turn, slots, 'review', lead);
    const next = CREATE_ORDER[CREATE_ORDER.indexOf(slots.step) + 1] ?? 'review';
    return goTo(turn, slots, next, lead);
  }
  if (slots.step === 'amount') return goTo(turn, slots, 'name', lead);
  if (slots.step === 'name' && !slots.advanced) return issue(turn, slots);
  return goTo(turn, slots, 'advanced', lead);
}

function withDraft(slots: LinkDialogSlots, changes: Partial<LinkDraft>): LinkDialogSlots {
  return { ...slots, draft: { ...slots.draft, ...changes } };
}

function amountError(reason: AmountError, ctx: Context, currency: Currency): string {
  switch (reason) {
    case 'too_many_decimals': {
      const decimals = currencyDecimals(currency);
      const key = decimals === 0 ? 'links:amount.errors.no_decimals' : 'links:amount.errors.too_many_decimals';
      return ctx.t(key, { currency, decimals, example: amountExample(currency) });
    }
    case 'too_large':
      return ctx.t('links:amount.errors.too_large', { max: formatPrice(maxAmount(currency), currency, ctx.language) });
    case 'unknown_currency':
      return ctx.t('links:amount.errors.unknown_currency', { currencies: SUPPORTED_CURRENCIES.join(', ') });
    case 'too_long':
    case 'empty':
      return ctx.t('links:amount.errors.not_a_number');
    default:
      return ctx.t(`links:amount.errors.${reason}`);
  }
}

/** Which currency an error talks about: the one typed if recognisable, else the default. */
function currencyMentioned(input: string): Currency {
  const parsed = parseAmount(`1 ${input.replace(/[\d.,\s\-\u2212]/g, '').slice(0, 8)}`);
  return parsed.ok ? parsed.currency : 'JPY';
}

function answerAmount(turn: Turn, slots: LinkDialogSlots, answer: string): Step {
  const parsed = parseAmount(answer);
  if (!parsed.ok) {
    const currency = answer.length <= AMOUNT_INPUT_MAX ? currencyMentioned(answer) : 'JPY';
    return ask(turn, slots, [text(amountError(parsed.reason, turn.ctx, currency))]);
  }
  return advance(turn, withDraft(slots, { amount: parsed.amount, currency: parsed.currency }));
}

function answerName(turn: Turn, slots: LinkDialogSlots, answer: string): Step {
  const name = normalizeProductName(answer);
  if (!name.ok) return ask(turn, slots, [text(turn.ctx.t(`links:name.errors.${name.reason}`, { max: PRODUCT_NAME_MAX }))]);
  const named = withDraft(slots, { productName: name.name });
  // Quick links are issued straight away; the create effect itself refuses a taken name.
  if (turn.flow === 'quick' && !slots.advanced) return issue(turn, named);
  return stay(turn, named, [], { type: 'links.checkName', merchantId: turn.merchantId, productName: name.name });
}

/** A text (or a tapped choice, which arrives as its value) answering the current step. */
function answerText(turn: Turn, slots: LinkDialogSlots, answer: string): Step {
  const { t } = turn.ctx;
  switch (slots.step) {
    case 'amount':
      return answerAmount(turn, slots, answer);
    case 'name':
      return answerName(turn, slots, answer);
    case 'description': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { description: slots.draft.description ?? '' }));
      const description = validateDescription(answer);
      if (!description.ok) return ask(turn, slots, [text(t('links:description.tooLong', { max: DESCRIPTION_MAX }))]);
      return advance(turn, withDraft(slots, { description: description.text }));
    }
    case 'image':
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { imageId: slots.draft.imageId ?? null }));
      if (answer === 'remove') return advance(turn, withDraft(slots, { imageId: null, imageUrl: null }));
      return ask(turn, slots, [text(t('links:image.expected'))]);
    case 'language': {
      const language = readLanguage(answer);
      if (!language) return ask(turn, slots, [text(t('links:language.invalid'))]);
      return advance(turn, withDraft(slots, { language }));
    }
    case 'status': {
      const status = readStatus(answer);
      if (!status) return ask(turn, slots, [text(t('links:status.invalid'))]);
      return advance(turn, withDraft(slots, { status }));
    }
    case 'usageLimit': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { usageLimit: null }));
      const limit = parseUsageLimit(answer);
      if (!limit.ok) return ask(turn, slots, [text(t(`links:usageLimit.errors.${limit.reason}`, { max: USAGE_LIMIT_MAX }))]);
      return advance(turn, withDraft(slots, { usageLimit: limit.usageLimit }));
    }
    case 'quantity': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { quantityMin: 1, quantityMax: 1 }));
      const parsed = parseQuantityRange(answer);
      const { draft } = slots;
      const problem = parsed.ok ? quantityRangeProblem(parsed.range, draft) : parsed.reason;
      if (!parsed.ok || problem) {
        const max = draft.amount && draft.currency ? Math.min(QUANTITY_MAX, Math.floor(maxAmount(draft.currency) / draft.amount)) : QUANTITY_MAX;
        return ask(turn, slots, [text(t(`links:quantity.errors.${problem ?? 'not_a_range'}`, { max, limit: draft.usageLimit ?? 0 }))]);
      }
      return advance(turn, withDraft(slots, { quantityMin: parsed.range.min, quantityMax: parsed.range.max }));
    }
    case 'buyerAsk': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { buyerAsk: [] }));
      const kinds = parseBuyerDetailKinds(answer);
      if (!kinds) return ask(turn, slots, [text(t('links:buyerAsk.invalid'))]);
      return advance(turn, withDraft(slots, { buyerAsk: kinds }));
    }
    case 'question': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { question: null }));
      const parsed = parseQuestion(answer);
      if (!parsed.ok) return ask(turn, slots, [text(t(`links:question.errors.${parsed.reason}`, { max: QUESTION_MAX, choices: CHOICES_MAX, choiceMax: CHOICE_MAX }))]);
      return advance(turn, withDraft(slots, { question: parsed.question }));
    }
    case 'afterPayment': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { afterPaymentMessage: slots.draft.afterPaymentMessage ?? '' }));
      const message = validateAfterPaymentMessage(answer);
      if (!message.ok) return ask(turn, slots, [text(t('links:afterPayment.tooLong', { max: AFTER_PAYMENT_MAX }))]);
      return advance(turn, withDraft(slots, { afterPaymentMessage: message.text }));
    }
    case 'paymentTypes': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { paymentTypes: [] }));
      const types = parsePaymentTypes(answer);
      if (!types) return ask(turn, slots, [text(t('links:paymentTypes.invalid'))]);
      return advance(turn, withDraft(slots, { paymentTypes: types }));
    }
    case 'expiry': {
      if (isSkipWord(answer)) return advance(turn, withDraft(slots, { expiresAt: null }));
      const expiry = parseExpiry(answer, turn.ctx.now);
      if (!expiry.ok) return ask(turn, slots, [text(t(`links:expiry.errors.${expiry.reason}`))]);
      return advance(turn, withDraft(slots, { expiresAt: expiry.expiresAt.toISOString() }));
    }
    case 'review':
    case 'advanced':
      return ask(turn, slots, [text(t('links:dialog.useButtons'))]);
  }
}

function skip(turn: Turn, slots: LinkDialogSlots): Step {
  const optional: readonly LinkDialogStep[] = ['description', 'image', 'usageLimit', 'quantity', 'buyerAsk', 'question', 'afterPayment', 'paymentTypes', 'expiry'];
  if (!optional.includes(slots.step)) return ask(turn, slots, [text(turn.ctx.t('links:dialog.useButtons'))]);
  return answerText(turn, slots, 'skip');
}

function edit(turn: Turn, slots: LinkDialogSlots, field: string | undefined): Step {
  const allowed = isEditableStep(field) && (slots.step === 'review' || (slots.step === 'advanced' && ADVANCED_STEPS.includes(field)));
  if (!allowed) return ask(turn, slots, [text(turn.ctx.t('links:dialog.useButtons'))]);
  return goTo(turn, slots, field);
}

function handlePostback(turn: Turn, slots: LinkDialogSlots, action: string, args: string[]): Step {
  const { t } = turn.ctx;
  switch (action) {
    case 'cancel':
      return reply(text(t('dialog.cancelled')));
    case 'back':
      return back(turn, slots);
    case 'links.advanced':
      if (turn.flow !== 'quick' || (slots.step !== 'amount' && slots.step !== 'name')) return ask(turn, slots);
      return ask(turn, { ...slots, advanced: true }, [text(t('links:quick.advancedOn'))]);
    case 'links.skip':
      return skip(turn, slots);
    case 'links.pick': {
      const choiceSteps: readonly LinkDialogStep[] = ['image', 'language', 'status', 'usageLimit', 'quantity', 'buyerAsk', 'question', 'paymentTypes', 'expiry'];
      const [value] = args;
      if (value === undefined || !choiceSteps.includes(slots.step)) return ask(turn, slots, [text(t('links:dialog.useButtons'))]);
      return answerText(turn, slots, value);
    }
    case 'links.edit':
      return edit(turn, slots, args[0]);
    case 'links.save':
      if (slots.step !== 'review') return ask(turn, slots, [text(t('links:dialog.useButtons'))]);
      return issue(turn, slots);
    case 'links.issue':
      if (slots.step !== 'advanced') return ask(turn, slots, [text(t('links:dialog.useButtons'))]);
      return issue(turn, slots);
    default:
      return ask(turn, slots, [text(t('links:dialog.useButtons'))]);
  }
}

/**
 * "You already have a link called X" with that link's card: to share instead while it takes
 * payments, or, when it does not, a pointer to reactivating it rather than "share this one".
 */
export function duplicateReplies(existing: LinkView, ctx: Context): Reply[] {
  const closed = existing.status === 'inactive' || (existing.expiresAt !== null && new Date(existing.expiresAt) <= ctx.now);
  return [
    text(ctx.t(closed ? 'links:name.takenClosed' : 'links:name.taken', { name: existing.productName })),
    { kind: 'card', altText: ctx.t('links:issued.altText', { product: existing.productName, url: existing.url }), card: linkCard(existing, ctx) },
  ];
}

/** Outcomes of this dialog's effects; anything else is not for it. */
function handleResult(turn: Turn, slots: LinkDialogSlots, outcome: EffectResult): Step | null {
  const { ctx } = turn;
  switch (outcome.type) {
    case 'links.nameChecked':
      if (slots.step !== 'name') return ask(turn, slots);
      if (outcome.existing) return ask(turn, withDraft(slots, { productName: undefined }), duplicateReplies(outcome.existing, ctx));
      return advance(turn, withDraft(slots, { productName: outcome.productName }));
    case 'links.imageFetched':
      if (slots.step !== 'image') return ask(turn, slots);
      if (!outcome.ok) return ask(turn, slots, [text(ctx.t(`links:image.errors.${outcome.reason}`))]);
      return advance(turn, withDraft(slots, { imageId: outcome.mediaId, imageUrl: outcome.imageUrl }), [text(ctx.t('links:image.saved'))]);
    case 'links.created':
      return reply(...issuedLinkReplies(outcome.link, ctx));
    case 'links.duplicate': {
      const renamed = withDraft(slots, { productName: undefined });
      const lead = duplicateReplies(outcome.existing, ctx);
      return slots.step === 'name' ? ask(turn, renamed, lead) : goTo(turn, renamed, 'name', lead);
    }
    case 'links.rejected':
      if (outcome.reason === 'notMember') return reply(text(ctx.t('auth.notMember')));
      if (outcome.reason === 'legalNotice') return reply(text(ctx.t('links:errors.legalNotice'), [commandButton(ctx.t('merchants:buttons.profile'), SHOP_PROFILE_ACTION)]));
      return ask(turn, slots, [text(ctx.t('links:errors.invalid'))]);
    default:
      return null;
  }
}

const FREE_TEXT_STEPS: readonly LinkDialogStep[] = ['name', 'description', 'question', 'afterPayment'];

function handleText(turn: Turn, slots: LinkDialogSlots, answer: string, matched: MatchedCommand | null): Step | null {
  // In free-text steps "Summary book" is a product name; only a bare command word is a command.
  if (matched && !(FREE_TEXT_STEPS.includes(slots.step) && matched.argument !== '')) {
    if (matched.command === 'back') return back(turn, slots);
    if (matched.command === 'help') return ask(turn, slots, [text(turn.ctx.t('links:dialog.hint'))]);
    // Any other command leaves this dialog and runs as usual (e.g. `quick` starts over).
    return null;
  }
  return answerText(turn, slots, answer);
}

function linkDialog(flow: LinkFlow): DialogHandler {
  return (state, input, ctx) => {
    const slots = readSlots(state.slots);
    if (!slots) return reply(text(ctx.t('dialog.reset')));
    if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
    // The user switched shops mid-dialog: what was written (and any photo) belongs to the other one.
    if (ctx.membership.merchantId !== slots.merchantId) return reply(text(ctx.t('links:dialog.merchantChanged')));
    const turn: Turn = { flow, state, ctx, merchantId: slots.merchantId };
    switch (input.kind) {
      case 'result':
        return handleResult(turn, slots, input.result);
      case 'text':
        return handleText(turn, slots, input.text, input.command);
      case 'postback':
        // Buttons outside any dialog (a card's Summary, the rich menu) are handled globally.
        if (input.dialogId === null) return null;
        return handlePostback(turn, slots, input.action, input.args);
      case 'image':
        if (slots.step !== 'image') return ask(turn, slots, [text(ctx.t('links:image.notHere'))]);
        return stay(turn, slots, [], { type: 'links.fetchImage', merchantId: turn.merchantId, messageId: input.messageId });
      default:
        return ask(turn, slots, [text(ctx.t('links:dialog.hint'))]);
    }
  };
}

export const quickLinkDialog = linkDialog('quick');
export const createLinkDialog = linkDialog('create');

/** What a duplicated link starts from (the source link's own fields). */
export interface DuplicateSource {
  productName: string;
  amount: number;
  currency: Currency;
  description: string;
  language: LinkDraft['language'];
  imageId: string | null;
  imageUrl: string | null;
}

/**
 * "Duplicate" on a link's card: `create` pre-filled with the link's price, description, photo and
 * page language, asking first for a new name (names stay unique per shop), then the review card.
 * Usage limit and expiry are not copied: a new link starts open, and the owner sets them anew.
 */
export function startDuplicateDialog(source: DuplicateSource, ctx: Context): Step {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  const draft: LinkDraft = {
    amount: source.amount,
    currency: source.currency,
    description: source.description,
    imageId: source.imageId,
    imageUrl: source.imageUrl,
    ...(source.language ? { language: source.language } : {}),
    status: 'active',
  };
  const slots: LinkDialogSlots = { merchantId: ctx.membership.merchantId, step: 'name', draft, history: [], advanced: false, reviewed: true };
  const state = startDialog(CREATE_DIALOG, ctx, slots);
  const turn: Turn = { flow: 'create', state, ctx, merchantId: ctx.membership.merchantId };
  return ask(turn, slots, [text(ctx.t('links:duplicate.intro', { name: source.productName }))]);
}

/** `quick` / `create`, optionally with the amount already typed (`quick 1500`). */
export function startLinkDialog(flow: LinkFlow, command: MatchedCommand, ctx: Context): Step {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  const slots: LinkDialogSlots = { merchantId: ctx.membership.merchantId, step: 'amount', draft: {}, history: [], advanced: false, reviewed: false };
  const state = startDialog(flow === 'quick' ? QUICK_DIALOG : CREATE_DIALOG, ctx, slots);
  const turn: Turn = { flow, state, ctx, merchantId: ctx.membership.merchantId };
  const first = command.argument === '' ? ask(turn, slots) : answerAmount(turn, slots, command.argument);
  // The introduction rides on the first message, so the merchant sees one bubble, not two.
  const [head, ...rest] = first.replies;
  const intro = ctx.t(`links:${flow}.intro`);
  const replies: Reply[] = head?.kind === 'text' ? [{ ...head, text: `${intro}\n\n${head.text}` }, ...rest] : [text(intro), ...first.replies];
  return { ...first, replies };
}
