import { commandButton, reply, text, type Capability } from '../conversation/machine.js';
import type { Button, Context, EffectResultOf, Step } from '../conversation/types.js';
import { formatDateTime } from '../i18n/format.js';
import { fitShareText } from '../line/render.js';
import { hasRole } from './authorization.js';
import { parseInviteCode } from './invite-code.js';
import type { MerchantEffect } from './effects.js';

/** Postback actions of this feature (buttons; `join` also arrives typed as a command). */
const MERCHANT_ACTIONS = {
  join: 'join',
  shop: 'shop',
  invite: 'invite',
  members: 'members',
  removeMember: 'removeMember',
  confirmRemoveMember: 'confirmRemoveMember',
  shops: 'shops',
  switchShop: 'switchShop',
  notices: 'notices',
  buyerDetails: 'buyerDetails',
} as const;

/** The shop profile's action (its chat is in shop-profile/, which builds on this folder). */
export const SHOP_PROFILE_ACTION = 'shopProfile';

/** Typed words for the actions above, in en / ja / ko (the core matches them after NFKC, case-insensitively). */
const MERCHANT_WORDS: Record<'shop' | 'invite' | 'members' | 'shops' | 'notices' | 'buyerDetails', readonly string[]> = {
  shop: ['shop', 'team', 'ショップ', 'お店', '가게', '상점'],
  invite: ['invite', '招待', '초대'],
  members: ['members', 'staff', 'メンバー', 'スタッフ', '멤버', '직원'],
  shops: ['shops', 'switch', '切り替え', '店舗切替', '전환', '가게전환'],
  notices: ['notices', '通知', '알림'],
  buyerDetails: ['buyerdetails', 'privacy', '購入者情報', '個人情報', '구매자정보', '개인정보'],
};

// Quick replies beyond this many remove buttons would crowd out the others (LINE allows 13).
const MAX_REMOVE_BUTTONS = 10;

function run(effect: MerchantEffect): Step {
  return { state: null, replies: [], effect };
}

function roleName(role: string, ctx: Context): string {
  return ctx.t(`merchants:roles.${role === 'owner' ? 'owner' : 'staff'}`);
}

function notMember(ctx: Context): Step {
  return reply(text(ctx.t('merchants:auth.notMember'), [commandButton(ctx.t('buttons.help'), 'help')]));
}

function ownerOnly(ctx: Context): Step {
  return reply(text(ctx.t('merchants:auth.ownerOnly', { merchant: ctx.membership?.merchantName ?? '' }), shopButtons(ctx)));
}

/** The shop menu's buttons, by role: owners also invite; everyone can list members and switch shops. */
function shopButtons(ctx: Context): Button[] {
  const buttons: Button[] = [];
  if (hasRole(ctx.membership, 'owner')) buttons.push(commandButton(ctx.t('merchants:buttons.invite'), MERCHANT_ACTIONS.invite));
  if (ctx.membership) {
    buttons.push(commandButton(ctx.t('merchants:buttons.profile'), SHOP_PROFILE_ACTION));
    buttons.push(commandButton(ctx.t('merchants:buttons.members'), MERCHANT_ACTIONS.members));
    buttons.push(commandButton(ctx.t('merchants:buttons.shops'), MERCHANT_ACTIONS.shops));
    buttons.push(commandButton(ctx.t('merchants:buttons.notices'), MERCHANT_ACTIONS.notices));
    buttons.push(commandButton(ctx.t('merchants:buttons.buyerDetails'), MERCHANT_ACTIONS.buyerDetails));
  }
  buttons.push(commandButton(ctx.t('buttons.help'), 'help'));
  return buttons;
}

function shopStep(ctx: Context): Step {
  if (!ctx.membership) return notMember(ctx);
  const body = ctx.t('merchants:shop.summary', { merchant: ctx.membership.merchantName, role: roleName(ctx.membership.role, ctx) });
  const hint = hasRole(ctx.membership, 'owner') ? ctx.t('merchants:shop.ownerHint') : ctx.t('merchants:shop.staffHint');
  return reply(text(`${body}\n\n${hint}`, shopButtons(ctx)));
}

