// Buyers' details (name, phone, email, address, answer) are kept for the operator's retention
// period (BUYER_DATA_RETENTION_DAYS, default 365 days), then erased wherever we hold them:
// BUYER_DATA_PLACES below is the one list of those places, and eraseExpiredBuyerDetails works
// through it. A checkout keeps its amount and quantity for the summary and the books, and says when
// its details went. (KOMOJU's own copy follows KOMOJU's retention, not ours.)
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often a running server looks for details past their retention. */
const ERASE_EVERY_MS = 60 * 60 * 1000;

/**
 * Every place buyer data lives, what it holds there, and what happens to it (README lists the same).
 * @public the reference list the README and test/integration/payments/buyer-data-erasure.test.ts
 * follow; no code reads it, so it is kept exported on purpose.
 */
export const BUYER_DATA_PLACES = [
  { place: 'Checkout.buyerDetails', holds: 'name, phone, email, address, answer', erased: 'set to null; buyerDetailsErasedAt says when' },
  { place: 'Payment.buyerEmail', holds: "the email KOMOJU reports (the CSV's email column)", erased: 'set to null' },
  {
    place: 'ProviderEvent.payload',
    holds: "KOMOJU's events as received: payment_details (email, name, phone, bank details), customer, our metadata with the buyer's details",
    erased: 'reduced to ids, types, statuses, amounts, dates and our metadata that holds no details (PROVIDER_EVENT_KEYS)',
  },
  {
    place: 'SandboxSession.metadata, SandboxPayment.metadata, SandboxSubscription.metadata',
    holds: "the sandbox's copy of the session metadata (name, phone, address, answer)",
    erased: 'only the keys in SAFE_METADATA_KEYS kept',
  },
  {
    place: 'LineEvent.payload, LineEvent.outbox',
    holds: "what an owner typed (a buyer's bank details for a refund request) and the replies sent (Transactions lists buyers' details)",
    erased: 'message and outbox dropped from processed events (the rows themselves go after 30 days)',
  },
  { place: 'Conversation.slots', holds: "an unfinished dialog's answers (a refund request's bank details)", erased: 'emptied once the dialog has expired' },
  { place: 'CSV exports', holds: 'built from Payment and Checkout when downloaded, never stored or cached', erased: 'follows those rows' },
  { place: 'logs', holds: "nothing: buyers' details are never logged, and addresses only as keyed hashes", erased: 'n/a' },
] as const;

/** Our metadata keys that hold no buyer data: ids and what was chosen. */
const SAFE_METADATA_KEYS = ['linkId', 'checkoutId', 'subscriptionId', 'chosenAmount', 'discountCode', 'discountAmount', 'tipAmount'];

/**
 * The keys of a KOMOJU event (at any depth) that hold no buyer data; everything else is dropped
 * from an old event. An allow-list, so a field KOMOJU adds later is erased, not kept.
 */
const PROVIDER_EVENT_KEYS = new Set([
  'id',
  'type',
  'resource',
  'reason',
  'data',
  'status',
  'amount',
  'currency',
  'total',
  'tax',
  'payment_method_fee',
  'amount_refunded',
  'captured_at',
  'created_at',
  'updated_at',
  'payment_deadline',
  'expired_at',
  'cancelled_at',
  'ended_at',
  'next_capture_at',
  'period',
  'session',
  'subscription',
  'customer',
  'payment',
  'payments',
  'refunds',
  'refund_request',
  'chargeback',
  'payment_details',
  'metadata',
  'include_payment_method_fee',
]);

function withoutBuyerData(value: unknown, key: string | null): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutBuyerData(item, key));
  if (typeof value !== 'object' || value === null) return value;
  const allowed = key === 'metadata' ? (name: string) => SAFE_METADATA_KEYS.includes(name) : (name: string) => PROVIDER_EVENT_KEYS.has(name);
  const kept: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    // payment_details keeps only its type (credit_card, konbini…): the rest is the buyer's.
    if (key === 'payment_details' && name !== 'type') continue;
    if (allowed(name)) kept[name] = key === 'metadata' ? item : withoutBuyerData(item, name);
  }
  return kept;
}

