// The offer rule's reader: loads a link's live state from the ledger (places captured, held by
// checkouts in flight, held by payments awaiting payment; whether a code applies) and asks the one
// rule (links/offer-rule.ts) what a buyer may choose now. Its SQL is taken into the statements the
// page and Pay make anyway (payments/link-page-state.ts reads it with the link, start-checkout.ts
// under the link's lock), so a crowd on a link costs no extra round trip. A usage limit compares against the
// link's captured payments exactly as the Total Sales Summary counts them (summary.ts), so what the
// merchant reads in the summary and what the link page enforces never disagree.
import { Prisma, type Link } from '../generated/prisma/client.js';
import { offersCodesSql } from '../discounts/find-code.js';
import type { BuyerLink } from '../links/buyer-link.js';
import { awaitingSql, holdEndsAt, inFlightSql } from '../links/checkout-holds.js';
import { NO_LIVE_STATE, offerFor, offerTermsOf, type LinkLiveState, type Offer } from '../links/offer-rule.js';
import { linkSummarySql, type LedgerReader } from './summary.js';

/** A link's id, or an SQL expression for it (the column of an outer query that reads the link itself). */
export type LinkIdSql = string | Prisma.Sql;

/**
 * Places the link's captured payments used, as an SQL expression: each counts its checkout's
 * quantity. Which payments count is the summary's "captured payments" (linkSummarySql); while
 * every such payment bought one unit the two numbers are equal, and a quantity only ever adds to it.
 */
function capturedPlacesSql(linkId: LinkIdSql): Prisma.Sql {
  // The extra units beyond one of captured payments that are neither refunded in full nor charged back.
  return Prisma.sql`(SELECT CASE WHEN s."capturedPayments" = 0 THEN 0 ELSE s."capturedPayments" + (
              SELECT COALESCE(SUM(c."quantity" - 1), 0)::int
                FROM "Payment" p JOIN "Checkout" c ON c."id" = p."checkoutId"
               WHERE p."linkId" = ${linkId}
                 AND c."quantity" > 1
                 AND (p."status" IN ('captured', 'refunded') OR p."capturedAt" IS NOT NULL)
                 AND p."status" <> 'refunded'
                 AND GREATEST(p."amountRefunded", COALESCE((SELECT SUM(r."amount") FROM "Refund" r WHERE r."paymentId" = p."id"), 0)) < p."amount"
                 AND NOT EXISTS (SELECT 1 FROM "Refund" r WHERE r."paymentId" = p."id" AND r."chargeback")) END
       FROM (${linkSummarySql(typeof linkId === 'string' ? [linkId] : Prisma.sql`ARRAY[${linkId}]`)}) s)`;
}

/** Places the link's captured payments used (see capturedPlacesSql). */
export async function countCapturedPlaces(db: LedgerReader, linkId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ places: number | null }[]>`SELECT ${capturedPlacesSql(linkId)}::int AS "places"`;
  return row?.places ?? 0;
}

/** Places held by the link's checkouts in flight and by its payments awaiting payment (links/checkout-holds.ts), and when the first may come back: one row. */
function heldPlacesSql(linkId: LinkIdSql, now: Date): Prisma.Sql {
  return Prisma.sql`
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
}

/** The places a usage limit counts (captured, held), as read by placesSql; dates may come as JSON text. */
export interface PlacesRow {
  captured: number;
  awaiting: number;
  inFlight: number;
  firstDeadline: Date | string | null;
  oldestInFlight: Date | string | null;
}

/**
 * The link's places in one row (see PlacesRow): what only a usage limit needs. A subquery, so the
 * reads that need it (the page and Pay's read of the link, the checkout under the lock) take it in
 * the statement they make anyway.
 */
export function placesSql(linkId: LinkIdSql, now: Date): Prisma.Sql {
  return Prisma.sql`SELECT ${capturedPlacesSql(linkId)}::int AS "captured", h.* FROM (${heldPlacesSql(linkId, now)}) h`;
}

/** The live state from what placesSql read (null: the link has no usage limit, so none was read). */
export function liveStateOf(places: PlacesRow | null, codeOffered: boolean): LinkLiveState {
  if (!places) return { ...NO_LIVE_STATE, codeOffered };
  const frees = [places.firstDeadline ? new Date(places.firstDeadline) : null, places.oldestInFlight ? holdEndsAt(new Date(places.oldestInFlight)) : null].filter(
    (date): date is Date => date !== null,
  );
  return {
    captured: places.captured,
    heldByCheckouts: places.inFlight,
    heldByAwaiting: places.awaiting,
    nextFreeAt: frees.length === 0 ? null : new Date(Math.min(...frees.map((date) => date.getTime()))),
    codeOffered,
  };
}

/**
 * The link's live state in one statement: the counts only a usage limit needs are read only then;
 * codes only when asked (the page's code field).
 */
async function readLinkState(db: LedgerReader, link: Pick<Link, 'id' | 'merchantId' | 'currency' | 'usageLimit'>, now: Date, options: { codes: boolean }): Promise<LinkLiveState> {
  const codeOffered = options.codes ? offersCodesSql(link, now) : Prisma.sql`false`;
  if (link.usageLimit === null) {
    if (!options.codes) return NO_LIVE_STATE;
    const [row] = await db.$queryRaw<{ codeOffered: boolean }[]>`SELECT ${codeOffered} AS "codeOffered"`;
    return { ...NO_LIVE_STATE, codeOffered: row?.codeOffered ?? false };
  }
  const [row] = await db.$queryRaw<(PlacesRow & { codeOffered: boolean })[]>`SELECT ${codeOffered} AS "codeOffered", s.* FROM (${placesSql(link.id, now)}) s`;
  if (!row) throw new Error(`no live state read for link ${link.id}`);
  return liveStateOf(row, row.codeOffered);
}

/** What a buyer may choose on the link now (links/offer-rule.ts), from its live state. */
export async function readLinkOffer(db: LedgerReader, link: BuyerLink, now: Date, options: { codes: boolean }): Promise<Offer> {
  return offerFor(offerTermsOf(link), await readLinkState(db, link, now, options), now);
}

/**
 * The largest number of places taken (captured + held) at which the offer rule still lets this
 * order in: the rule depends on the sum alone (a place captured or held is a place not left), so
 * the database can apply it under the lock as one comparison (start-checkout.ts). Null: it never lets it in. Derived
 * from offerFor itself, so the page and the checkout cannot drift apart; a rule that came to tell
 * captured from held places would fail the check below rather than be applied wrongly.
 */
export function maxPlacesTaken(terms: Parameters<typeof offerTermsOf>[0], quantity: number, now: Date): number | null {
  const limit = terms.usageLimit;
  if (limit === null) throw new Error('places are counted only under a usage limit');
  const admits = (captured: number, held: number) => {
    const offer = offerFor(offerTermsOf(terms), { ...NO_LIVE_STATE, captured, heldByCheckouts: held }, now);
    return offer.open && quantity <= offer.quantity.max;
  };
  if (!admits(0, 0)) return null;
  let low = 0;
  let high = limit;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (admits(mid, 0)) low = mid;
    else high = mid - 1;
  }
  if (!admits(0, low) || admits(low + 1, 0) || admits(0, low + 1)) throw new Error('the offer rule no longer depends on the places taken alone');
  return low;
}
