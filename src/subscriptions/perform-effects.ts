import type { Prisma } from '../db/database.js';
import type { EffectEnv, Performers } from '../effect-env.js';
import { readBillingInterval } from '../links/billing.js';
import { readStoredBuyerDetails } from '../links/buyer-fields.js';
import { membershipOf } from '../merchants/authorization.js';
import { cancelSubscription } from '../payments/subscriptions/cancel-subscription.js';
import type { SubscriptionEffect, SubscriptionEffectResult, SubscriptionRefusal, SubscriptionView } from './effects.js';

/** Subscriptions shown per list (a LINE carousel holds at most 12 bubbles). */
const LIST_SIZE = 10;

const refused = (refusal: SubscriptionRefusal): SubscriptionEffectResult => ({ type: 'subscriptions.refused', ...refusal });

/** The subscription as the chat shows it, only when it is one of `merchantId`'s links'. */
async function loadSubscriptionView(prisma: Prisma, subscriptionId: string, merchantId: string): Promise<SubscriptionView | null> {
  const row = await prisma.subscription.findUnique({
    where: { id: subscriptionId },
    include: {
      link: { select: { merchantId: true, productName: true, testMode: true } },
      checkout: { select: { buyerDetails: true } },
      payments: { where: { capturedAt: { not: null } }, select: { buyerEmail: true } },
    },
  });
  if (!row || row.link.merchantId !== merchantId) return null;
  const details = readStoredBuyerDetails(row.checkout.buyerDetails);
  return {
    id: row.id,
    linkId: row.linkId,
    productName: row.link.productName,
    amount: row.amount,
    currency: row.currency,
    interval: readBillingInterval(row.interval) ?? 'month',
    status: row.status,
    startedAt: row.createdAt.toISOString(),
    payments: row.payments.length,
    nextPaymentAt: row.nextPaymentAt?.toISOString() ?? null,
    buyer: details?.name ?? details?.email ?? row.payments.find((payment) => payment.buyerEmail)?.buyerEmail ?? null,
    testMode: row.link.testMode,
  };
}

type SubscriptionPerformer<T extends SubscriptionEffect['type']> = (effect: Extract<SubscriptionEffect, { type: T }>, env: EffectEnv) => Promise<SubscriptionEffectResult>;

/** Only the shop's owner stops a buyer's subscription: checked again here, whatever button was pressed. */
function forOwner<T extends SubscriptionEffect['type']>(perform: SubscriptionPerformer<T>): SubscriptionPerformer<T> {
  return async (effect, env) => {
    const membership = await membershipOf(env.prisma, env.userId, effect.merchantId);
    if (!membership) return refused({ reason: 'notMember' });
    if (membership.role !== 'owner') return refused({ reason: 'notOwner' });
    return perform(effect, env);
  };
}

export const subscriptionPerformers: Performers<SubscriptionEffect, SubscriptionEffectResult> = {
  'subscriptions.list': forOwner(async (effect, env) => {
    const link = await env.prisma.link.findFirst({ where: { id: effect.linkId, merchantId: effect.merchantId }, select: { id: true, productName: true } });
    if (!link) return refused({ reason: 'notFound' });
    const rows = await env.prisma.subscription.findMany({
      where: { linkId: link.id, status: { in: ['active', 'failed'] } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: LIST_SIZE,
      select: { id: true },
    });
    const views = await Promise.all(rows.map((row) => loadSubscriptionView(env.prisma, row.id, effect.merchantId)));
    return { type: 'subscriptions.listed', linkId: link.id, productName: link.productName, subscriptions: views.filter((view): view is SubscriptionView => view !== null) };
  }),
  'subscriptions.load': forOwner(async (effect, env) => {
    const subscription = await loadSubscriptionView(env.prisma, effect.subscriptionId, effect.merchantId);
    return subscription ? { type: 'subscriptions.loaded', subscription } : refused({ reason: 'notFound' });
  }),
  'subscriptions.cancel': forOwner(async (effect, env) => {
    const outcome = await cancelSubscription(env, { subscriptionId: effect.subscriptionId, merchantId: effect.merchantId });
    if (!outcome.ok) return outcome.reason === 'provider' ? refused({ reason: 'provider', message: outcome.message }) : refused({ reason: outcome.reason });
    const subscription = await loadSubscriptionView(env.prisma, effect.subscriptionId, effect.merchantId);
    if (!subscription) return refused({ reason: 'notFound' });
    env.log.info({ subscriptionId: subscription.id, by: env.userId, already: outcome.already }, 'subscription cancelled from the chat');
    return { type: 'subscriptions.cancelled', subscription, already: outcome.already };
  }),
};
