import { z } from 'zod';
import { commandButton, continueDialog, reply, startDialog, text, type DialogHandler } from '../../conversation/machine.js';
import type { Button, Context, DialogState, EffectResult, Reply, Step } from '../../conversation/types.js';
import { linkCard, notOfferedText } from '../link-card.js';
import { linkDraftSchema, type LinkDraft } from '../link-draft.js';
import type { LinkView } from '../link-view.js';
import type { LinkEffect } from '../effects.js';
import { isImmutableLinkField, mayChangeLinkField } from '../update-link.js';
import { isSkipWord } from '../fields/field-words.js';
import { EDITABLE_FIELDS, LINK_FIELDS, linkField, type AnyLinkField } from '../fields/link-fields.js';
import { fieldLabel, fieldRows } from './draft-card.js';

export const EDIT_MENU = 'sales.edit';
export const EDIT_VALUE = 'sales.editValue';
/** Postback actions inside the edit dialog (always stamped with its dialog id; names kept for buttons already sent). */
const EDIT_FIELD_ACTION = 'sales.editField';
const EDIT_VALUE_ACTION = 'sales.editValue';
const EDIT_MENU_ACTION = 'sales.editMenu';
/** The button value meaning "none" (No limit, No expiry, remove…). */
const NONE = 'none';

/** Field names of Edit buttons sent before the fields had one name in every dialog. */
const FORMER_FIELD_NAMES: Record<string, string> = { productName: 'name', expiresAt: 'expiry', afterPaymentMessage: 'afterPayment' };

const editSlotsSchema = z.object({
  linkId: z.string().min(1),
  /** The link as it was when the dialog started (what each question shows as "now"). */
  draft: linkDraftSchema,
  /** The field whose new value is awaited. */
  field: z.string().optional(),
  /** A name just sent, to say which one is taken if the save is refused. */
  attemptedName: z.string().optional(),
});
type EditSlots = z.infer<typeof editSlotsSchema>;

/** The issued link in the dialogs' terms, so every field reads and describes it as create does. */
export function draftOfLink(link: LinkView): LinkDraft {
  return {
    amount: link.amount,
    currency: link.currency,
    productName: link.productName,
    description: link.description,
    imageId: link.imageId,
    imageUrl: link.imageUrl,
    language: link.language,
    status: link.status,
    usageLimit: link.usageLimit,
    quantityMin: link.quantityMin,
    quantityMax: link.quantityMax,
    buyerAsk: link.buyerFields.ask,
    question: link.buyerFields.question,
    afterPaymentMessage: link.afterPaymentMessage ?? '',
    paymentTypes: link.paymentTypes,
    expiresAt: link.expiresAt,
    billingInterval: link.billingInterval ?? null,
    ...(link.price?.mode === 'buyer' ? { amountMin: link.price.min, amountMax: link.price.max, amountPresets: link.price.presets } : {}),
    tipOptions: link.tipOptions ?? null,
  };
}

function role(ctx: Context): string {
  return ctx.membership?.role ?? 'staff';
}

function mayChange(field: AnyLinkField, ctx: Context): boolean {
  return field.afterIssue !== undefined && mayChangeLinkField(role(ctx), field.afterIssue.field);
}

function fieldButtons(dialogId: string, ctx: Context): Button[] {
  // Price and currency are never offered (the card says once that they stay as issued).
  return EDITABLE_FIELDS.filter((field) => mayChange(field, ctx)).map((field) => commandButton(fieldLabel(field, ctx), EDIT_FIELD_ACTION, [field.id], dialogId));
}

/** The field menu: current values on a card, one quick reply per field. */
function menuReply(dialogId: string, slots: EditSlots, ctx: Context): Reply {
  const product = slots.draft.productName ?? '';
  return {
    kind: 'card',
    altText: ctx.t('links:edit.altText', { product }),
    card: { title: ctx.t('links:edit.title', { product }), rows: fieldRows(slots.draft, LINK_FIELDS, ctx), footnote: ctx.t('links:edit.cardFootnote'), buttons: [] },
    quickReplies: fieldButtons(dialogId, ctx),
  };
}

function stay(state: DialogState, slots: EditSlots, ctx: Context, replies: Reply[], name = state.name): Step {
  return { state: continueDialog(state, ctx, { name, slots: { ...slots } }), replies };
}

/** Starts editing a link the merchant may see (the effect already checked it is theirs). */
export function startEditDialog(link: LinkView, ctx: Context): Step {
  const slots: EditSlots = { linkId: link.id, draft: draftOfLink(link) };
  const state = startDialog(EDIT_MENU, ctx, { ...slots });
  return { state, replies: [menuReply(state.dialogId, slots, ctx)] };
}

