// The owner edits the shop's public profile in chat: `profile` (or the shop menu's Profile
// button) shows it; owners then pick a field, type its value (or send a photo for the logo), and
// stay in the menu to edit the next one. Staff see the profile but cannot change it.
import { z } from 'zod';
import { commandButton, continueDialog, reply, startDialog, text, type Capability } from '../conversation/machine.js';
import { typedDialog } from '../conversation/typed-dialog.js';
import type { Button, Context, DialogInput, DialogState, EffectResult, Reply, Step } from '../conversation/types.js';
import { clip } from '../i18n/format.js';
import { hasRole } from '../merchants/authorization.js';
import { SHOP_PROFILE_ACTION } from '../merchants/chat.js';
import {
  SHOP_COUNTRIES,
  SHOP_CURRENCIES,
  SHOP_FIELD_MAX,
  SHOP_TEXT_FIELDS,
  checkShopValue,
  isShopCountry,
  shopProfileFields,
  type ShopProfileField,
  type ShopTextField,
} from '../merchants/shop-profile-rules.js';
import type { ShopProfileEdit, ShopProfileEffect, ShopProfileView } from './effects.js';

const PROFILE_MENU = 'shopProfile.menu';
const PROFILE_VALUE = 'shopProfile.value';
/** Postback actions inside the profile dialog (always stamped with its dialog id). */
const PROFILE_FIELD_ACTION = 'shopProfile.field';
const PROFILE_CLEAR_ACTION = 'shopProfile.clear';
const PROFILE_BACK_ACTION = 'shopProfile.back';
const PROFILE_DONE_ACTION = 'shopProfile.done';
/** A country or currency button (the value is the postback's argument). */
const PROFILE_CHOICE_ACTION = 'shopProfile.choice';

/** Typed words that show the profile, in en / ja / ko. */
const PROFILE_WORDS = ['profile', 'legal', 'プロフィール', '特商法', '프로필', '특상법'];

// A card row shows the start of a long value (the returns policy may be 1,000 characters).
const ROW_VALUE_MAX = 60;
// Fields whose value is any text: a command word typed there is the value, not a command.
const FREE_TEXT: ReadonlySet<ShopProfileField> = new Set(['displayName', 'legalName', 'legalAddress', 'legalResponsible', 'extraCharges', 'returnsPolicy', 'deliveryTiming', 'mailOrderNumber']);

/**
 * What the profile dialogs keep: the field being asked (the value question), and the shop's
 * country as last shown (which fields the menu offers). Any other shape resets the conversation.
 */
const profileSlotsSchema = z.strictObject({
  field: z.enum(['logo', 'country', 'currency', ...SHOP_TEXT_FIELDS]).optional(),
  country: z.enum(SHOP_COUNTRIES).optional(),
});
type ProfileSlots = z.infer<typeof profileSlotsSchema>;

/** The slots of a state the dialog handlers below already read through the schema (typedDialog). */
function slotsOf(state: DialogState): ProfileSlots {
  return profileSlotsSchema.parse(state.slots);
}

function isProfileField(value: string): value is ShopProfileField {
  return value === 'logo' || value === 'country' || value === 'currency' || (SHOP_TEXT_FIELDS as readonly string[]).includes(value);
}

function isTextField(field: ShopProfileField): field is ShopTextField {
  return field !== 'logo' && field !== 'country' && field !== 'currency';
}

function fieldLabel(field: ShopProfileField, ctx: Context): string {
  return ctx.t(`shop:fields.${field}`);
}

function profileCard(profile: ShopProfileView, ctx: Context, note?: string): Reply {
  const none = ctx.t('shop:none');
  const country = profile.country ?? 'JP';
  const rows = shopProfileFields(country).map((field) => {
    if (field === 'logo') return { label: fieldLabel(field, ctx), value: profile.logoUrl ? '✓' : none };
    if (field === 'country') return { label: fieldLabel(field, ctx), value: profile.country ? ctx.t(`shop:countries.${profile.country}`) : none };
    if (field === 'currency') return { label: fieldLabel(field, ctx), value: ctx.t(`shop:currencies.${profile.currency}`) };
    const value = profile.values[field];
    if (field === 'displayName') return { label: fieldLabel(field, ctx), value: value ?? ctx.t('shop:defaultName', { merchant: profile.merchantName }) };
    return { label: fieldLabel(field, ctx), value: value ? clip(value, ROW_VALUE_MAX) : none };
  });
  rows.push({ label: ctx.t('shop:legalPage'), value: profile.legalPageUrl });
  const items = profile.missingLegalItems.map((item) => fieldLabel(item, ctx)).join(ctx.t('shop:listSeparator'));
  const status =
    country === 'KR'
      ? profile.missingLegalItems.length === 0
        ? ctx.t('shop:legalCompleteKR')
        : ctx.t('shop:legalMissingKR', { items })
      : profile.missingLegalItems.length === 0
        ? ctx.t('shop:legalComplete')
        : ctx.t('shop:legalMissing', { items });
  const title = ctx.t('shop:title', { merchant: profile.values.displayName ?? profile.merchantName });
  return {
    kind: 'card',
    altText: title,
    card: {
      title,
      ...(profile.logoUrl ? { imageUrl: profile.logoUrl } : {}),
      rows,
      footnote: note ? `${note}\n${status}` : status,
      buttons: [{ label: ctx.t('shop:buttons.openLegal'), action: { type: 'url', url: profile.legalPageUrl } }],
    },
  };
}

