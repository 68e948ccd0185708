// Records what a provider says about a payment against the link it was paid through.
//
// Every snapshot is MERGED into the stored payment, never copied over it, with a merge that is
// commutative, associative and idempotent — so duplicated, late or reordered webhooks fold to the
// same state as one in-order delivery:
//   status         the later by rank (payment-status.ts); a late `authorized` never undoes `captured`
//   capturedAt     the earliest known
//   refunds        union by refund id (amount: the larger; chargeback: once true, stays true)
//   amountRefunded the largest of what was stored, what the snapshot says, and the refunds' sum
//   link/checkout  resolved once, then kept
//   tax, fee, total the larger (they are fixed per payment at KOMOJU; 0 / null only when not sent)
//   method, deadline the snapshot's when it has one, else what was stored
// Concurrent deliveries of events for one payment are serialised by a row lock on the payment.
// What the merge changed is recorded as domain events in the same transaction (paymentEvents):
// the handlers (the merchant's notices, …) run after commit, once per fact.
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { recordDomainEvents, type NewDomainEvent } from '../events/domain-events.js';
import { laterStatus, wasCaptured } from './payment-status.js';
import type { PaymentSnapshot, ProviderEvent } from './provider.js';

type Transaction = Prisma.TransactionClient;

/** Metadata keys the checkout puts on every provider session (and so on its payments). */
export const LINK_ID_METADATA_KEY = 'linkId';
export const CHECKOUT_ID_METADATA_KEY = 'checkoutId';

export interface RecordOptions {
  provider: 'komoju' | 'sandbox';
  /**
   * Set when the event was authenticated with a merchant's own webhook secret: that merchant can
   * then only touch payments of its own links (its events naming another merchant's link or
   * payment are not applied).
   */
  merchantId?: string;
  /** The payment is this subscription's (read from the provider's subscription): counted for its link. */
  subscription?: { id: string; linkId: string; checkoutId: string };
}

export interface RecordedPayment {
  paymentId: string;
  /** The link the payment counts for; null when none could be found (stored anyway). */
  linkId: string | null;
  /** True exactly once per payment: on the event that first showed it captured (logged; the notice is its domain event). */
  becameCaptured: boolean;
  /** No link was found for the payment: it is stored with linkId null and should be logged. */
  unknownLink: boolean;
  /** Not applied: the payment belongs to another merchant's link than the one authenticated. */
  foreignPayment: boolean;
}

export interface RecordedEvent {
  /** The event id was seen before: nothing was done. */
  duplicate: boolean;
  /** Null for duplicates and for events without a payment (e.g. `ping`). */
  payment: RecordedPayment | null;
}

interface LockedPayment {
  status: string;
  capturedAt: Date | null;
  paymentDeadline: Date | null;
  amountRefunded: number;
  linkId: string | null;
  checkoutId: string | null;
  sessionId: string | null;
  subscriptionId: string | null;
  linkMerchantId: string | null;
}

interface ResolvedLink {
  linkId: string;
  checkoutId: string | null;
  subscriptionId?: string | null;
}

/**
 * Stores the event once (keyed by its id) and merges its payment, in one transaction: when
 * anything fails nothing is kept, so the provider's redelivery is processed again rather than
 * dropped as a duplicate. `payload` is the raw event body kept for audit (defaults to the parsed event).
 */
export async function recordProviderEvent(prisma: PrismaClient, event: ProviderEvent, options: RecordOptions & { payload?: unknown }): Promise<RecordedEvent> {
  return prisma.$transaction(async (tx) => {
    const stored = await tx.providerEvent.createMany({
      data: [
        {
          id: event.id,
          type: event.type,
          paymentId: event.payment?.id ?? event.fraudPaymentId ?? event.refundRequestUpdate?.paymentId ?? null,
          merchantId: options.merchantId ?? null,
          payload: toJson(options.payload ?? event),
        },
      ],
      skipDuplicates: true,
    });
    if (stored.count === 0) return { duplicate: true, payment: null };
    const payment = event.payment ? await mergePaymentSnapshot(tx, event.payment, options) : null;
    if (event.fraudPaymentId !== undefined && payment?.foreignPayment !== true) {
      // Marks only a payment of the authenticated merchant's links (any link for the operator's account).
      await tx.$executeRaw`
        UPDATE "Payment" p SET "fraud" = true, "updatedAt" = now()
         WHERE p."id" = ${event.fraudPaymentId}
           AND (${options.merchantId ?? null}::text IS NULL
                OR EXISTS (SELECT 1 FROM "Link" l WHERE l."id" = p."linkId" AND l."merchantId" = ${options.merchantId ?? null}::text))`;
    }
    const change = event.refundRequestUpdate;
    if (change !== undefined) {
      // The chat's record of a bank refund request follows KOMOJU (completed, declined, …); only
      // requests of the authenticated merchant's payments.
      await tx.refundRequest.updateMany({
        where: { paymentId: change.paymentId, ...(options.merchantId === undefined ? {} : { merchantId: options.merchantId }) },
        data: { status: change.status },
      });
    }
    return { duplicate: false, payment };
  });
}