export interface ErasedCounts {
  checkouts: number;
  payments: number;
  providerEvents: number;
  sandboxRows: number;
  lineEvents: number;
  conversations: number;
}

const PROVIDER_EVENT_BATCH = 200;

async function eraseProviderEvents(prisma: Prisma, cutoff: Date, now: Date): Promise<number> {
  let erased = 0;
  for (;;) {
    const rows = await prisma.providerEvent.findMany({
      where: { receivedAt: { lt: cutoff }, buyerDataErasedAt: null },
      select: { id: true, payload: true },
      take: PROVIDER_EVENT_BATCH,
    });
    for (const row of rows) {
      await prisma.providerEvent.update({ where: { id: row.id }, data: { payload: withoutBuyerData(row.payload, null) as object, buyerDataErasedAt: now } });
    }
    erased += rows.length;
    if (rows.length < PROVIDER_EVENT_BATCH) return erased;
  }
}

async function eraseSandboxMetadata(prisma: Prisma, cutoff: Date): Promise<number> {
  let erased = 0;
  for (const table of ['SandboxSession', 'SandboxPayment', 'SandboxSubscription']) {
    // Keeps only the safe keys; the WHERE picks rows that still hold another one.
    erased += await prisma.$executeRawUnsafe(
      `UPDATE "${table}" SET "metadata" = COALESCE((SELECT jsonb_object_agg(key, value) FROM jsonb_each("metadata") WHERE key = ANY($2::text[])), '{}'::jsonb)
        WHERE "createdAt" < $1 AND jsonb_typeof("metadata") = 'object'
          AND EXISTS (SELECT 1 FROM jsonb_object_keys("metadata") AS key WHERE key <> ALL($2::text[]))`,
      cutoff,
      SAFE_METADATA_KEYS,
    );
  }
  return erased;
}

export async function eraseExpiredBuyerDetails(prisma: Prisma, retentionDays: number, now = new Date()): Promise<ErasedCounts> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const checkouts = await prisma.$executeRaw`
    UPDATE "Checkout" SET "buyerDetails" = NULL, "buyerDetailsErasedAt" = ${now}
     WHERE "buyerDetails" IS NOT NULL AND "createdAt" < ${cutoff}`;
  const payments = await prisma.$executeRaw`
    UPDATE "Payment" SET "buyerEmail" = NULL WHERE "buyerEmail" IS NOT NULL AND "createdAt" < ${cutoff}`;
  const providerEvents = await eraseProviderEvents(prisma, cutoff, now);
  const sandboxRows = await eraseSandboxMetadata(prisma, cutoff);
  const lineEvents = await prisma.$executeRaw`
    UPDATE "LineEvent" SET "payload" = "payload" - 'message', "outbox" = NULL
     WHERE "status" IN ('done', 'parked') AND "receivedAt" < ${cutoff} AND ("outbox" IS NOT NULL OR "payload" ? 'message')`;
  const conversations = await prisma.$executeRaw`
    UPDATE "Conversation" SET "slots" = '{}'::jsonb
     WHERE "updatedAt" < ${cutoff} AND "expiresAt" < ${now} AND "slots" <> '{}'::jsonb`;
  return { checkouts, payments, providerEvents, sandboxRows, lineEvents, conversations };
}

/** Erases now and then every ERASE_EVERY_MS while the server runs; returns the stop function. */
export function startBuyerDataEraser(prisma: Prisma, retentionDays: number, log: Logger): () => void {
  const run = () => {
    eraseExpiredBuyerDetails(prisma, retentionDays).then(
      (erased) => {
        if (Object.values(erased).some((count) => count > 0)) log.info({ ...erased, retentionDays }, 'buyer details past their retention erased');
      },
      (error: unknown) => log.error({ err: error }, 'buyer details could not be erased; will try again'),
    );
  };
  run();
  const timer = setInterval(run, ERASE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