function menuButtons(state: DialogState, ctx: Context): Button[] {
  return [
    ...shopProfileFields(slotsOf(state).country ?? 'JP').map((field) => commandButton(fieldLabel(field, ctx), PROFILE_FIELD_ACTION, [field], state.dialogId)),
    commandButton(ctx.t('shop:buttons.done'), PROFILE_DONE_ACTION, [], state.dialogId),
  ];
}

function withQuickReplies(message: Reply, buttons: Button[]): Reply {
  return message.kind === 'image' ? message : { ...message, quickReplies: buttons };
}

/** The profile card; owners get the field buttons and stay in the menu. */
function showProfile(profile: ShopProfileView, canEdit: boolean, ctx: Context, state: DialogState | null, note?: string): Step {
  const card = profileCard(profile, ctx, note);
  if (!canEdit) return reply(withQuickReplies(card, [commandButton(ctx.t('buttons.help'), 'help')]));
  const slots: ProfileSlots = { country: profile.country ?? 'JP' };
  const menu = state ? continueDialog(state, ctx, { name: PROFILE_MENU, slots: { ...slots } }) : startDialog(PROFILE_MENU, ctx, { ...slots });
  // Asked once: a shop that never said where it sells is asked that first (it decides the legal items).
  if (profile.country === null) return cardThenAsk(card, 'country', menu, ctx);
  return { state: menu, replies: [withQuickReplies(card, menuButtons(menu, ctx))] };
}

function cardThenAsk(card: Reply, field: 'country' | 'currency', menu: DialogState, ctx: Context): Step {
  const asked = askFor(field, menu, ctx);
  return { state: asked.state, replies: [card, ...asked.replies] };
}

function load(ctx: Context): Step {
  if (!ctx.membership) return reply(text(ctx.t('merchants:auth.notMember'), [commandButton(ctx.t('buttons.help'), 'help')]));
  const effect: ShopProfileEffect = { type: 'shopProfile.load', merchantId: ctx.membership.merchantId };
  return { state: null, replies: [], effect };
}

function backButton(state: DialogState, ctx: Context): Button {
  return commandButton(ctx.t('shop:buttons.back'), PROFILE_BACK_ACTION, [], state.dialogId);
}

function askFor(field: ShopProfileField, state: DialogState, ctx: Context): Step {
  const country = slotsOf(state).country ?? 'JP';
  const next = continueDialog(state, ctx, { name: PROFILE_VALUE, slots: { field, country } });
  if (field === 'country' || field === 'currency') {
    const choices =
      field === 'country'
        ? SHOP_COUNTRIES.map((value) => commandButton(ctx.t(`shop:countries.${value}`), PROFILE_CHOICE_ACTION, [value], state.dialogId))
        : SHOP_CURRENCIES[country].map((value) => commandButton(ctx.t(`shop:currencies.${value}`), PROFILE_CHOICE_ACTION, [value], state.dialogId));
    return { state: next, replies: [text(ctx.t(field === 'country' ? 'shop:askCountry' : 'shop:askCurrency'), [...choices, backButton(state, ctx)])] };
  }
  const buttons = [commandButton(ctx.t('shop:buttons.clear'), PROFILE_CLEAR_ACTION, [], state.dialogId), backButton(state, ctx)];
  const max = field === 'logo' ? 0 : SHOP_FIELD_MAX[field];
  return { state: next, replies: [text(ctx.t(`shop:ask.${field}`, { max }), buttons)] };
}

function backToMenu(state: DialogState, ctx: Context): Step {
  const menu = continueDialog(state, ctx, { name: PROFILE_MENU, slots: { country: slotsOf(state).country ?? 'JP' } });
  return { state: menu, replies: [text(ctx.t('shop:menu'), menuButtons(menu, ctx))] };
}

function update(state: DialogState, ctx: Context, edit: ShopProfileEdit): Step {
  if (!ctx.membership) return reply(text(ctx.t('merchants:auth.notMember')));
  return { state: continueDialog(state, ctx, {}), replies: [], effect: { type: 'shopProfile.update', merchantId: ctx.membership.merchantId, edit } };
}

function retry(state: DialogState, ctx: Context, message: string): Step {
  return { state: continueDialog(state, ctx, {}), replies: [text(message, [backButton(state, ctx)])] };
}

