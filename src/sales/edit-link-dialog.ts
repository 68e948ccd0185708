import { commandButton, continueDialog, reply, startDialog, text, type DialogHandler } from '../conversation/machine.js';
import type { Button, Context, DialogState, EffectResult, Reply, Step } from '../conversation/types.js';
import { LANGUAGES } from '../i18n/i18n.js';
import { formatDateTime, formatPrice } from '../i18n/format.js';
import { parseExpiry, parseUsageLimit } from '../links/link-limits.js';
import { buyerAskText, paymentTypesText, questionText, quantityText } from '../links/link-card.js';
import { parsePaymentTypes } from '../links/payment-types.js';
import { parseBuyerDetailKinds, parseQuestion } from '../links/buyer-fields.js';
import { parseQuantityRange } from '../links/quantity.js';
import { normalizeProductName, validateAfterPaymentMessage, validateDescription } from '../links/product-name.js';
import { MUTABLE_LINK_FIELDS, isImmutableLinkField, mayChangeLinkField, type MutableLinkField } from '../links/update-link.js';
import type { SalesEffect, SalesLinkChange } from './effects.js';
import { typedCommandButton } from './command-buttons.js';
import { salesLinkCard, stateLabel } from './links-carousel.js';
import type { SalesLinkView } from './sales-link-view.js';

export const EDIT_MENU = 'sales.edit';
export const EDIT_VALUE = 'sales.editValue';
/** Postback actions inside the edit dialog (always stamped with its dialog id). */
export const EDIT_FIELD_ACTION = 'sales.editField';
export const EDIT_VALUE_ACTION = 'sales.editValue';
export const EDIT_MENU_ACTION = 'sales.editMenu';
/** The button value meaning "remove this optional field". */
const NONE = 'none';

interface EditSlots {
  linkId: string;
  productName: string;
  description: string;
  field?: MutableLinkField;
}

function slotsOf(state: DialogState): EditSlots {
  return state.slots as unknown as EditSlots;
}

function toSlots(slots: EditSlots): Record<string, unknown> {
  return { ...slots };
}

function currentValues(link: SalesLinkView, ctx: Context): { label: string; value: string }[] {
  const { t, language } = ctx;
  const none = t('sales:edit.none');
  return [
    { label: t('sales:edit.fields.productName'), value: link.productName },
    { label: t('sales:edit.fields.amount'), value: formatPrice(link.amount, link.currency, language) },
    { label: t('sales:edit.fields.description'), value: link.description || none },
    { label: t('sales:edit.fields.image'), value: link.imageUrl ? '✓' : none },
    { label: t('sales:edit.fields.language'), value: t(`languages.${link.language}`) },
    { label: t('sales:edit.fields.status'), value: stateLabel(link, ctx) },
    { label: t('sales:edit.fields.usageLimit'), value: link.usageLimit === null ? none : String(link.usageLimit) },
    { label: t('sales:edit.fields.expiresAt'), value: link.expiresAt === null ? none : formatDateTime(link.expiresAt, language) },
    { label: t('sales:edit.fields.quantity'), value: quantityText({ min: link.quantityMin, max: link.quantityMax }, ctx) },
    { label: t('sales:edit.fields.buyerAsk'), value: buyerAskText(link.buyerFields.ask, ctx) },
    { label: t('sales:edit.fields.question'), value: questionText(link.buyerFields.question, ctx) },
    { label: t('sales:edit.fields.afterPaymentMessage'), value: link.afterPaymentMessage ?? none },
    { label: t('sales:edit.fields.paymentTypes'), value: paymentTypesText(link.paymentTypes, ctx) },
  ];
}

function fieldButtons(dialogId: string, ctx: Context): Button[] {
  // Price and currency are never offered (the card says once that they stay as issued).
  const fields = MUTABLE_LINK_FIELDS.filter((field) => mayChangeLinkField(ctx.membership?.role ?? 'staff', field));
  return fields.map((field) =>
    commandButton(ctx.t(`sales:edit.fields.${field}`), EDIT_FIELD_ACTION, [field], dialogId),
  );
}