/** `join`, `join <CODE>`, or the join button: a code starts the join effect; no code explains. */
function joinStep(argument: string, ctx: Context): Step {
  if (argument.trim() === '') return ctx.membership ? shopStep(ctx) : reply(text(ctx.t('merchants:join.howTo')));
  const code = parseInviteCode(argument);
  if (!code) return reply(text(ctx.t('merchants:join.badFormat')));
  return run({ type: 'merchants.join', code });
}

function inviteStep(ctx: Context): Step {
  if (!ctx.membership) return notMember(ctx);
  if (!hasRole(ctx.membership, 'owner')) return ownerOnly(ctx);
  return run({ type: 'merchants.createInvite', merchantId: ctx.membership.merchantId });
}

function membersStep(ctx: Context): Step {
  if (!ctx.membership) return notMember(ctx);
  return run({ type: 'merchants.listMembers', merchantId: ctx.membership.merchantId });
}

/**
 * A Remove button names the merchant it was shown for; it only works while that is the merchant
 * the owner is working for (the effect checks ownership in the database again).
 */
function removeChecks(args: string[], ctx: Context): { merchantId: string; memberUserId: string } | Step {
  const [merchantId, memberUserId] = args;
  if (!ctx.membership) return notMember(ctx);
  if (!merchantId || !memberUserId) return reply(text(ctx.t('fallback')));
  if (merchantId !== ctx.membership.merchantId) return reply(text(ctx.t('merchants:members.otherShop', { merchant: ctx.membership.merchantName }), shopButtons(ctx)));
  if (!hasRole(ctx.membership, 'owner')) return ownerOnly(ctx);
  return { merchantId, memberUserId };
}

function removeMemberStep(args: string[], ctx: Context): Step {
  const checked = removeChecks(args, ctx);
  if ('replies' in checked) return checked;
  return reply(
    text(ctx.t('merchants:members.confirmRemove', { merchant: ctx.membership?.merchantName ?? '' }), [
      commandButton(ctx.t('merchants:buttons.confirmRemove'), MERCHANT_ACTIONS.confirmRemoveMember, [checked.merchantId, checked.memberUserId]),
      commandButton(ctx.t('merchants:buttons.keep'), MERCHANT_ACTIONS.members),
    ]),
  );
}

function confirmRemoveMemberStep(args: string[], ctx: Context): Step {
  const checked = removeChecks(args, ctx);
  if ('replies' in checked) return checked;
  return run({ type: 'merchants.removeMember', merchantId: checked.merchantId, memberUserId: checked.memberUserId });
}

function switchShopStep([merchantId]: string[], ctx: Context): Step {
  if (!ctx.membership) return notMember(ctx);
  if (!merchantId) return run({ type: 'merchants.listShops' });
  return run({ type: 'merchants.switchShop', merchantId });
}

/** `notices` shows the user's own payment notices for the active merchant; `notices on|off` sets them. */
function noticesStep([choice]: string[], ctx: Context): Step {
  if (!ctx.membership) return notMember(ctx);
  const enabled = choice === 'on' ? true : choice === 'off' ? false : undefined;
  return run({ type: 'merchants.notices', merchantId: ctx.membership.merchantId, ...(enabled === undefined ? {} : { enabled }) });
}

function noticesResultStep(result: EffectResultOf<'merchants.noticesState'>, ctx: Context): Step {
  const toggle = result.enabled
    ? commandButton(ctx.t('merchants:buttons.noticesOff'), MERCHANT_ACTIONS.notices, ['off'])
    : commandButton(ctx.t('merchants:buttons.noticesOn'), MERCHANT_ACTIONS.notices, ['on']);
  const body = ctx.t(result.enabled ? 'merchants:notices.on' : 'merchants:notices.off', { merchant: result.merchantName });
  return reply(text(result.changed ? `${ctx.t('merchants:notices.changed')}\n${body}` : body, [toggle, commandButton(ctx.t('buttons.help'), 'help')]));
}

/** `buyerdetails` says who reads buyers' details; an owner's `buyerdetails staff|owners` decides. */
function buyerDetailsStep([choice]: string[], ctx: Context): Step {
  if (!ctx.membership) return notMember(ctx);
  const staffMayRead = choice === 'staff' ? true : choice === 'owners' ? false : undefined;
  if (staffMayRead !== undefined && !hasRole(ctx.membership, 'owner')) return ownerOnly(ctx);
  return run({ type: 'merchants.buyerDetails', merchantId: ctx.membership.merchantId, ...(staffMayRead === undefined ? {} : { staffMayRead }) });
}

