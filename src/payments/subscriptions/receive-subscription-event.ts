// A signed `customer.*` or `subscription.*` event (receive-komoju-webhook.ts routes them here).
//   customer.updated   a customer-mode session may have completed: create the subscription
//                      (ensure-subscription.ts; the return page may be doing the same)
//   subscription.*     re-read the subscription from the provider (the source of truth: whether
//                      the event's data is the subscription or a payment is unconfirmed) and
//                      record its status and payments (their facts — a payment captured, a
//                      renewal — are domain events recorded with them); the first delivery of
//                      subscription.failed records `subscriptions.renewalFailed` with the event id.
// Everything here is idempotent, so the event id is stored only after it was applied: a failure
// answers 5xx and KOMOJU's redelivery does it again.
import type { Prisma } from '../../db/database.js';
import { recordDomainEvents, type NewDomainEvent } from '../../events/domain-events.js';
import { ProviderError, type ProviderEvent, type SubscriptionSnapshot } from '../provider.js';
import { providerForCheckout } from '../provider-for-link.js';
import { applySubscriptionSnapshot, ensureSubscription, recordSubscriptionPayments, SUBSCRIPTION_ID_METADATA_KEY, type SubscriptionDeps } from './ensure-subscription.js';

export interface SubscriptionEventOutcome {
  status: number;
  message: string;
}

const answer = (status: number, message: string): SubscriptionEventOutcome => ({ status, message });

/** Stores the event once; on its first store, `facts` are recorded in the same transaction. */
async function storeEvent(prisma: Prisma, event: ProviderEvent, merchantId: string | undefined, payload: unknown, facts: NewDomainEvent[] = []): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const stored = await tx.providerEvent.createMany({
      data: [{ id: event.id, type: event.type, paymentId: null, merchantId: merchantId ?? null, payload: JSON.parse(JSON.stringify(payload ?? event)) as object }],
      skipDuplicates: true,
    });
    if (stored.count === 1) await recordDomainEvents(tx, facts);
  });
}

/** A provider error worth KOMOJU's redelivery (network, 5xx), as opposed to one that will not change. */
function retryable(error: unknown): boolean {
  return !(error instanceof ProviderError) || error.retryable;
}

export async function receiveSubscriptionEvent(deps: SubscriptionDeps, event: ProviderEvent, source: { merchantId: string | undefined }, payload: unknown): Promise<SubscriptionEventOutcome> {
  const { prisma, log } = deps;
  if (await prisma.providerEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return answer(200, 'duplicate');
  const owned = (merchantId: string) => source.merchantId === undefined || source.merchantId === merchantId;

  if (event.customerId !== undefined) {
    const checkout = await prisma.checkout.findUnique({ where: { customerId: event.customerId }, select: { id: true, link: { select: { merchantId: true } } } });
    if (!checkout || !owned(checkout.link.merchantId)) {
      await storeEvent(prisma, event, source.merchantId, payload);
      return answer(200, 'stored');
    }
    const outcome = await ensureSubscription(deps, checkout.id);
    if (outcome.kind === 'provider_error' && retryable(outcome.error)) return answer(503, 'provider unavailable; retry');
    if (outcome.kind === 'creating') return answer(503, 'subscription being created; retry');
    await storeEvent(prisma, event, source.merchantId, payload);
    return answer(200, outcome.kind === 'subscribed' ? 'subscribed' : 'stored');
  }

  const providerId = event.subscriptionId;
  if (providerId === undefined) {
    await storeEvent(prisma, event, source.merchantId, payload);
    return answer(200, 'stored');
  }
  const ours = event.subscription?.metadata[SUBSCRIPTION_ID_METADATA_KEY];
  const subscription =
    (await prisma.subscription.findUnique({ where: { providerSubscriptionId: providerId }, include: { link: true, checkout: true } })) ??
    (ours ? await prisma.subscription.findUnique({ where: { id: ours }, include: { link: true, checkout: true } }) : null);
  if (!subscription || !owned(subscription.link.merchantId)) {
    log.warn({ eventId: event.id, type: event.type, providerSubscriptionId: providerId }, 'komoju webhook: event for a subscription of none of our links stored, not applied');
    await storeEvent(prisma, event, source.merchantId, payload);
    return answer(200, 'stored');
  }
  // Its creator is still recording what the provider answered: come back later.
  if (subscription.status === 'creating') return answer(503, 'subscription being created; retry');

  const { provider, merchantAccountId } = await providerForCheckout(deps, subscription.checkout, subscription.link);
  let snapshot: SubscriptionSnapshot;
  try {
    snapshot = await provider.getSubscription(providerId);
  } catch (error) {
    if (retryable(error)) return answer(503, 'provider unavailable; retry');
    if (!event.subscription) throw error;
    snapshot = event.subscription;
  }
  await applySubscriptionSnapshot(prisma, subscription, snapshot);
  const recorded = await recordSubscriptionPayments(prisma, subscription, snapshot, merchantAccountId);
  const facts: NewDomainEvent[] = [];
  if (event.type === 'subscription.failed') {
    const failedPayment = [...snapshot.payments].reverse().find((payment) => payment.status === 'failed');
    facts.push({
      type: 'subscriptions.renewalFailed',
      // The failed payment names the failure (KOMOJU may send its news twice under two event ids).
      dedupeKey: `subscriptions.renewalFailed:${failedPayment?.id ?? event.id}`,
      subjectId: subscription.id,
      merchantId: subscription.link.merchantId,
      payload: { subscriptionId: subscription.id, linkId: subscription.linkId, paymentId: failedPayment?.id ?? null },
    });
  }
  await storeEvent(prisma, event, source.merchantId, payload, facts);
  log.info({ eventId: event.id, type: event.type, subscriptionId: subscription.id, payments: recorded.length }, 'komoju webhook: subscription event applied');
  return answer(200, 'recorded');
}
