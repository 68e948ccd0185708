// The offer rule's reader: loads a link's live state from the ledger (places captured, held by
// checkouts in flight, held by payments awaiting payment; whether a code applies) and asks the one
// rule (links/offer-rule.ts) what a buyer may choose now. The page, the checkout (under the link's
// lock) and the buyer-facing statuses all come from here. A usage limit compares against the
// link's captured payments exactly as the Total Sales Summary counts them (summary.ts), so what the
// merchant reads in the summary and what the link page enforces never disagree.
import type { Link, Prisma } from '../generated/prisma/client.js';
import { offersCodes } from '../discounts/find-code.js';
import { awaitingSql, holdEndsAt, inFlightSql } from '../links/checkout-holds.js';
import { NO_LIVE_STATE, offerFor, offerTermsOf, type LinkLiveState, type Offer } from '../links/offer-rule.js';
import { getCapturedCountForLink, type LedgerReader } from './summary.js';

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

/** Places held by the link's checkouts in flight and by its payments awaiting payment (links/checkout-holds.ts), and when the first may come back. */
async function countHeldPlaces(db: LedgerReader, linkId: string, now: Date): Promise<Pick<LinkLiveState, 'heldByCheckouts' | 'heldByAwaiting' | 'nextFreeAt'>> {
  const [row] = await db.$queryRaw<{ awaiting: number; inFlight: number; firstDeadline: Date | null; oldestInFlight: Date | null }[]>`
    SELECT COALESCE(SUM(h."quantity") FILTER (WHERE h."awaiting"), 0)::int AS "awaiting",
           COALESCE(SUM(h."quantity") FILTER (WHERE NOT h."awaiting" AND h."inFlight"), 0)::int AS "inFlight",
           MIN(h."deadline") FILTER (WHERE h."awaiting") AS "firstDeadline",
           MIN(h."createdAt") FILTER (WHERE NOT h."awaiting" AND h."inFlight") AS "oldestInFlight"
      FROM (SELECT c."quantity", c."createdAt",
                   ${awaitingSql(now)} AS "awaiting",
                   ${inFlightSql(now)} AS "inFlight",
                   (SELECT MIN(p."paymentDeadline") FROM "Payment" p
                     WHERE p."checkoutId" = c."id" AND p."status" = 'authorized' AND p."capturedAt" IS NULL AND p."paymentDeadline" > ${now}) AS "deadline"
              FROM "Checkout" c
             WHERE c."linkId" = ${linkId} AND c."status" IN ('pending', 'completed')) h
     WHERE h."awaiting" OR h."inFlight"`;
  const frees = [row?.firstDeadline ? new Date(row.firstDeadline) : null, row?.oldestInFlight ? holdEndsAt(new Date(row.oldestInFlight)) : null].filter((date): date is Date => date !== null);
  return {
    heldByCheckouts: row?.inFlight ?? 0,
    heldByAwaiting: row?.awaiting ?? 0,
    nextFreeAt: frees.length === 0 ? null : new Date(Math.min(...frees.map((date) => date.getTime()))),
  };
}

/** The link's live state: counts only a usage limit needs are read only then; codes only when asked (the page's code field). */
async function readLinkState(db: LedgerReader, link: Link, now: Date, options: { codes: boolean }): Promise<LinkLiveState> {
  const codeOffered = options.codes ? await offersCodes(db, link, now) : false;
  if (link.usageLimit === null) return { ...NO_LIVE_STATE, codeOffered };
  const captured = await countCapturedPlaces(db, link.id);
  return { captured, ...(await countHeldPlaces(db, link.id, now)), codeOffered };
}

/** What a buyer may choose on the link now (links/offer-rule.ts), from its live state. */
export async function readLinkOffer(db: LedgerReader, link: Link, now: Date, options: { codes: boolean }): Promise<Offer> {
  return offerFor(offerTermsOf(link), await readLinkState(db, link, now, options), now);
}

/**
 * Inside a transaction: locks the link row, so checkout decisions for one link are taken one at a
 * time against the counts as committed — captured payments plus held places, so a usage limit of 1
 * opens one session, not one per buyer pressing Pay at once. (A payment that arrives anyway is
 * recorded, never refused; links/captured-after-close.ts tells the owner.)
 */
export async function lockLink(tx: Prisma.TransactionClient, linkId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Link" WHERE "id" = ${linkId} FOR UPDATE`;
}