function buyerDetailsResultStep(result: EffectResultOf<'merchants.buyerDetailsState'>, ctx: Context): Step {
  const buttons: Button[] = [];
  if (result.viewerRole === 'owner') {
    buttons.push(
      result.staffMayRead
        ? commandButton(ctx.t('merchants:buttons.buyerDetailsOwners'), MERCHANT_ACTIONS.buyerDetails, ['owners'])
        : commandButton(ctx.t('merchants:buttons.buyerDetailsStaff'), MERCHANT_ACTIONS.buyerDetails, ['staff']),
    );
  }
  buttons.push(commandButton(ctx.t('buttons.help'), 'help'));
  const body = ctx.t(result.staffMayRead ? 'merchants:buyerDetails.staffToo' : 'merchants:buyerDetails.ownersOnly', { merchant: result.merchantName });
  return reply(text(result.changed ? `${ctx.t('merchants:notices.changed')}\n${body}` : body, buttons));
}

function memberButtons(ctx: Context): Button[] {
  return [commandButton(ctx.t('buttons.quick'), 'quick'), commandButton(ctx.t('buttons.links'), 'links'), commandButton(ctx.t('buttons.help'), 'help')];
}

function joinResultStep(result: EffectResultOf<'merchants.joinResult'>, ctx: Context): Step {
  const { outcome } = result;
  switch (outcome.status) {
    case 'joined':
      return reply(text(ctx.t('merchants:join.joined', { merchant: outcome.merchantName, role: roleName(outcome.role, ctx) }), memberButtons(ctx)));
    case 'alreadyMember':
      return reply(text(ctx.t('merchants:join.alreadyMember', { merchant: outcome.merchantName }), memberButtons(ctx)));
    case 'invalid':
    case 'expired':
    case 'used':
      return reply(text(`${ctx.t(`merchants:join.${outcome.status}`)}\n${ctx.t('merchants:join.attemptsLeft', { count: outcome.attemptsLeft })}`));
    case 'rateLimited':
      return reply(text(ctx.t('merchants:join.rateLimited', { time: formatDateTime(outcome.retryAt, ctx.language) })));
  }
}

function inviteCreatedStep(result: EffectResultOf<'merchants.inviteCreated'>, ctx: Context): Step {
  const joinText = ctx.t('merchants:join.command', { code: result.code });
  return reply({
    kind: 'card',
    altText: ctx.t('merchants:invite.altText', { code: result.code, merchant: result.merchantName }),
    card: {
      title: ctx.t('merchants:invite.title', { merchant: result.merchantName }),
      subtitle: result.code,
      rows: [
        { label: ctx.t('merchants:invite.role'), value: roleName(result.role, ctx) },
        { label: ctx.t('merchants:invite.validUntil'), value: formatDateTime(result.expiresAt, ctx.language) },
        { label: ctx.t('merchants:invite.uses'), value: ctx.t('merchants:invite.once') },
      ],
      footnote: ctx.t('merchants:invite.howToUse', { text: joinText }),
      buttons: [
        // A long Japanese or Korean shop name would push the share URI past LINE's limit: then just the command.
        { label: ctx.t('merchants:buttons.share'), action: { type: 'share', text: fitShareText(ctx.t('merchants:invite.shareText', { merchant: result.merchantName, text: joinText }), joinText) } },
        { label: ctx.t('merchants:buttons.copy'), action: { type: 'copy', text: joinText } },
      ],
    },
    quickReplies: [commandButton(ctx.t('merchants:buttons.members'), MERCHANT_ACTIONS.members), commandButton(ctx.t('buttons.help'), 'help')],
  });
}

