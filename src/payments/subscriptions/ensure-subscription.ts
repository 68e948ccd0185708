// Creates a subscription link's subscription at the provider once the buyer saved a card (the
// customer-mode session completed), exactly once per checkout however many callers race to do it
// (the return page, the customer.updated webhook, their retries): the Subscription row, unique per
// checkout, is claimed before the provider is asked, and the provider call carries an idempotency
// key derived from the checkout. A claim whose creator died is taken over after CLAIM_SECONDS.
// The payments the provider lists for the subscription (the first one at once) are recorded as
// payments of the link, against the subscription's checkout.
import { randomBytes } from 'node:crypto';
import type { Prisma } from '../../db/database.js';
import { recordDomainEvents, type NewDomainEvent } from '../../events/domain-events.js';
import type { Link, Subscription } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { PROVIDER_PERIOD, readBillingInterval } from '../../links/billing.js';
import { providerForCheckout, type ProviderDeps } from '../provider-for-link.js';
import { ProviderError, type PaymentProvider, type SubscriptionSnapshot } from '../provider.js';
import { CHECKOUT_ID_METADATA_KEY, LINK_ID_METADATA_KEY, recordPaymentSnapshot, type RecordedPayment } from '../record-payment-event.js';
import { nextSubscriptionStatus } from './subscription-status.js';

/** Metadata key naming our Subscription row on the provider's subscription. */
export const SUBSCRIPTION_ID_METADATA_KEY = 'subscriptionId';
/** After this long a claim's creator is taken for dead and its claim may be taken over. */
export const CLAIM_SECONDS = 60;

export interface SubscriptionDeps extends ProviderDeps {
  log: Logger;
}

export type EnsureOutcome =
  | { kind: 'subscribed'; subscription: Subscription }
  /** Another caller is creating it right now. */
  | { kind: 'creating' }
  /** Not a subscription checkout, or the buyer has not saved a card (yet). */
  | { kind: 'not_ready' }
  | { kind: 'provider_error'; error: unknown };

function newSubscriptionId(): string {
  return `sub_${randomBytes(12).toString('hex')}`;
}

/** The subscription's payments into the ledger, as payments of its link and checkout. */
export async function recordSubscriptionPayments(
  prisma: Prisma,
  subscription: Pick<Subscription, 'id' | 'linkId' | 'checkoutId' | 'provider'>,
  snapshot: SubscriptionSnapshot,
  merchantId: string | undefined,
): Promise<RecordedPayment[]> {
  const recorded: RecordedPayment[] = [];
  for (const payment of snapshot.payments) {
    recorded.push(
      await recordPaymentSnapshot(prisma, payment, {
        provider: subscription.provider === 'sandbox' ? 'sandbox' : 'komoju',
        ...(merchantId === undefined ? {} : { merchantId }),
        subscription: { id: subscription.id, linkId: subscription.linkId, checkoutId: subscription.checkoutId },
      }),
    );
  }
  return recorded;
}

/**
 * What the provider says about the subscription, into our row (status only moves as
 * nextSubscriptionStatus allows), with the facts that changed in the same transaction: started
 * (no longer being created), cancelled.
 */
export async function applySubscriptionSnapshot(prisma: Prisma, subscription: Subscription, snapshot: SubscriptionSnapshot): Promise<Subscription> {
  const status = nextSubscriptionStatus(subscription.status, snapshot.status);
  return prisma.$transaction(async (tx) => {
    const updated = await tx.subscription.update({
      where: { id: subscription.id },
      data: {
        providerSubscriptionId: subscription.providerSubscriptionId ?? snapshot.id,
        status,
        nextPaymentAt: status === 'active' ? snapshot.nextCaptureAt : null,
        ...(status === 'cancelled' && subscription.cancelledAt === null ? { cancelledAt: new Date() } : {}),
      },
      include: { link: { select: { merchantId: true } } },
    });
    const facts: NewDomainEvent[] = [];
    if (subscription.status === 'creating' && status !== 'creating') facts.push(subscriptionFact('subscriptions.started', updated));
    if (subscription.status !== 'cancelled' && status === 'cancelled') facts.push(subscriptionFact('subscriptions.cancelled', updated));
    await recordDomainEvents(tx, facts);
    const { link: _link, ...row } = updated;
    return row;
  });
}

