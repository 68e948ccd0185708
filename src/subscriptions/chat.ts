// Stopping a buyer's subscription from the chat, for the shop's owner only: a subscription link's
// transactions → Subscriptions (its active subscribers) → Cancel subscription → a confirmation
// card → the provider, once. Staff never see these buttons, and the effects check the owner role
// again against the database (perform-effects.ts). The confirmation ends the dialog, so a second
// press of its button is a stale button, never a second call.
import { z } from 'zod';
import { commandButton, reply, startDialog, text, type Capability, type ResultHandlers } from '../conversation/machine.js';
import { typedDialog } from '../conversation/typed-dialog.js';
import type { Card, Context, EffectResultOf, Step } from '../conversation/types.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import { BILLING_INTERVALS } from '../links/billing.js';
import type { SubscriptionEffect, SubscriptionView } from './effects.js';

const SUBSCRIPTION_ACTIONS = {
  list: 'subscriptions.list',
  cancel: 'subscriptions.cancel',
  confirm: 'subscriptions.confirm',
  keep: 'subscriptions.keep',
} as const;

const CONFIRM = 'subscriptions.confirm';

const subscriptionViewSchema: z.ZodType<SubscriptionView> = z.object({
  id: z.string().min(1),
  linkId: z.string().min(1),
  productName: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  interval: z.enum(BILLING_INTERVALS),
  status: z.string(),
  startedAt: z.string(),
  payments: z.number().int(),
  nextPaymentAt: z.string().nullable(),
  buyer: z.string().nullable(),
  testMode: z.boolean(),
});

/** The confirmation keeps the subscription it would cancel, as it was shown. */
const confirmSlotsSchema = z.object({ subscription: subscriptionViewSchema });

function run(effect: SubscriptionEffect): Step {
  return { state: null, replies: [], effect };
}

function every(subscription: SubscriptionView, ctx: Context): string {
  return ctx.t(`pages:subscription.every.${subscription.interval}`, { price: formatStoredPrice(subscription.amount, subscription.currency, ctx.language) });
}

function factRows(subscription: SubscriptionView, ctx: Context): Card['rows'] {
  const rows: Card['rows'] = [
    { label: ctx.t('subscriptions:facts.product'), value: subscription.productName },
    { label: ctx.t('subscriptions:facts.billing'), value: every(subscription, ctx) },
    { label: ctx.t('subscriptions:facts.since'), value: formatDateTime(subscription.startedAt, ctx.language) },
    { label: ctx.t('subscriptions:facts.payments'), value: String(subscription.payments) },
  ];
  if (subscription.buyer) rows.push({ label: ctx.t('subscriptions:facts.buyer'), value: subscription.buyer });
  if (subscription.nextPaymentAt) rows.push({ label: ctx.t('subscriptions:facts.next'), value: formatDateTime(subscription.nextPaymentAt, ctx.language) });
  rows.push({ label: ctx.t('subscriptions:facts.id'), value: subscription.id });
  return rows;
}

function transactionsButton(linkId: string, ctx: Context) {
  return commandButton(ctx.t('refunds:buttons.transactions'), 'sales.transactions', [linkId]);
}

function listed(result: EffectResultOf<'subscriptions.listed'>, ctx: Context): Step {
  const back = transactionsButton(result.linkId, ctx);
  if (result.subscriptions.length === 0) return reply(text(ctx.t('subscriptions:list.none', { product: result.productName }), [back]));
  return reply({
    kind: 'carousel',
    altText: ctx.t('subscriptions:list.altText', { product: result.productName }),
    cards: result.subscriptions.map((subscription) => ({
      ...(subscription.testMode ? { badge: ctx.t('refunds:test') } : {}),
      title: every(subscription, ctx),
      rows: factRows(subscription, ctx),
      buttons: [{ ...commandButton(ctx.t('subscriptions:buttons.cancel'), SUBSCRIPTION_ACTIONS.cancel, [subscription.id]), style: 'primary' as const }],
    })),
    quickReplies: [back],
  });
}

