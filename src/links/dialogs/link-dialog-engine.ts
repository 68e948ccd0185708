import type { MatchedCommand } from '../../conversation/commands.js';
import { commandButton, continueDialog, reply, startDialog, text, type DialogHandler } from '../../conversation/machine.js';
import { SHOP_PROFILE_ACTION } from '../../merchants/chat.js';
import type { Context, DialogState, EffectResult, Reply, Step } from '../../conversation/types.js';
import { linkCard, issuedLinkReplies, notOfferedText } from '../link-card.js';
import { isComplete, type LinkDraft } from '../link-draft.js';
import type { LinkEffect } from '../effects.js';
import type { LinkView } from '../link-view.js';
import { isSkipWord } from '../fields/field-words.js';
import { linkField } from '../fields/link-fields.js';
import { HISTORY_MAX, readSlots, type LinkDialogSlots, type LinkDialogStep } from './dialog-slots.js';
import type { LinkFlow } from './link-flow.js';
import { moreOptionsReply } from './more-options.js';
import { promptFor } from './step-prompts.js';

/** One input being handled: the dialog as stored plus what this step may use. */
export interface Turn {
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
export function ask(turn: Turn, slots: LinkDialogSlots, lead: Reply[] = []): Step {
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
  const next = turn.flow.next(slots);
  return next === 'issue' ? issue(turn, slots) : goTo(turn, slots, next, lead);
}

function withDraft(slots: LinkDialogSlots, changes: Partial<LinkDraft>): LinkDialogSlots {
  return { ...slots, draft: { ...slots.draft, ...changes } };
}

/** A text (or a tapped choice, which arrives as its value) answering the current step. */
function answerText(turn: Turn, slots: LinkDialogSlots, answer: string): Step {
  const field = linkField(slots.step);
  if (!field) return ask(turn, slots, [text(turn.ctx.t('links:dialog.useButtons'))]);
  if (field.skip && isSkipWord(answer)) return advance(turn, withDraft(slots, field.skip.changes(slots.draft)));
  const parsed = field.parse(answer, turn.ctx, slots.draft);
  if (!parsed.ok) return ask(turn, slots, [text(parsed.error)]);
  const answered = withDraft(slots, parsed.changes);
  if (field.id !== 'name') return advance(turn, answered);
  // The create effect itself refuses a taken name; asking first spares the other answers.
  if (turn.flow.issuesOnName(slots)) return issue(turn, answered);
  return stay(turn, answered, [], { type: 'links.checkName', merchantId: turn.merchantId, productName: answered.draft.productName ?? '' });
}

function skip(turn: Turn, slots: LinkDialogSlots): Step {
  if (!linkField(slots.step)?.skip) return ask(turn, slots, [text(turn.ctx.t('links:dialog.useButtons'))]);
  return answerText(turn, slots, 'skip');
}

function edit(turn: Turn, slots: LinkDialogSlots, id: string | undefined): Step {
  const field = linkField(id);
  if (!field || !turn.flow.mayEdit(slots, field)) return ask(turn, slots, [text(turn.ctx.t('links:dialog.useButtons'))]);
  return goTo(turn, slots, field.id);
}

/** The review card's "More options" carousel, and the way back to the card; only while reviewing. */
function reviewAside(turn: Turn, slots: LinkDialogSlots, action: 'links.more' | 'links.review'): Step {
  if (slots.step !== 'review') return ask(turn, slots, [text(turn.ctx.t('links:dialog.useButtons'))]);
  return action === 'links.more' ? stay(turn, slots, [moreOptionsReply(slots.draft, turn.state.dialogId, turn.ctx)]) : ask(turn, slots);
}

function handlePostback(turn: Turn, slots: LinkDialogSlots, action: string, args: string[]): Step {
  const { t } = turn.ctx;
  const useButtons = (): Step => ask(turn, slots, [text(t('links:dialog.useButtons'))]);
  switch (action) {
    case 'cancel':
      return reply(text(t('dialog.cancelled')));
    case 'back':
      return back(turn, slots);
    case 'links.advanced':
      if (turn.flow.name !== 'quick' || (slots.step !== 'amount' && slots.step !== 'name')) return ask(turn, slots);
      return ask(turn, { ...slots, advanced: true }, [text(t('links:quick.advancedOn'))]);
    case 'links.skip':
      return skip(turn, slots);
    case 'links.pick': {
      // Only a value this step offers as a button: a pick never sneaks a typed-looking answer in.
      const [value] = args;
      const field = linkField(slots.step);
      const offered = field ? [...field.choices(turn.ctx, slots.draft).map((choice) => choice.value), ...(field.skip?.noneLabel ? ['none'] : [])] : [];
      if (value === undefined || !offered.includes(value)) return useButtons();
      return answerText(turn, slots, value);
    }
    case 'links.edit':
      return edit(turn, slots, args[0]);
    case 'links.more':
    case 'links.review':
      return reviewAside(turn, slots, action);
    case 'links.save':
    case 'links.issue':
      if (action !== turn.flow.finish.action || slots.step !== turn.flow.finish.step) return useButtons();
      return issue(turn, slots);
    default:
      return useButtons();
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
      if (outcome.reason === 'paymentTypes') return goTo(turn, slots, 'paymentTypes', [text(notOfferedText(outcome.notOffered, outcome.offered, ctx))]);
      if (outcome.reason === 'legalNotice')
        return reply(
          text(ctx.t('links:errors.legalNotice', { items: outcome.missing.map((item) => ctx.t(`shop:fields.${item}`)).join(ctx.t('shop:listSeparator')) }), [
            commandButton(ctx.t('merchants:buttons.profile'), SHOP_PROFILE_ACTION),
          ]),
        );
      return ask(turn, slots, [text(ctx.t('links:errors.invalid'))]);
    default:
      return null;
  }
}

function handleText(turn: Turn, slots: LinkDialogSlots, answer: string, matched: MatchedCommand | null): Step | null {
  // In free-text steps "Summary book" is a product name; only a bare command word is a command.
  const freeText = linkField(slots.step)?.freeText ?? false;
  if (matched && !(freeText && matched.argument !== '')) {
    if (matched.command === 'back') return back(turn, slots);
    if (matched.command === 'help') return ask(turn, slots, [text(turn.ctx.t('links:dialog.hint'))]);
    // A word that is both a command and this choice step's answer (`今日` / `today` for the expiry) answers it.
    if (!freeText && linkField(slots.step)?.parse(answer, turn.ctx, slots.draft).ok) return answerText(turn, slots, answer);
    // Any other command leaves this dialog and runs as usual (e.g. `quick` starts over).
    return null;
  }
  return answerText(turn, slots, answer);
}

/** The dialog handler of a flow: the same engine for quick and create. */
export function linkDialog(flow: LinkFlow): DialogHandler {
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

/** Starts a flow at `slots`, its first reply led by `lead`. */
export function startFlow(flow: LinkFlow, slots: LinkDialogSlots, ctx: Context, first: (turn: Turn) => Step): Step {
  const state = startDialog(flow.dialog, ctx, slots);
  return first({ flow, state, ctx, merchantId: slots.merchantId });
}

/** `quick` / `create`, optionally with the amount already typed (`quick 1500`). */
export function startLinkDialog(flow: LinkFlow, command: MatchedCommand, ctx: Context): Step {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  const slots: LinkDialogSlots = { merchantId: ctx.membership.merchantId, step: 'amount', draft: {}, history: [], advanced: false, reviewed: false };
  const first = startFlow(flow, slots, ctx, (turn) => (command.argument === '' ? ask(turn, slots) : answerText(turn, slots, command.argument)));
  // The introduction rides on the first message, so the merchant sees one bubble, not two.
  const [head, ...rest] = first.replies;
  const intro = ctx.t(`links:${flow.name}.intro`);
  const replies: Reply[] = head?.kind === 'text' ? [{ ...head, text: `${intro}\n\n${head.text}` }, ...rest] : [text(intro), ...first.replies];
  return { ...first, replies };
}