/** Merges one payment snapshot (from a webhook or a re-read of the provider's API). */
export async function recordPaymentSnapshot(prisma: PrismaClient, snapshot: PaymentSnapshot, options: RecordOptions): Promise<RecordedPayment> {
  return prisma.$transaction((tx) => mergePaymentSnapshot(tx, snapshot, options));
}

async function mergePaymentSnapshot(tx: Transaction, snapshot: PaymentSnapshot, options: RecordOptions): Promise<RecordedPayment> {
  // Make sure the row exists, then lock it: a concurrent first insert of the same payment waits here.
  const inserted = await tx.payment.createMany({
    data: [
      {
        id: snapshot.id,
        provider: options.provider,
        status: snapshot.status,
        amount: snapshot.amount,
        currency: snapshot.currency,
        sessionId: snapshot.sessionId,
        tax: snapshot.tax,
        paymentMethodFee: snapshot.paymentMethodFee,
        total: snapshot.total,
        paymentMethod: snapshot.paymentMethod,
        paymentDeadline: snapshot.paymentDeadline,
        buyerEmail: snapshot.buyerEmail ?? null,
      },
    ],
    skipDuplicates: true,
  });
  const [locked] = await tx.$queryRaw<LockedPayment[]>`
    SELECT p."status", p."capturedAt", p."paymentDeadline", p."amountRefunded", p."linkId", p."checkoutId", p."sessionId", p."subscriptionId",
           l."merchantId" AS "linkMerchantId"
      FROM "Payment" p LEFT JOIN "Link" l ON l."id" = p."linkId"
     WHERE p."id" = ${snapshot.id}
       FOR UPDATE OF p`;
  if (!locked) throw new Error(`payment ${snapshot.id} vanished while being recorded`);

  if (options.merchantId !== undefined && locked.linkMerchantId !== null && locked.linkMerchantId !== options.merchantId) {
    return { paymentId: snapshot.id, linkId: null, becameCaptured: false, unknownLink: false, foreignPayment: true };
  }

  const resolved = locked.linkId !== null ? null : options.subscription ? { ...options.subscription, subscriptionId: options.subscription.id } : await resolveLink(tx, snapshot, options.merchantId);
  const linkId = locked.linkId ?? resolved?.linkId ?? null;
  const checkoutId = locked.checkoutId ?? resolved?.checkoutId ?? null;
  const subscriptionId = locked.subscriptionId ?? resolved?.subscriptionId ?? options.subscription?.id ?? null;

  const status = laterStatus(locked.status, snapshot.status);
  let capturedAt = earliest(locked.capturedAt, snapshot.capturedAt);
  // KOMOJU always sends captured_at with a captured payment; if one ever lacks it, first sight will do.
  if (capturedAt === null && wasCaptured(status, null)) capturedAt = new Date();

  const knownRefunds =
    snapshot.refunds.length === 0 ? [] : await tx.refund.findMany({ where: { id: { in: snapshot.refunds.map((refund) => refund.id) } }, select: { id: true, paymentId: true, chargeback: true } });
  if (snapshot.refunds.length > 0) {
    const rows = snapshot.refunds.map((refund) => Prisma.sql`(${refund.id}, ${snapshot.id}, ${refund.amount}, ${refund.chargeback})`);
    // A refund id already stored under another payment is left alone (never moved between payments).
    await tx.$executeRaw`
      INSERT INTO "Refund" ("id", "paymentId", "amount", "chargeback")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("id") DO UPDATE
         SET "amount" = GREATEST("Refund"."amount", EXCLUDED."amount"),
             "chargeback" = "Refund"."chargeback" OR EXCLUDED."chargeback"
       WHERE "Refund"."paymentId" = EXCLUDED."paymentId"`;
  }

  const [merged] = await tx.$queryRaw<MergedPayment[]>`
    UPDATE "Payment"
       SET "status" = ${status},
           "capturedAt" = ${capturedAt},
           "amountRefunded" = GREATEST(${locked.amountRefunded}::int, ${snapshot.amountRefunded}::int,
             (SELECT COALESCE(SUM("amount"), 0)::int FROM "Refund" WHERE "paymentId" = ${snapshot.id})),
           "linkId" = ${linkId},
           "checkoutId" = ${checkoutId},
           "subscriptionId" = ${subscriptionId},
           "sessionId" = ${locked.sessionId ?? snapshot.sessionId},
           "tax" = GREATEST("tax", ${snapshot.tax}::int),
           "paymentMethodFee" = GREATEST("paymentMethodFee", ${snapshot.paymentMethodFee}::int),
           "total" = GREATEST("total", ${snapshot.total}::int),
           "paymentMethod" = COALESCE(${snapshot.paymentMethod}, "paymentMethod"),
           "paymentDeadline" = COALESCE(${snapshot.paymentDeadline}::timestamptz, "paymentDeadline"),
           "buyerEmail" = COALESCE(${snapshot.buyerEmail ?? null}::text, "buyerEmail"),
           "updatedAt" = now()
     WHERE "id" = ${snapshot.id}
    RETURNING "amount", "total", "amountRefunded", "paymentDeadline"`;
  if (!merged) throw new Error(`payment ${snapshot.id} vanished while being recorded`);

  if (linkId !== null) {
    // A payment whose link was unknown until now: everything it did is news for that link.
    const before = inserted.count === 1 || locked.linkId === null ? null : locked;
    const facts = paymentEvents({ paymentId: snapshot.id, linkId, before, status, capturedAt, merged, snapshot, knownRefunds });
    if (subscriptionId !== null && facts.some((fact) => fact.type === 'payments.captured') && (await isRenewal(tx, subscriptionId, snapshot.id))) {
      facts.push({
        type: 'subscriptions.renewed',
        dedupeKey: `subscriptions.renewed:${snapshot.id}`,
        subjectId: subscriptionId,
        merchantId: null,
        payload: { subscriptionId, linkId, paymentId: snapshot.id },
      });
    }
    if (facts.length > 0) {
      const merchantId = locked.linkMerchantId ?? (await tx.link.findUnique({ where: { id: linkId }, select: { merchantId: true } }))?.merchantId ?? null;
      await recordDomainEvents(
        tx,
        facts.map((fact) => ({ ...fact, merchantId })),
      );
    }
  }

  const capturedBefore = inserted.count === 0 && wasCaptured(locked.status, locked.capturedAt);
  return {
    paymentId: snapshot.id,
    linkId,
    becameCaptured: !capturedBefore && wasCaptured(status, capturedAt),
    unknownLink: linkId === null,
    foreignPayment: false,
  };
}