/** The field menu: current values on a card, one quick reply per field. */
function menuReply(state: DialogState, ctx: Context, link?: SalesLinkView): Reply {
  const { productName } = slotsOf(state);
  const quickReplies = fieldButtons(state.dialogId, ctx);
  if (!link) return text(ctx.t('sales:edit.body'), quickReplies);
  return {
    kind: 'card',
    altText: ctx.t('sales:edit.altText', { product: productName }),
    card: { title: ctx.t('sales:edit.title', { product: productName }), rows: currentValues(link, ctx), footnote: ctx.t('sales:edit.cardFootnote'), buttons: [] },
    quickReplies,
  };
}

/** Starts editing a link the merchant may see (the effect already checked it is theirs). */
export function startEditDialog(link: SalesLinkView, ctx: Context): Step {
  const state = startDialog(EDIT_MENU, ctx, toSlots({ linkId: link.id, productName: link.productName, description: link.description }));
  return { state, replies: [menuReply(state, ctx, link)] };
}

function backButton(state: DialogState, ctx: Context): Button {
  return commandButton(ctx.t('sales:buttons.back'), EDIT_MENU_ACTION, [], state.dialogId);
}

function valueButton(label: string, value: string, state: DialogState): Button {
  return commandButton(label, EDIT_VALUE_ACTION, [value], state.dialogId);
}

function askFor(field: MutableLinkField, state: DialogState, ctx: Context): Step {
  const { t } = ctx;
  const slots = slotsOf(state);
  const next = continueDialog(state, ctx, { name: EDIT_VALUE, slots: toSlots({ ...slots, field }) });
  const back = backButton(state, ctx);
  const choices: Button[] = [];
  switch (field) {
    case 'language':
      choices.push(...LANGUAGES.map((language) => valueButton(t(`languages.${language}`), language, state)));
      break;
    case 'status':
      choices.push(valueButton(t('sales:state.active'), 'active', state), valueButton(t('sales:state.inactive'), 'inactive', state));
      break;
    case 'image':
      choices.push(valueButton(t('sales:buttons.removeImage'), NONE, state));
      break;
    case 'usageLimit':
      choices.push(valueButton(t('sales:buttons.noLimit'), NONE, state));
      break;
    case 'expiresAt':
      choices.push(valueButton(t('sales:buttons.noExpiry'), NONE, state));
      break;
    case 'description':
      choices.push(valueButton(t('sales:buttons.clearDescription'), NONE, state));
      break;
    case 'quantity':
      choices.push(valueButton(t('links:quantity.fixedOne'), '1', state));
      break;
    case 'buyerAsk':
    case 'question':
    case 'afterPaymentMessage':
      choices.push(valueButton(t('links:values.none'), NONE, state));
      break;
    case 'paymentTypes':
      choices.push(valueButton(t('links:paymentTypes.all'), NONE, state));
      break;
    case 'productName':
      break;
  }
  const current = field === 'description' ? slots.description || t('sales:edit.none') : slots.productName;
  return { state: next, replies: [text(t(`sales:edit.ask.${field}`, { current }), [...choices, back])] };
}

function chooseField(field: string, state: DialogState, ctx: Context): Step {
  const { t } = ctx;
  if (isImmutableLinkField(field)) {
    const buttons = [typedCommandButton(t('sales:buttons.create'), 'create', ctx), typedCommandButton(t('sales:buttons.quick'), 'quick', ctx), backButton(state, ctx)];
    return { state: continueDialog(state, ctx, {}), replies: [text(t('sales:edit.immutable'), buttons)] };
  }
  const mutable = MUTABLE_LINK_FIELDS.find((candidate) => candidate === field);
  if (!mutable) return { state: continueDialog(state, ctx, {}), replies: [menuReply(state, ctx)] };
  // Checked here for a prompt answer and again when the change is performed.
  if (!mayChangeLinkField(ctx.membership?.role ?? 'staff', mutable)) {
    return { state: continueDialog(state, ctx, {}), replies: [text(t('sales:edit.ownerOnly'), fieldButtons(state.dialogId, ctx))] };
  }
  return askFor(mutable, state, ctx);
}

function update(state: DialogState, ctx: Context, change: SalesLinkChange): Step {
  const merchantId = ctx.membership?.merchantId;
  if (!merchantId) return reply(text(ctx.t('auth.notMember')));
  const effect: SalesEffect = { type: 'sales.updateLink', merchantId, linkId: slotsOf(state).linkId, change };
  return { state: continueDialog(state, ctx, {}), replies: [], effect };
}

function retry(state: DialogState, ctx: Context, message: string): Step {
  return { state: continueDialog(state, ctx, {}), replies: [text(message, [backButton(state, ctx)])] };
}