function membersResultStep(result: EffectResultOf<'merchants.members'>, ctx: Context): Step {
  const isOwner = result.viewerRole === 'owner';
  const removable = isOwner ? result.members.filter((member) => !member.isYou).slice(0, MAX_REMOVE_BUTTONS) : [];
  const buttons: Button[] = removable.map((member) => commandButton(ctx.t('merchants:buttons.remove', { name: member.name }), MERCHANT_ACTIONS.removeMember, [result.merchantId, member.userId]));
  if (isOwner) buttons.push(commandButton(ctx.t('merchants:buttons.invite'), MERCHANT_ACTIONS.invite));
  buttons.push(commandButton(ctx.t('buttons.help'), 'help'));
  return reply({
    kind: 'card',
    altText: ctx.t('merchants:members.title', { merchant: result.merchantName }),
    card: {
      title: ctx.t('merchants:members.title', { merchant: result.merchantName }),
      rows: result.members.map((member) => ({
        label: member.isYou ? ctx.t('merchants:members.you', { name: member.name }) : member.name,
        value: roleName(member.role, ctx),
      })),
      footnote: isOwner ? ctx.t('merchants:members.ownerNote') : ctx.t('merchants:members.staffNote'),
      buttons: [],
    },
    quickReplies: buttons,
  });
}

function shopsResultStep(result: EffectResultOf<'merchants.shops'>, ctx: Context): Step {
  if (result.shops.length === 0) return notMember(ctx);
  const active = result.shops.find((shop) => shop.active);
  if (result.shops.length === 1) return reply(text(ctx.t('merchants:shops.onlyOne', { merchant: active?.merchantName ?? result.shops[0]!.merchantName }), shopButtons(ctx)));
  const buttons = result.shops
    .filter((shop) => !shop.active)
    .slice(0, 12)
    .map((shop) => commandButton(shop.merchantName, MERCHANT_ACTIONS.switchShop, [shop.merchantId]));
  const list = result.shops.map((shop) => `${shop.active ? '▶' : '・'} ${shop.merchantName} (${roleName(shop.role, ctx)})`).join('\n');
  return reply(text(`${ctx.t('merchants:shops.choose', { merchant: active?.merchantName ?? '' })}\n\n${list}`, buttons));
}

export const merchantChat: Capability = {
  words: MERCHANT_WORDS,
  dialogs: {},
  commands: {
    join: { words: ['join', '参加', '가입'], run: (matched, ctx) => joinStep(matched.argument, ctx), guest: true },
  },
  guestActions: [MERCHANT_ACTIONS.join],
  helpButtons: (ctx) => [commandButton(ctx.t('merchants:buttons.shop'), MERCHANT_ACTIONS.shop)],
  actions: {
    [MERCHANT_ACTIONS.join]: ([code = ''], ctx) => joinStep(code, ctx),
    [MERCHANT_ACTIONS.shop]: (_args, ctx) => shopStep(ctx),
    [MERCHANT_ACTIONS.invite]: (_args, ctx) => inviteStep(ctx),
    [MERCHANT_ACTIONS.members]: (_args, ctx) => membersStep(ctx),
    [MERCHANT_ACTIONS.removeMember]: removeMemberStep,
    [MERCHANT_ACTIONS.confirmRemoveMember]: confirmRemoveMemberStep,
    [MERCHANT_ACTIONS.shops]: (_args, ctx) => switchShopStep([], ctx),
    [MERCHANT_ACTIONS.switchShop]: switchShopStep,
    [MERCHANT_ACTIONS.notices]: noticesStep,
    [MERCHANT_ACTIONS.buyerDetails]: buyerDetailsStep,
  },
  results: {
    'merchants.joinResult': joinResultStep,
    'merchants.inviteCreated': inviteCreatedStep,
    'merchants.members': membersResultStep,
    'merchants.memberRemoved': (result, ctx) => reply(text(ctx.t(`merchants:members.${result.outcome}`, { merchant: result.merchantName }), shopButtons(ctx))),
    'merchants.shops': shopsResultStep,
    'merchants.shopSwitched': (result, ctx) => reply(text(ctx.t('merchants:shops.switched', { merchant: result.merchantName }), memberButtons(ctx))),
    'merchants.noticesState': noticesResultStep,
    'merchants.buyerDetailsState': buyerDetailsResultStep,
    'merchants.refused': (result, ctx) => {
      if (result.reason === 'notOwner') return ownerOnly(ctx);
      return ctx.membership ? reply(text(ctx.t('merchants:auth.notMemberOfThat'), shopButtons(ctx))) : notMember(ctx);
    },
  },
};