interface MergedPayment {
  amount: number;
  total: number | null;
  amountRefunded: number;
  paymentDeadline: Date | null;
}

interface MergeChange {
  paymentId: string;
  linkId: string;
  /** What was stored before this merge; null when the payment (or its link) is new. */
  before: Pick<LockedPayment, 'status' | 'capturedAt' | 'paymentDeadline'> | null;
  status: string;
  capturedAt: Date | null;
  merged: MergedPayment;
  snapshot: PaymentSnapshot;
  /** The snapshot's refunds as stored before this merge (under any payment). */
  knownRefunds: { id: string; paymentId: string; chargeback: boolean }[];
}

/**
 * The facts one merge established, each named by a dedupe key: a payment first captured, newly
 * awaiting payment with a deadline, expired after awaiting, cancelled; each new refund, each new
 * chargeback. Only changes count, so a snapshot re-read months later (a subscription lists all its
 * payments every time) records nothing again.
 */
function paymentEvents(change: MergeChange): NewDomainEvent[] {
  const { paymentId, linkId, before, status, capturedAt, merged } = change;
  const base = { subjectId: paymentId, merchantId: null };
  const events: NewDomainEvent[] = [];
  const captured = wasCaptured(status, capturedAt);
  if (captured && !(before !== null && wasCaptured(before.status, before.capturedAt))) {
    events.push({ ...base, type: 'payments.captured', dedupeKey: `payments.captured:${paymentId}`, payload: { paymentId, linkId } });
  }
  const deadline = merged.paymentDeadline;
  // Awaiting: konbini, bank transfer, Pay-easy — authorized, with a deadline to pay by.
  if (!captured && status === 'authorized' && deadline !== null && !(before?.status === 'authorized' && before.paymentDeadline !== null)) {
    events.push({ ...base, type: 'payments.awaiting', dedupeKey: `payments.awaiting:${paymentId}`, payload: { paymentId, linkId, deadline: new Date(deadline).toISOString() } });
  }
  // Only a payment that had a deadline expires unpaid: an abandoned card attempt is no news.
  if (status === 'expired' && before?.status !== 'expired' && deadline !== null) {
    events.push({ ...base, type: 'payments.expired', dedupeKey: `payments.expired:${paymentId}`, payload: { paymentId, linkId } });
  }
  if (status === 'cancelled' && before?.status !== 'cancelled') {
    events.push({ ...base, type: 'payments.cancelled', dedupeKey: `payments.cancelled:${paymentId}`, payload: { paymentId, linkId } });
  }
  const full = status === 'refunded' || merged.amountRefunded >= (merged.total ?? merged.amount);
  for (const refund of change.snapshot.refunds) {
    const known = change.knownRefunds.find((stored) => stored.id === refund.id);
    // A refund id stored under another payment was not applied to this one.
    if (known && known.paymentId !== paymentId) continue;
    const refundFacts = { paymentId, linkId, refundId: refund.id, amount: refund.amount };
    if (refund.chargeback && !known?.chargeback) {
      events.push({ ...base, type: 'payments.chargeback', dedupeKey: `payments.chargeback:${refund.id}`, payload: refundFacts });
    } else if (!refund.chargeback && !known) {
      events.push({ ...base, type: 'payments.refunded', dedupeKey: `payments.refunded:${refund.id}`, payload: { ...refundFacts, full } });
    }
  }
  return events;
}

