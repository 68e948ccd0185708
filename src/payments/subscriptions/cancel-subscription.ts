// Stops a buyer's subscription at its provider: from the chat (the shop's owner, after a
// confirmation card) or the admin CLI. The row is claimed (active/failed → cancelling) before the
// provider is asked, so a double press, a redelivered event or two operators at once call the
// provider once; a refusal gives the claim back. A call whose outcome is unknown (timeout, lost
// answer, 5xx) is decided by reading the subscription: cancelled there is cancelled here.
import type { Checkout, Link, Subscription } from '../../generated/prisma/client.js';
import { providerForCheckout } from '../provider-for-link.js';
import { ProviderError } from '../provider.js';
import { recordDomainEvents } from '../../events/domain-events.js';
import { subscriptionFact, type SubscriptionDeps } from './ensure-subscription.js';

export type CancelSubscriptionOutcome =
  /** `already`: it was cancelled before this call (nothing was asked of the provider). */
  | { ok: true; subscription: Subscription; already: boolean }
  | { ok: false; reason: 'notFound' }
  /** Another call is cancelling it right now, or it is still being created. */
  | { ok: false; reason: 'busy' }
  | { ok: false; reason: 'provider'; message: string };

/** `merchantId`: only a subscription of that merchant's links (the chat); absent for operators. */
export async function cancelSubscription(deps: SubscriptionDeps, input: { subscriptionId: string; merchantId?: string }): Promise<CancelSubscriptionOutcome> {
  const { prisma, log } = deps;
  const row = await prisma.subscription.findUnique({ where: { id: input.subscriptionId }, include: { link: true, checkout: true } });
  if (!row || (input.merchantId !== undefined && row.link.merchantId !== input.merchantId)) return { ok: false, reason: 'notFound' };
  if (row.status === 'cancelled') return { ok: true, subscription: row, already: true };

  const claimed = await prisma.subscription.updateMany({ where: { id: row.id, status: { in: ['active', 'failed'] } }, data: { status: 'cancelling' } });
  if (claimed.count === 0) {
    const now = await prisma.subscription.findUniqueOrThrow({ where: { id: row.id } });
    return now.status === 'cancelled' ? { ok: true, subscription: now, already: true } : { ok: false, reason: 'busy' };
  }
  const providerId = row.providerSubscriptionId;
  try {
    if (providerId === null) throw new ProviderError('the subscription has no provider id yet', null, 'not_created', false);
    const { provider } = await providerForCheckout(deps, row.checkout, row.link);
    await provider.cancelSubscription(providerId);
  } catch (error) {
    if (providerId !== null && (await cancelledAtProvider(deps, row, providerId))) return finishCancel(deps, row);
    await prisma.subscription.updateMany({ where: { id: row.id, status: 'cancelling' }, data: { status: row.status } });
    log.error({ subscriptionId: row.id, err: error }, 'subscription: the provider did not cancel it');
    return { ok: false, reason: 'provider', message: error instanceof Error ? error.message : String(error) };
  }
  return finishCancel(deps, row);
}

async function finishCancel(deps: SubscriptionDeps, row: Subscription & { link: Link }): Promise<CancelSubscriptionOutcome> {
  const subscription = await deps.prisma.$transaction(async (tx) => {
    const cancelled = await tx.subscription.update({ where: { id: row.id }, data: { status: 'cancelled', cancelledAt: new Date(), nextPaymentAt: null } });
    await recordDomainEvents(tx, [subscriptionFact('subscriptions.cancelled', row)]);
    return cancelled;
  });
  deps.log.info({ subscriptionId: row.id, linkId: row.linkId }, 'subscription cancelled');
  return { ok: true, subscription, already: false };
}

/** After a failed DELETE: whether the provider shows the subscription cancelled (the answer may have been lost). */
async function cancelledAtProvider(deps: SubscriptionDeps, row: Subscription & { link: Link; checkout: Checkout }, providerId: string): Promise<boolean> {
  try {
    const { provider } = await providerForCheckout(deps, row.checkout, row.link);
    return (await provider.getSubscription(providerId)).status === 'cancelled';
  } catch (error) {
    deps.log.warn({ subscriptionId: row.id, err: error }, 'subscription: could not read the provider after a failed cancel');
    return false;
  }
}