function confirmCard(subscription: SubscriptionView, ctx: Context): Step {
  const state = startDialog(CONFIRM, ctx, { subscription });
  const card: Card = {
    ...(subscription.testMode ? { badge: ctx.t('refunds:test') } : {}),
    title: ctx.t('subscriptions:confirm.title', { every: every(subscription, ctx) }),
    subtitle: ctx.t('subscriptions:confirm.subtitle'),
    rows: factRows(subscription, ctx),
    footnote: ctx.t('subscriptions:confirm.footnote'),
    buttons: [
      { ...commandButton(ctx.t('subscriptions:buttons.confirm'), SUBSCRIPTION_ACTIONS.confirm, [], state.dialogId), style: 'primary' },
      { ...commandButton(ctx.t('subscriptions:buttons.keep'), SUBSCRIPTION_ACTIONS.keep, [], state.dialogId), style: 'secondary' },
    ],
  };
  return { state, replies: [{ kind: 'card', altText: card.title, card }] };
}

const confirmDialog = typedDialog(confirmSlotsSchema, (state, { subscription }, input, ctx) => {
  if (input.kind === 'postback' && input.action === SUBSCRIPTION_ACTIONS.confirm) {
    const merchantId = ctx.membership?.merchantId;
    if (!merchantId) return reply(text(ctx.t('auth.notMember')));
    return run({ type: 'subscriptions.cancel', merchantId, subscriptionId: subscription.id, dialogId: state.dialogId });
  }
  if (input.kind === 'postback' && input.action === SUBSCRIPTION_ACTIONS.keep) return reply(text(ctx.t('subscriptions:kept'), [transactionsButton(subscription.linkId, ctx)]));
  if (input.kind === 'text' && !input.command) return { state, replies: [text(ctx.t('refunds:confirm.useButtons'))] };
  return null;
});

const results: ResultHandlers = {
  'subscriptions.listed': listed,
  'subscriptions.loaded': (result, ctx) => {
    const { subscription } = result;
    if (subscription.status === 'cancelled') return reply(text(ctx.t('subscriptions:refused.alreadyCancelled'), [transactionsButton(subscription.linkId, ctx)]));
    return confirmCard(subscription, ctx);
  },
  'subscriptions.cancelled': (result, ctx) => {
    const { subscription } = result;
    const message = result.already ? ctx.t('subscriptions:refused.alreadyCancelled') : ctx.t('subscriptions:done', { product: subscription.productName, every: every(subscription, ctx) });
    return reply(text(message, [transactionsButton(subscription.linkId, ctx), commandButton(ctx.t('sales:buttons.summary'), 'summary', [subscription.linkId])]));
  },
  'subscriptions.refused': (result, ctx) => {
    const links = [commandButton(ctx.t('sales:buttons.links'), 'links')];
    if (result.reason === 'provider') return reply(text(ctx.t('subscriptions:refused.provider', { message: result.message }), links));
    return reply(text(ctx.t(`subscriptions:refused.${result.reason}`), links));
  },
};

function ownerAction(build: (args: string[], merchantId: string) => SubscriptionEffect | null) {
  return (args: string[], ctx: Context): Step => {
    if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
    if (ctx.membership.role !== 'owner') return reply(text(ctx.t('subscriptions:refused.notOwner')));
    const effect = build(args, ctx.membership.merchantId);
    return effect ? run(effect) : reply(text(ctx.t('subscriptions:refused.notFound')));
  };
}

export const subscriptionChat: Capability = {
  dialogs: { [CONFIRM]: confirmDialog },
  actions: {
    [SUBSCRIPTION_ACTIONS.list]: ownerAction(([linkId], merchantId) => (linkId ? { type: 'subscriptions.list', merchantId, linkId } : null)),
    [SUBSCRIPTION_ACTIONS.cancel]: ownerAction(([subscriptionId], merchantId) => (subscriptionId ? { type: 'subscriptions.load', merchantId, subscriptionId } : null)),
  },
  results,
};
