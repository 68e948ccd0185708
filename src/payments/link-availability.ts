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
 * Checkouts of the link still in flight: pending, opened within a reserved session's lifetime, and
 * with no payment that ended it (captured — then it counts as captured — failed, expired or cancelled).
 */
export async function countCheckoutsInFlight(db: LedgerReader, linkId: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - (RESERVED_SESSION_SECONDS + RESERVATION_MARGIN_SECONDS) * 1000);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT COUNT(*)::int AS "count"
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

/** availabilityOf with the link's counts read from the ledger (only a usage limit needs them). */
export async function linkAvailability(db: LedgerReader, link: AvailabilityFields & { id: string }, now: Date): Promise<LinkAvailability> {
  if (link.usageLimit === null) return availabilityOf(link, { captured: 0, inFlight: 0 }, now);
  const captured = await getCapturedCountForLink(db, link.id);
  const inFlight = await countCheckoutsInFlight(db, link.id, now);
  return availabilityOf(link, { captured, inFlight }, now);
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