/** A typed value for the field being edited, validated before anything is saved. */
function typedValue(field: MutableLinkField, typed: string, state: DialogState, ctx: Context): Step {
  const { t } = ctx;
  switch (field) {
    case 'productName': {
      const name = normalizeProductName(typed);
      return name.ok ? update(state, ctx, { field, value: name.name }) : retry(state, ctx, t('sales:edit.invalid.productName'));
    }
    case 'description': {
      const description = validateDescription(typed);
      return description.ok ? update(state, ctx, { field, value: description.text }) : retry(state, ctx, t('sales:edit.invalid.description'));
    }
    case 'usageLimit': {
      const limit = parseUsageLimit(typed);
      return limit.ok ? update(state, ctx, { field, value: limit.usageLimit }) : retry(state, ctx, t('sales:edit.invalid.usageLimit'));
    }
    case 'expiresAt': {
      const expiry = parseExpiry(typed, ctx.now);
      return expiry.ok ? update(state, ctx, { field, value: expiry.expiresAt.toISOString() }) : retry(state, ctx, t('sales:edit.invalid.expiresAt'));
    }
    case 'quantity': {
      const range = parseQuantityRange(typed);
      return range.ok ? update(state, ctx, { field, value: range.range }) : retry(state, ctx, t('sales:edit.invalid.quantity'));
    }
    case 'buyerAsk': {
      const kinds = parseBuyerDetailKinds(typed);
      return kinds ? update(state, ctx, { field, value: kinds }) : retry(state, ctx, t('sales:edit.invalid.buyerAsk'));
    }
    case 'question': {
      const question = parseQuestion(typed);
      return question.ok ? update(state, ctx, { field, value: question.question }) : retry(state, ctx, t('sales:edit.invalid.question'));
    }
    case 'paymentTypes': {
      const types = parsePaymentTypes(typed);
      return types ? update(state, ctx, { field, value: types }) : retry(state, ctx, t('sales:edit.invalid.paymentTypes'));
    }
    case 'afterPaymentMessage': {
      const message = validateAfterPaymentMessage(typed);
      return message.ok ? update(state, ctx, { field, value: message.text }) : retry(state, ctx, t('sales:edit.invalid.afterPaymentMessage'));
    }
    case 'image':
      return retry(state, ctx, t('sales:edit.invalid.image'));
    case 'language':
    case 'status':
      return askFor(field, state, ctx);
  }
}

/** A tapped value button: a choice, or NONE to clear an optional field. */
function chosenValue(field: MutableLinkField, value: string, state: DialogState, ctx: Context): Step {
  switch (field) {
    case 'language': {
      const language = LANGUAGES.find((candidate) => candidate === value);
      return language ? update(state, ctx, { field, value: language }) : askFor(field, state, ctx);
    }
    case 'status':
      return value === 'active' || value === 'inactive' ? update(state, ctx, { field, value }) : askFor(field, state, ctx);
    case 'image':
      return value === NONE ? update(state, ctx, { field, value: null }) : askFor(field, state, ctx);
    case 'usageLimit':
      return value === NONE ? update(state, ctx, { field, value: null }) : askFor(field, state, ctx);
    case 'expiresAt':
      return value === NONE ? update(state, ctx, { field, value: null }) : askFor(field, state, ctx);
    case 'description':
      return value === NONE ? update(state, ctx, { field, value: '' }) : askFor(field, state, ctx);
    case 'buyerAsk':
      return value === NONE ? update(state, ctx, { field, value: [] }) : askFor(field, state, ctx);
    case 'question':
      return value === NONE ? update(state, ctx, { field, value: null }) : askFor(field, state, ctx);
    case 'afterPaymentMessage':
      return value === NONE ? update(state, ctx, { field, value: '' }) : askFor(field, state, ctx);
    case 'paymentTypes':
      return value === NONE ? update(state, ctx, { field, value: [] }) : askFor(field, state, ctx);
    case 'quantity':
      return value === '1' ? update(state, ctx, { field, value: { min: 1, max: 1 } }) : askFor(field, state, ctx);
    case 'productName':
      return askFor(field, state, ctx);
  }
}

function backToMenu(state: DialogState, ctx: Context): Step {
  const menu = continueDialog(state, ctx, { name: EDIT_MENU, slots: toSlots({ ...slotsOf(state), field: undefined }) });
  delete menu.slots.field;
  return { state: menu, replies: [menuReply(menu, ctx)] };
}