function backButton(state: DialogState, ctx: Context): Button {
  return commandButton(ctx.t('buttons.back'), EDIT_MENU_ACTION, [], state.dialogId);
}

/** The field's question as create asks it, its choices, and the value the link has now. */
function askFor(field: AnyLinkField, state: DialogState, slots: EditSlots, ctx: Context): Step {
  const value = (label: string, answer: string): Button => commandButton(label, EDIT_VALUE_ACTION, [answer], state.dialogId);
  const buttons = field.choices(ctx, slots.draft).map((choice) => value(choice.label, choice.value));
  if (field.skip?.noneLabel) buttons.push(value(field.skip.noneLabel(ctx), NONE));
  // "Skip" keeps what the link has: the question mentions it, so it is offered here too.
  if (field.skip?.button) buttons.push(commandButton(ctx.t('links:buttons.skip'), EDIT_MENU_ACTION, [], state.dialogId));
  const current = field.describe(slots.draft, ctx);
  const question = `${field.question(ctx, slots.draft)}${current === null ? '' : `\n\n${ctx.t('links:current', { value: current })}`}`;
  return stay(state, { ...slots, field: field.id }, ctx, [text(question, [...buttons, backButton(state, ctx)])], EDIT_VALUE);
}

function chooseField(id: string, state: DialogState, slots: EditSlots, ctx: Context): Step {
  if (isImmutableLinkField(id)) {
    const buttons = [commandButton(ctx.t('links:edit.newLink'), 'create'), commandButton(ctx.t('buttons.quick'), 'quick'), backButton(state, ctx)];
    return stay(state, slots, ctx, [text(ctx.t('links:edit.immutable'), buttons)]);
  }
  const field = linkField(FORMER_FIELD_NAMES[id] ?? id);
  if (!field?.afterIssue) return stay(state, slots, ctx, [menuReply(state.dialogId, slots, ctx)]);
  // Checked here for a prompt answer and again when the change is performed.
  if (!mayChange(field, ctx)) return stay(state, slots, ctx, [text(ctx.t('links:edit.ownerOnly'), fieldButtons(state.dialogId, ctx))]);
  return askFor(field, state, slots, ctx);
}

function retry(state: DialogState, slots: EditSlots, ctx: Context, message: string): Step {
  return stay(state, slots, ctx, [text(message, [backButton(state, ctx)])]);
}

/** Saves the field as `changes` leave it (the update effect checks the rules again). */
function save(field: AnyLinkField, changes: Partial<LinkDraft>, state: DialogState, slots: EditSlots, ctx: Context): Step {
  const merchantId = ctx.membership?.merchantId;
  if (!merchantId || !field.afterIssue) return reply(text(ctx.t('auth.notMember')));
  const edited = { ...slots.draft, ...changes };
  const effect: LinkEffect = { type: 'links.update', merchantId, linkId: slots.linkId, change: field.afterIssue.change(edited) };
  const attempted = field.id === 'name' && edited.productName ? { attemptedName: edited.productName } : {};
  return { state: continueDialog(state, ctx, { slots: { ...slots, ...attempted } }), replies: [], effect };
}

/** A typed value, or a tapped one (which arrives as its value), for the field being edited. */
function answer(field: AnyLinkField, typed: string, state: DialogState, slots: EditSlots, ctx: Context): Step {
  if (field.skip && isSkipWord(typed)) return save(field, field.skip.changes({}), state, slots, ctx);
  const parsed = field.parse(typed, ctx, slots.draft);
  return parsed.ok ? save(field, parsed.changes, state, slots, ctx) : retry(state, slots, ctx, parsed.error);
}

/** A tapped value button: one of the field's choices, or NONE. */
function chosen(field: AnyLinkField, value: string, state: DialogState, slots: EditSlots, ctx: Context): Step {
  const offered = value === NONE ? field.skip !== undefined : field.choices(ctx, slots.draft).some((choice) => choice.value === value);
  return offered ? answer(field, value, state, slots, ctx) : askFor(field, state, slots, ctx);
}

function backToMenu(state: DialogState, slots: EditSlots, ctx: Context): Step {
  const { field: _field, ...menu } = slots;
  return stay(state, menu, ctx, [menuReply(state.dialogId, menu, ctx)], EDIT_MENU);
}

