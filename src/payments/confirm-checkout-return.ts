// The buyer is back from the hosted page. The query string only says which session to look at:
// the outcome comes from the provider itself, and what it says is recorded like a webhook would
// be (the webhook may be late, or lost), with the same payment facts (domain events: their dedupe
// keys make one event whichever of the two records a fact first). The provider is asked only while the checkout is still
// open in our records, and at most once per RECHECK_SECONDS per checkout (across instances): the
// page is public, and every provider call spends the shop's API quota with its secret key.
import type { Link } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { isAwaitingPayment, wasCaptured } from './payment-status.js';
import { providerForCheckout, type ProviderDeps } from './provider-for-link.js';
import { recordPaymentSnapshot } from './record-payment-event.js';
import type { SessionSnapshot } from './provider.js';
import type { Checkout } from '../generated/prisma/client.js';
import { readBillingInterval } from '../links/billing.js';
import { ensureSubscription } from './subscriptions/ensure-subscription.js';

/** `subscribing`: a subscription link's card was saved and its subscription is being set up. */
export type ReturnOutcome = 'paid' | 'awaiting' | 'subscribing' | 'not_completed';

export interface ReturnDeps extends ProviderDeps {
  log: Logger;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
// A buyer reloading the page, or a script hammering it, gets our records in between.
const RECHECK_SECONDS = 10;

function checkoutStatus(session: SessionSnapshot): string | null {
  if (session.status === 'completed') return 'completed';
  if (session.status === 'cancelled') return 'cancelled';
  return session.expired ? 'expired' : null;
}

type RecordedStatus = { status: string; capturedAt: Date | null };

/** Paid once any payment of the checkout was captured (a refund since does not undo that the buyer paid). */
function outcomeOf(payments: RecordedStatus[]): ReturnOutcome {
  if (payments.some((payment) => wasCaptured(payment.status, payment.capturedAt))) return 'paid';
  if (payments.some((payment) => isAwaitingPayment(payment.status, payment.capturedAt))) return 'awaiting';
  return 'not_completed';
}

/** True for the one caller (on any instance) that may ask the provider about this checkout now. */
async function claimRecheck(deps: ReturnDeps, checkoutId: string): Promise<boolean> {
  const claimed = await deps.prisma.$executeRaw`
    UPDATE "Checkout" SET "providerCheckedAt" = now()
     WHERE "id" = ${checkoutId}
       AND ("providerCheckedAt" IS NULL OR "providerCheckedAt" < now() - make_interval(secs => ${RECHECK_SECONDS}))`;
  return claimed === 1;
}

export async function confirmCheckoutReturn(deps: ReturnDeps, link: Link, sessionId: unknown): Promise<ReturnOutcome> {
  const { prisma, log } = deps;
  if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) return 'not_completed';
  // Only a session opened for this very link counts.
  const checkout = await prisma.checkout.findUnique({ where: { sessionId } });
  if (!checkout || checkout.linkId !== link.id) return 'not_completed';
  if (readBillingInterval(link.billingInterval) !== null) return confirmSubscriptionReturn(deps, link, checkout, sessionId);

  const recorded = await prisma.payment.findMany({
    where: { OR: [{ checkoutId: checkout.id }, { sessionId, linkId: link.id }] },
    select: { status: true, capturedAt: true },
  });
  // Settled: the session ended, or a payment in it was decided (a failed card may still be retried).
  const settled = checkout.status !== 'pending' || recorded.some((payment) => payment.status !== 'pending' && payment.status !== 'failed');
  if (settled) {
    if (checkout.status === 'pending' && recorded.some((payment) => wasCaptured(payment.status, payment.capturedAt) || isAwaitingPayment(payment.status, payment.capturedAt))) {
      await prisma.checkout.update({ where: { id: checkout.id }, data: { status: 'completed' } });
    }
    return outcomeOf(recorded);
  }
  if (!(await claimRecheck(deps, checkout.id))) return outcomeOf(recorded);

  const { provider, merchantAccountId } = await providerForCheckout(deps, checkout, link);
  let session: SessionSnapshot;
  try {
    session = await provider.getSession(sessionId);
  } catch (error) {
    log.warn({ linkId: link.id, checkoutId: checkout.id, err: error }, 'return page: could not re-read the session; answering from our records');
    return outcomeOf(recorded);
  }

  const status = checkoutStatus(session);
  if (status && status !== checkout.status) {
    await prisma.checkout.update({ where: { id: checkout.id }, data: { status } });
  }
  if (session.status !== 'completed' || !session.payment) return 'not_completed';
  const learned = await recordPaymentSnapshot(prisma, session.payment, { provider: provider.name, merchantId: merchantAccountId });
  // Statuses only move forward in the ledger: read back the merged one, not just this snapshot.
  const merged = await prisma.payment.findUnique({ where: { id: learned.paymentId }, select: { status: true, capturedAt: true } });
  return outcomeOf(merged ? [merged] : []);
}

/** What our records say about a subscription checkout: paid once its first payment was captured. */
async function subscriptionOutcome(deps: ReturnDeps, checkoutId: string): Promise<ReturnOutcome> {
  const recorded = await deps.prisma.payment.findMany({ where: { checkoutId }, select: { status: true, capturedAt: true } });
  if (recorded.some((payment) => wasCaptured(payment.status, payment.capturedAt))) return 'paid';
  const subscription = await deps.prisma.subscription.findUnique({ where: { checkoutId }, select: { status: true } });
  return subscription && (subscription.status === 'creating' || subscription.status === 'active') ? 'subscribing' : 'not_completed';
}

/**
 * A subscription link's checkout saved the buyer's card (customer mode): once the provider says
 * the session completed, the subscription is created here unless the customer.updated webhook
 * already did (ensureSubscription makes one however the two race).
 */
async function confirmSubscriptionReturn(deps: ReturnDeps, link: Link, checkout: Checkout, sessionId: string): Promise<ReturnOutcome> {
  const { prisma, log } = deps;
  const existing = await prisma.subscription.findUnique({ where: { checkoutId: checkout.id }, select: { status: true } });
  if ((existing && existing.status !== 'creating') || !(await claimRecheck(deps, checkout.id))) return subscriptionOutcome(deps, checkout.id);
  const { provider } = await providerForCheckout(deps, checkout, link);
  let session: SessionSnapshot;
  try {
    session = await provider.getSession(sessionId);
  } catch (error) {
    log.warn({ linkId: link.id, checkoutId: checkout.id, err: error }, 'return page: could not re-read the session; answering from our records');
    return subscriptionOutcome(deps, checkout.id);
  }
  if (session.status !== 'completed') {
    const status = checkoutStatus(session);
    if (status && status !== checkout.status) await prisma.checkout.update({ where: { id: checkout.id }, data: { status } });
    return 'not_completed';
  }
  if (checkout.customerId === null && session.customerId) {
    await prisma.checkout.update({ where: { id: checkout.id }, data: { customerId: session.customerId } });
  }
  await ensureSubscription(deps, checkout.id, { sessionCompleted: true });
  return subscriptionOutcome(deps, checkout.id);
}