/** Whether a subscription already had another captured payment: this one renews it. */
async function isRenewal(tx: Transaction, subscriptionId: string, paymentId: string): Promise<boolean> {
  const earlier = await tx.payment.count({ where: { subscriptionId, id: { not: paymentId }, OR: [{ capturedAt: { not: null } }, { status: { in: ['captured', 'refunded'] } }] } });
  return earlier > 0;
}

/**
 * The link a payment was made through: via our checkout row (its provider session id, else the
 * checkout id in the metadata, else — for a subscription's payment, made without a session — the
 * customer the checkout saved the card to), else the link id in the metadata. With `merchantId`,
 * only that merchant's links qualify.
 */
async function resolveLink(tx: Transaction, snapshot: PaymentSnapshot, merchantId: string | undefined): Promise<ResolvedLink | null> {
  const select = { id: true, linkId: true, link: { select: { merchantId: true } } } as const;
  const owned = (linkMerchantId: string) => merchantId === undefined || linkMerchantId === merchantId;

  if (snapshot.sessionId !== null) {
    const checkout = await tx.checkout.findUnique({ where: { sessionId: snapshot.sessionId }, select });
    if (checkout && owned(checkout.link.merchantId)) return { linkId: checkout.linkId, checkoutId: checkout.id };
  }
  const checkoutId = snapshot.metadata[CHECKOUT_ID_METADATA_KEY];
  if (checkoutId) {
    const checkout = await tx.checkout.findUnique({ where: { id: checkoutId }, select });
    if (checkout && owned(checkout.link.merchantId)) return { linkId: checkout.linkId, checkoutId: checkout.id };
  }
  if (snapshot.customerId) {
    const checkout = await tx.checkout.findUnique({ where: { customerId: snapshot.customerId }, select: { ...select, subscription: { select: { id: true } } } });
    if (checkout && owned(checkout.link.merchantId)) return { linkId: checkout.linkId, checkoutId: checkout.id, subscriptionId: checkout.subscription?.id ?? null };
  }
  const linkId = snapshot.metadata[LINK_ID_METADATA_KEY];
  if (linkId) {
    const link = await tx.link.findUnique({ where: { id: linkId }, select: { id: true, merchantId: true } });
    if (link && owned(link.merchantId)) return { linkId: link.id, checkoutId: null };
  }
  return null;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
