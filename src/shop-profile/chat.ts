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
import { SHOP_FIELD_MAX, SHOP_PROFILE_FIELDS, SHOP_TEXT_FIELDS, checkShopValue, type ShopProfileField, type ShopTextField } from '../merchants/shop-profile-rules.js';
import type { ShopProfileEdit, ShopProfileEffect, ShopProfileView } from './effects.js';

const PROFILE_MENU = 'shopProfile.menu';
const PROFILE_VALUE = 'shopProfile.value';
/** Postback actions inside the profile dialog (always stamped with its dialog id). */
const PROFILE_FIELD_ACTION = 'shopProfile.field';
const PROFILE_CLEAR_ACTION = 'shopProfile.clear';
const PROFILE_BACK_ACTION = 'shopProfile.back';
const PROFILE_DONE_ACTION = 'shopProfile.done';

/** Typed words that show the profile, in en / ja / ko. */
const PROFILE_WORDS = ['profile', 'legal', 'プロフィール', '特商法', '프로필', '특상법'];

// A card row shows the start of a long value (the returns policy may be 1,000 characters).
const ROW_VALUE_MAX = 60;
// Fields whose value is any text: a command word typed there is the value, not a command.
const FREE_TEXT: ReadonlySet<ShopProfileField> = new Set(['displayName', 'legalName', 'legalAddress', 'legalResponsible', 'returnsPolicy', 'deliveryTiming']);

/** The menu keeps nothing; the value question keeps the field being asked. */
const menuSlotsSchema = z.strictObject({});
const valueSlotsSchema = z.object({ field: z.enum(['logo', ...SHOP_TEXT_FIELDS]) });

function isProfileField(value: string): value is ShopProfileField {
  return (SHOP_PROFILE_FIELDS as readonly string[]).includes(value);
}

function fieldLabel(field: ShopProfileField, ctx: Context): string {
  return ctx.t(`shop:fields.${field}`);
}

function profileCard(profile: ShopProfileView, ctx: Context, note?: string): Reply {
  const none = ctx.t('shop:none');
  const rows = SHOP_PROFILE_FIELDS.map((field) => {
    if (field === 'logo') return { label: fieldLabel(field, ctx), value: profile.logoUrl ? '✓' : none };
    const value = profile.values[field];
    if (field === 'displayName') return { label: fieldLabel(field, ctx), value: value ?? ctx.t('shop:defaultName', { merchant: profile.merchantName }) };
    return { label: fieldLabel(field, ctx), value: value ? clip(value, ROW_VALUE_MAX) : none };
  });
  rows.push({ label: ctx.t('shop:legalPage'), value: profile.legalPageUrl });
  const status =
    profile.missingLegalItems.length === 0
      ? ctx.t('shop:legalComplete')
      : ctx.t('shop:legalMissing', { items: profile.missingLegalItems.map((item) => fieldLabel(item, ctx)).join(ctx.t('shop:listSeparator')) });
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
    ...SHOP_PROFILE_FIELDS.map((field) => commandButton(fieldLabel(field, ctx), PROFILE_FIELD_ACTION, [field], state.dialogId)),
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
  const menu = state ? continueDialog(state, ctx, { name: PROFILE_MENU, slots: {} }) : startDialog(PROFILE_MENU, ctx, {});
  return { state: menu, replies: [withQuickReplies(card, menuButtons(menu, ctx))] };
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
  const next = continueDialog(state, ctx, { name: PROFILE_VALUE, slots: { field } });
  const buttons = [commandButton(ctx.t('shop:buttons.clear'), PROFILE_CLEAR_ACTION, [], state.dialogId), backButton(state, ctx)];
  const max = field === 'logo' ? 0 : SHOP_FIELD_MAX[field];
  return { state: next, replies: [text(ctx.t(`shop:ask.${field}`, { max }), buttons)] };
}

function backToMenu(state: DialogState, ctx: Context): Step {
  const menu = continueDialog(state, ctx, { name: PROFILE_MENU, slots: {} });
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
    case 'shopProfile.updated':
      return showProfile(result.profile, true, ctx, state, ctx.t('shop:saved', { field: fieldLabel(result.field, ctx) }));
    case 'shopProfile.logoRefused':
      return retry(state, ctx, ctx.t(`shop:logo.${result.reason}`));
    case 'shopProfile.refused':
      return reply(text(ctx.t(result.reason === 'notOwner' ? 'shop:ownerOnly' : 'merchants:auth.notMemberOfThat')));
    default:
      return null;
  }
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

const menuDialog = typedDialog(menuSlotsSchema, (state, _slots, input, ctx) => menuStep(state, input, ctx));

const valueDialog = typedDialog(valueSlotsSchema, (state, { field }, input, ctx) => {
  switch (input.kind) {
    case 'postback':
      if (input.action === PROFILE_BACK_ACTION) return backToMenu(state, ctx);
      if (input.action === PROFILE_CLEAR_ACTION) return update(state, ctx, field === 'logo' ? { field: 'logo', value: null } : { field, value: null });
      if (input.action === PROFILE_FIELD_ACTION || input.action === PROFILE_DONE_ACTION) return menuStep(state, input, ctx);
      return null;
    case 'text':
      if (input.command?.command === 'back') return backToMenu(state, ctx);
      if (input.command && !FREE_TEXT.has(field)) return null;
      if (field === 'logo') return retry(state, ctx, ctx.t('shop:logo.sendPhoto'));
      return typedValue(field, input.text, state, ctx);
    case 'image':
      return field === 'logo' ? update(state, ctx, { field: 'logoMessage', value: input.messageId }) : retry(state, ctx, ctx.t('shop:invalid.notPhotoField'));
    case 'result':
      return outcome(input.result, state, ctx);
    default:
      return null;
  }
});

export const shopProfileChat: Capability = {
  words: { [SHOP_PROFILE_ACTION]: PROFILE_WORDS },
  dialogs: { [PROFILE_MENU]: menuDialog, [PROFILE_VALUE]: valueDialog },
  actions: { [SHOP_PROFILE_ACTION]: (_args, ctx) => load(ctx) },
  results: {
    'shopProfile.loaded': (result, ctx) => showProfile(result.profile, result.canEdit && hasRole(ctx.membership, 'owner'), ctx, null),
    'shopProfile.refused': (result, ctx) => reply(text(ctx.t(result.reason === 'notOwner' ? 'shop:ownerOnly' : 'merchants:auth.notMemberOfThat'))),
  },
};
