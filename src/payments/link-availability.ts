// Whether a link still takes payments. A usage limit compares against the link's captured
// payments exactly as the Total Sales Summary counts them (summary.ts), so what the merchant reads
// in the summary and what the link page enforces never disagree; places held by checkouts still
// in flight make the link `reserved` (try again soon) rather than used up.
import type { Prisma } from '../generated/prisma/client.js';
import { availabilityOf, type AvailabilityFields, type LinkAvailability } from './link-availability-rule.js';
import { getCapturedCountForLink, type LedgerReader } from './summary.js';

export type { LinkAvailability } from './link-availability-rule.js';

/**
 * How long a checkout of a link with a usage limit holds its place, and so how long its session
 * stays payable at the provider: long enough to type a card number and pass 3-D Secure, short
 * enough that a buyer who walked away (or a script) keeps the place only briefly.
 */
export const RESERVED_SESSION_SECONDS = 15 * 60;
// The provider counts a session's lifetime from its own creation, a moment after our Checkout row's.
const RESERVATION_MARGIN_SECONDS = 120;

/**
 * Places held by checkouts of the link still in flight (each holds its quantity): pending, opened
 * within a reserved session's lifetime, and with no payment that ended it (captured — then it
 * counts as captured — failed, expired or cancelled).
 */
async function countCheckoutsInFlight(db: LedgerReader, linkId: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - (RESERVED_SESSION_SECONDS + RESERVATION_MARGIN_SECONDS) * 1000);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT COALESCE(SUM(c."quantity"), 0)::int AS "count"
      FROM "Checkout" c
     WHERE c."linkId" = ${linkId}
       AND c."status" = 'pending'
       AND c."createdAt" > ${since}
       AND NOT EXISTS (
             SELECT 1 FROM "Payment" p
              WHERE p."checkoutId" = c."id"
                AND (p."status" IN ('captured', 'refunded', 'failed', 'expired', 'cancelled') OR p."capturedAt" IS NOT NULL))`;
  return row?.count ?? 0;
}

/**
 * Places the link's captured payments used: each counts its checkout's quantity. Which payments
 * count is the summary's "captured payments" (getCapturedCountForLink); while every such payment
 * bought one unit the two numbers are equal, and a quantity only ever adds to it.
 */
export async function countCapturedPlaces(db: LedgerReader, linkId: string): Promise<number> {
  const capturedPayments = await getCapturedCountForLink(db, linkId);
  if (capturedPayments === 0) return 0;
  // The extra units beyond one of captured payments that are neither refunded in full nor charged back.
  const [row] = await db.$queryRaw<{ extra: number }[]>`
    SELECT COALESCE(SUM(c."quantity" - 1), 0)::int AS "extra"
      FROM "Payment" p JOIN "Checkout" c ON c."id" = p."checkoutId"
     WHERE p."linkId" = ${linkId}
       AND c."quantity" > 1
       AND (p."status" IN ('captured', 'refunded') OR p."capturedAt" IS NOT NULL)
       AND p."status" <> 'refunded'
       AND GREATEST(p."amountRefunded", COALESCE((SELECT SUM(r."amount") FROM "Refund" r WHERE r."paymentId" = p."id"), 0)) < p."amount"
       AND NOT EXISTS (SELECT 1 FROM "Refund" r WHERE r."paymentId" = p."id" AND r."chargeback")`;
  return capturedPayments + (row?.extra ?? 0);
}

export interface LinkPlaces {
  availability: LinkAvailability;
  /** What a usage limit still allows a new checkout to take; null without a limit. */
  placesLeft: number | null;
  /** Places not captured yet, held ones included (what could ever be left); null without a limit. */
  uncaptured: number | null;
}

/** availabilityOf with the link's counts (in places) read from the ledger (only a usage limit needs them). */
export async function linkPlaces(db: LedgerReader, link: AvailabilityFields & { id: string }, now: Date): Promise<LinkPlaces> {
  if (link.usageLimit === null) return { availability: availabilityOf(link, { captured: 0, inFlight: 0 }, now), placesLeft: null, uncaptured: null };
  const captured = await countCapturedPlaces(db, link.id);
  const inFlight = await countCheckoutsInFlight(db, link.id, now);
  return {
    availability: availabilityOf(link, { captured, inFlight }, now),
    placesLeft: Math.max(0, link.usageLimit - captured - inFlight),
    uncaptured: Math.max(0, link.usageLimit - captured),
  };
}

/**
 * Inside a transaction: locks the link row, so checkout decisions for one link are taken one at a
 * time against the counts as committed — captured payments plus checkouts in flight, so a usage
 * limit of 1 opens one session, not one per buyer pressing Pay at once. (A payment that arrives
 * anyway, e.g. a retry after a declined card, is recorded, never refused.)
 */
export async function lockLink(tx: Prisma.TransactionClient, linkId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Link" WHERE "id" = ${linkId} FOR UPDATE`;
}