/** The outcome of a change: success ends the dialog with the updated link; a refusal asks again. */
function updateOutcome(result: EffectResult, state: DialogState, ctx: Context): Step | null {
  const { t } = ctx;
  switch (result.type) {
    case 'sales.linkUpdated': {
      const done: Reply = {
        kind: 'card',
        altText: t('sales:edit.updated', { field: t(`sales:edit.fields.${result.field}`), product: result.link.productName }),
        card: { ...salesLinkCard(result.link, ctx), footnote: t('sales:edit.updated', { field: t(`sales:edit.fields.${result.field}`), product: result.link.productName }) },
        quickReplies: [commandButton(t('sales:buttons.editMore'), 'sales.edit', [result.link.id]), commandButton(t('sales:buttons.links'), 'links')],
      };
      return reply(done);
    }
    case 'sales.updateRefused':
      if (result.reason === 'duplicateName') return retry(state, ctx, t('sales:edit.duplicateName', { name: pendingName(state) }));
      if (result.reason === 'immutable') return retry(state, ctx, t('sales:edit.immutable'));
      return retry(state, ctx, t(`sales:edit.invalid.${invalidTextFor(slotsOf(state).field)}`));
    case 'sales.imageRefused':
      return retry(state, ctx, t(`sales:edit.image.${result.reason}`));
    case 'sales.refused':
      return reply(text(t(`sales:refused.${result.reason}`)));
    default:
      return null;
  }
}

/** Typed fields say what was wrong with the text; a refused choice (language, status) asks to choose again. */
function invalidTextFor(field: MutableLinkField | undefined): 'productName' | 'description' | 'image' | 'usageLimit' | 'expiresAt' | 'quantity' | 'buyerAsk' | 'question' | 'afterPaymentMessage' | 'paymentTypes' | 'choice' {
  switch (field) {
    case 'paymentTypes':
    case 'afterPaymentMessage':
    case 'buyerAsk':
    case 'question':
    case 'quantity':
    case 'productName':
    case 'description':
    case 'image':
    case 'usageLimit':
    case 'expiresAt':
      return field;
    default:
      return 'choice';
  }
}

// The name the merchant just typed is not kept in slots; the refusal names the field instead.
function pendingName(state: DialogState): string {
  return slotsOf(state).productName;
}

/** The field menu: waits for a field button. */
export const editMenuDialog: DialogHandler = (state, input, ctx) => {
  if (input.kind === 'postback') {
    if (input.action === EDIT_FIELD_ACTION) return chooseField(input.args[0] ?? '', state, ctx);
    if (input.action === EDIT_MENU_ACTION) return backToMenu(state, ctx);
    return null;
  }
  if (input.kind === 'text') {
    if (input.command) return null;
    return { state: continueDialog(state, ctx, {}), replies: [menuReply(state, ctx)] };
  }
  if (input.kind === 'result') return updateOutcome(input.result, state, ctx);
  if (input.kind === 'image') return { state: continueDialog(state, ctx, {}), replies: [menuReply(state, ctx)] };
  return null;
};

/** Waits for the new value of one field (typed, tapped or, for the image, a photo). */
export const editValueDialog: DialogHandler = (state, input, ctx) => {
  const field = slotsOf(state).field;
  if (!field) return backToMenu(state, ctx);
  switch (input.kind) {
    case 'postback':
      if (input.action === EDIT_VALUE_ACTION) return chosenValue(field, input.args[0] ?? '', state, ctx);
      if (input.action === EDIT_MENU_ACTION) return backToMenu(state, ctx);
      if (input.action === EDIT_FIELD_ACTION) return chooseField(input.args[0] ?? '', state, ctx);
      return null;
    case 'text': {
      const { command } = input;
      if (command?.command === 'back') return backToMenu(state, ctx);
      // Free-text fields take any text as the value; elsewhere a command leaves the dialog.
      if (command && field !== 'productName' && field !== 'description' && field !== 'question' && field !== 'afterPaymentMessage') return null;
      return typedValue(field, input.text, state, ctx);
    }
    case 'image':
      return field === 'image' ? update(state, ctx, { field: 'imageMessage', value: input.messageId }) : retry(state, ctx, ctx.t('sales:edit.invalid.choice'));
    case 'result':
      return updateOutcome(input.result, state, ctx);
    default:
      return null;
  }
};