function typedValue(field: ShopTextField, typed: string, state: DialogState, ctx: Context): Step {
  const checked = checkShopValue(field, typed);
  if (!checked.ok) return retry(state, ctx, ctx.t(`shop:invalid.${checked.reason}`, { field: fieldLabel(field, ctx), max: SHOP_FIELD_MAX[field] }));
  return update(state, ctx, { field, value: checked.value });
}

/** Outcomes of a change, in either dialog state. */
function outcome(result: EffectResult, state: DialogState, ctx: Context): Step | null {
  switch (result.type) {
    case 'shopProfile.updated': {
      const note = ctx.t('shop:saved', { field: fieldLabel(result.field, ctx) });
      const shown = showProfile(result.profile, true, ctx, state, note);
      // A Korean shop says which currency a bare number means, right after saying it is Korean.
      if (result.field === 'country' && result.profile.country === 'KR' && shown.state) return cardThenAsk(profileCard(result.profile, ctx, note), 'currency', shown.state, ctx);
      return shown;
    }
    case 'shopProfile.logoRefused':
      return retry(state, ctx, ctx.t(`shop:logo.${result.reason}`));
    case 'shopProfile.refused':
      return reply(text(ctx.t(result.reason === 'notOwner' ? 'shop:ownerOnly' : 'merchants:auth.notMemberOfThat')));
    default:
      return null;
  }
}

/** A country or currency button: saved when it is one the question offered. */
function choose(field: ShopProfileField, value: string, state: DialogState, ctx: Context): Step {
  if (field === 'country' && isShopCountry(value)) return update(state, ctx, { field: 'country', value });
  const allowed = SHOP_CURRENCIES[slotsOf(state).country ?? 'JP'];
  const currency = allowed.find((candidate) => candidate === value);
  if (field === 'currency' && currency) return update(state, ctx, { field: 'currency', value: currency });
  return backToMenu(state, ctx);
}

function menuStep(state: DialogState, input: DialogInput, ctx: Context): Step | null {
  switch (input.kind) {
    case 'postback': {
      if (input.action === PROFILE_DONE_ACTION) return reply(text(ctx.t('shop:done'), [commandButton(ctx.t('buttons.help'), 'help')]));
      if (input.action !== PROFILE_FIELD_ACTION) return null;
      const field = input.args[0] ?? '';
      if (!isProfileField(field)) return backToMenu(state, ctx);
      return askFor(field, state, ctx);
    }
    case 'text':
      return input.command ? null : backToMenu(state, ctx);
    case 'image':
      return backToMenu(state, ctx);
    case 'result':
      return outcome(input.result, state, ctx);
    default:
      return null;
  }
}

function valueStep(state: DialogState, input: DialogInput, ctx: Context): Step | null {
  const { field } = slotsOf(state);
  if (!field) return backToMenu(state, ctx);
  switch (input.kind) {
    case 'postback':
      if (input.action === PROFILE_BACK_ACTION) return backToMenu(state, ctx);
      if (input.action === PROFILE_CHOICE_ACTION) return choose(field, input.args[0] ?? '', state, ctx);
      if (input.action === PROFILE_CLEAR_ACTION) {
        if (field === 'logo') return update(state, ctx, { field: 'logo', value: null });
        return isTextField(field) ? update(state, ctx, { field, value: null }) : askFor(field, state, ctx);
      }
      if (input.action === PROFILE_FIELD_ACTION || input.action === PROFILE_DONE_ACTION) return menuStep(state, input, ctx);
      return null;
    case 'text':
      if (input.command?.command === 'back') return backToMenu(state, ctx);
      if (input.command && !FREE_TEXT.has(field)) return null;
      if (field === 'logo') return retry(state, ctx, ctx.t('shop:logo.sendPhoto'));
      if (!isTextField(field)) return askFor(field, state, ctx);
      return typedValue(field, input.text, state, ctx);
    case 'image':
      return field === 'logo' ? update(state, ctx, { field: 'logoMessage', value: input.messageId }) : retry(state, ctx, ctx.t('shop:invalid.notPhotoField'));
    case 'result':
      return outcome(input.result, state, ctx);
    default:
      return null;
  }
}

const menuDialog = typedDialog(profileSlotsSchema, (state, _slots, input, ctx) => menuStep(state, input, ctx));
const valueDialog = typedDialog(profileSlotsSchema, (state, _slots, input, ctx) => valueStep(state, input, ctx));

export const shopProfileChat: Capability = {
  words: { [SHOP_PROFILE_ACTION]: PROFILE_WORDS },
  dialogs: { [PROFILE_MENU]: menuDialog, [PROFILE_VALUE]: valueDialog },
  actions: { [SHOP_PROFILE_ACTION]: (_args, ctx) => load(ctx) },
  results: {
    'shopProfile.loaded': (result, ctx) => showProfile(result.profile, result.canEdit && hasRole(ctx.membership, 'owner'), ctx, null),
    'shopProfile.refused': (result, ctx) => reply(text(ctx.t(result.reason === 'notOwner' ? 'shop:ownerOnly' : 'merchants:auth.notMemberOfThat'))),
  },
};