/** A subscription's own fact (started, cancelled): once per subscription. */
export function subscriptionFact(type: 'subscriptions.started' | 'subscriptions.cancelled', subscription: Pick<Subscription, 'id' | 'linkId'> & { link: { merchantId: string } }): NewDomainEvent {
  return {
    type,
    dedupeKey: `${type}:${subscription.id}`,
    subjectId: subscription.id,
    merchantId: subscription.link.merchantId,
    payload: { subscriptionId: subscription.id, linkId: subscription.linkId },
  };
}

type Claim = { claimed: Subscription; takenOver: boolean } | { existing: Subscription };

async function claim(
  prisma: Prisma,
  checkoutId: string,
  fields: Omit<Subscription, 'id' | 'status' | 'createdAt' | 'updatedAt' | 'providerSubscriptionId' | 'nextPaymentAt' | 'cancelledAt'>,
): Promise<Claim> {
  const id = newSubscriptionId();
  const inserted = await prisma.subscription.createMany({ data: [{ id, status: 'creating', ...fields }], skipDuplicates: true });
  if (inserted.count === 1) return { claimed: await prisma.subscription.findUniqueOrThrow({ where: { id } }), takenOver: false };
  const existing = await prisma.subscription.findUniqueOrThrow({ where: { checkoutId } });
  if (existing.status !== 'creating') return { existing };
  // A claim older than CLAIM_SECONDS was left by a caller that died before finishing: take it over.
  const takenOver = await prisma.subscription.updateMany({
    where: { id: existing.id, status: 'creating', updatedAt: { lt: new Date(Date.now() - CLAIM_SECONDS * 1000) } },
    data: { updatedAt: new Date() },
  });
  return takenOver.count === 1 ? { claimed: existing, takenOver: true } : { existing };
}

/**
 * Whether a failed create may nonetheless have been made: only an answer in which the provider
 * refused it (a 4xx other than 409 "still running" and 429) or a key we never sent says it was not.
 */
function mayHaveCreated(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return true;
  if (error.code === 'invalid_idempotency_key') return false;
  return !(error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 409 && error.status !== 429);
}

// Clocks differ: the provider's created_at may be a little before our claim's.
const CLOCK_SLACK_MS = 5 * 60 * 1000;

/** The subscription an earlier create of this claim made at the provider, if it made one. */
async function findCreated(provider: PaymentProvider, row: Subscription): Promise<SubscriptionSnapshot | null> {
  const found = await provider.findSubscriptions(row.customerId, new Date(row.createdAt.getTime() - CLOCK_SLACK_MS));
  // The customer was saved for this checkout alone; the metadata names the claim when KOMOJU keeps it.
  return found.find((snapshot) => snapshot.metadata[SUBSCRIPTION_ID_METADATA_KEY] === row.id) ?? found[0] ?? null;
}

/**
 * `sessionCompleted`: the caller just read the session as completed; otherwise it is read here
 * (a customer.updated webhook may come before the buyer finished).
 */