/** The saved link, its card saying what changed, and where to go next. */
export function updatedReply(field: string, link: LinkView, ctx: Context): Reply {
  const label = linkField(field) ? fieldLabel(linkField(field)!, ctx) : field;
  const saved = ctx.t('links:edit.updated', { field: label, product: link.productName });
  return {
    kind: 'card',
    altText: saved,
    card: { ...linkCard(link, ctx), footnote: saved },
    quickReplies: [commandButton(ctx.t('links:edit.editMore'), 'sales.edit', [link.id]), commandButton(ctx.t('buttons.links'), 'links')],
  };
}

/** The outcome of a change: success ends the dialog with the updated link; a refusal asks again. */
function updateOutcome(result: EffectResult, state: DialogState, slots: EditSlots, ctx: Context): Step | null {
  const { t } = ctx;
  switch (result.type) {
    case 'links.updated':
      return reply(updatedReply(slots.field ?? result.field, result.link, ctx));
    case 'links.updateRefused':
      switch (result.reason) {
        case 'duplicateName':
          return retry(state, slots, ctx, t('links:edit.duplicateName', { name: slots.attemptedName ?? slots.draft.productName ?? '' }));
        case 'immutable':
          return retry(state, slots, ctx, t('links:edit.immutable'));
        case 'notFound':
          return reply(text(t('links:edit.refused.notFound')));
        case 'ownerOnly':
          return reply(text(t('links:edit.refused.notOwner')));
        case 'image':
          return retry(state, slots, ctx, t(`links:image.errors.${result.imageProblem ?? 'unavailable'}`));
        case 'paymentTypes':
          return retry(state, slots, ctx, notOfferedText(result.notOffered, result.offered, ctx));
        default:
          return retry(state, slots, ctx, t('links:errors.invalid'));
      }
    case 'links.rejected':
      return reply(text(t('auth.notMember')));
    default:
      return null;
  }
}

function readEditSlots(state: DialogState, ctx: Context): EditSlots | Step {
  const parsed = editSlotsSchema.safeParse(state.slots);
  return parsed.success ? parsed.data : reply(text(ctx.t('dialog.reset')));
}

/** The field menu: waits for a field button. */
export const editMenuDialog: DialogHandler = (state, input, ctx) => {
  const slots = readEditSlots(state, ctx);
  if ('replies' in slots) return slots;
  switch (input.kind) {
    case 'postback':
      if (input.action === EDIT_FIELD_ACTION) return chooseField(input.args[0] ?? '', state, slots, ctx);
      if (input.action === EDIT_MENU_ACTION) return backToMenu(state, slots, ctx);
      return null;
    case 'text':
      return input.command ? null : stay(state, slots, ctx, [menuReply(state.dialogId, slots, ctx)]);
    case 'result':
      return updateOutcome(input.result, state, slots, ctx);
    case 'image':
      return stay(state, slots, ctx, [menuReply(state.dialogId, slots, ctx)]);
    default:
      return null;
  }
};

/** Waits for the new value of one field (typed, tapped or, for the image, a photo). */
export const editValueDialog: DialogHandler = (state, input, ctx) => {
  const slots = readEditSlots(state, ctx);
  if ('replies' in slots) return slots;
  const field = linkField(slots.field);
  if (!field) return backToMenu(state, slots, ctx);
  switch (input.kind) {
    case 'postback':
      if (input.action === EDIT_VALUE_ACTION) return chosen(field, input.args[0] ?? '', state, slots, ctx);
      if (input.action === EDIT_MENU_ACTION) return backToMenu(state, slots, ctx);
      if (input.action === EDIT_FIELD_ACTION) return chooseField(input.args[0] ?? '', state, slots, ctx);
      return null;
    case 'text': {
      const { command } = input;
      if (command?.command === 'back') return backToMenu(state, slots, ctx);
      // Free-text fields take any text as the value; elsewhere a command leaves the dialog, unless
      // it is also this field's answer (`今日` / `today` for the expiry).
      if (command && !field.freeText && !field.parse(input.text, ctx, slots.draft).ok) return null;
      return answer(field, input.text, state, slots, ctx);
    }
    case 'image': {
      const merchantId = ctx.membership?.merchantId;
      if (field.id !== 'image' || !merchantId) return retry(state, slots, ctx, ctx.t('links:dialog.useButtons'));
      const effect: LinkEffect = { type: 'links.update', merchantId, linkId: slots.linkId, change: { field: 'imageMessage', value: input.messageId } };
      return { state: continueDialog(state, ctx, {}), replies: [], effect };
    }
    case 'result':
      return updateOutcome(input.result, state, slots, ctx);
    default:
      return null;
  }
};