export async function ensureSubscription(deps: SubscriptionDeps, checkoutId: string, options: { sessionCompleted?: boolean } = {}): Promise<EnsureOutcome> {
  const { prisma, log } = deps;
  const checkout = await prisma.checkout.findUnique({ where: { id: checkoutId }, include: { link: true, subscription: true } });
  const interval = checkout ? readBillingInterval(checkout.link.billingInterval) : null;
  if (!checkout?.customerId || !checkout.sessionId || interval === null) return { kind: 'not_ready' };
  if (checkout.subscription && checkout.subscription.status !== 'creating') return { kind: 'subscribed', subscription: checkout.subscription };

  const { provider, merchantAccountId } = await providerForCheckout(deps, checkout, checkout.link);
  if (!options.sessionCompleted) {
    try {
      const session = await provider.getSession(checkout.sessionId);
      if (session.status !== 'completed') return { kind: 'not_ready' };
    } catch (error) {
      return { kind: 'provider_error', error };
    }
  }

  const link: Link = checkout.link;
  const claimed = await claim(prisma, checkout.id, {
    provider: checkout.provider,
    linkId: link.id,
    checkoutId: checkout.id,
    customerId: checkout.customerId,
    amount: link.amount,
    currency: link.currency,
    interval,
  });
  if ('existing' in claimed) return claimed.existing.status === 'creating' ? { kind: 'creating' } : { kind: 'subscribed', subscription: claimed.existing };
  const row = claimed.claimed;

  // A claim taken over may hide a create that reached the provider: look before asking again.
  let snapshot: SubscriptionSnapshot | null = null;
  if (claimed.takenOver) {
    try {
      snapshot = await findCreated(provider, row);
    } catch (error) {
      log.warn({ checkoutId, err: error }, 'subscription: could not read the provider before repeating a create');
      return { kind: 'creating' };
    }
  }
  if (snapshot === null) {
    try {
      snapshot = await createAtProvider(provider, row, link);
    } catch (error) {
      const outcome = await decideFailedCreate(deps, provider, row, error);
      if (!('snapshot' in outcome)) return outcome;
      snapshot = outcome.snapshot;
    }
  }
  const subscription = await applySubscriptionSnapshot(prisma, row, snapshot);
  await prisma.checkout.updateMany({ where: { id: checkout.id, status: 'pending' }, data: { status: 'completed' } });
  const recorded = await recordSubscriptionPayments(prisma, subscription, snapshot, merchantAccountId);
  log.info({ subscriptionId: subscription.id, providerSubscriptionId: snapshot.id, linkId: link.id, payments: recorded.length }, 'subscription created');
  return { kind: 'subscribed', subscription };
}

/** A create that failed: refused (claim given back) or unknown (decided by reading, else the claim stays). */
async function decideFailedCreate(deps: SubscriptionDeps, provider: PaymentProvider, row: Subscription, error: unknown): Promise<EnsureOutcome | { snapshot: SubscriptionSnapshot }> {
  const { prisma, log } = deps;
  const fields = error instanceof ProviderError ? { code: error.code, status: error.status } : {};
  const where = { checkoutId: row.checkoutId, linkId: row.linkId };
  if (!mayHaveCreated(error)) {
    // Refused: give the claim back; the next caller tries again with the same key.
    await prisma.subscription.deleteMany({ where: { id: row.id, status: 'creating' } });
    log.error({ ...where, ...fields, err: error }, 'subscription: the provider refused to create it');
    return { kind: 'provider_error', error };
  }
  const found = await findCreated(provider, row).catch((readError: unknown) => {
    log.warn({ ...where, err: readError }, 'subscription: could not read the provider after an unknown create');
    return null;
  });
  if (found) return { snapshot: found };
  // Unknown and not (yet) visible: the claim stays, so nobody creates blind; it is taken over after
  // CLAIM_SECONDS (webhook redelivery, the return page, the hourly reconciliation) and read again.
  log.warn({ ...where, ...fields }, 'subscription: create outcome unknown; claim kept until the provider shows it');
  return { kind: 'creating' };
}

function createAtProvider(provider: PaymentProvider, row: Subscription, link: Link): Promise<SubscriptionSnapshot> {
  const interval = readBillingInterval(row.interval) ?? 'month';
  return provider.createSubscription({
    customerId: row.customerId,
    amount: row.amount,
    currency: row.currency,
    period: PROVIDER_PERIOD[interval],
    metadata: { [LINK_ID_METADATA_KEY]: link.id, [CHECKOUT_ID_METADATA_KEY]: row.checkoutId, [SUBSCRIPTION_ID_METADATA_KEY]: row.id },
    idempotencyKey: `subscription-${row.checkoutId}`,
  });
}
