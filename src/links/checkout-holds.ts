// When a checkout holds what it would take (a usage limit's places, a capped code's use) — one
// rule for the link's places (payments/link-offer.ts) and a code's uses (discounts/code-uses.ts):
//   - in flight: the checkout is pending and opened within CHECKOUT_HOLD_SECONDS (plus a margin),
//     and no payment ended it. A DECLINED attempt does not end it: KOMOJU keeps the session payable
//     after a failed payment, so the buyer may pay on it again; the hold ends when the session
//     itself can no longer be paid (its lifetime is the hold's, see start-checkout.ts);
//   - awaiting: a payment of it awaits payment at a konbini, bank or Pay-easy (authorized, not
//     captured, its payment deadline still ahead): held until paid, cancelled or past the deadline;
//   - captured: taken for good (the caller decides what a refund gives back).
// SQL fragments over a "Checkout" aliased c, so each caller counts in one statement.
import { Prisma } from '../generated/prisma/client.js';

/**
 * How long a checkout holds its place or code use, and so how long its session stays payable:
 * long enough to type a card number and pass 3-D Secure, short enough that a buyer who walked
 * away (or a script) keeps it only briefly.
 */
export const CHECKOUT_HOLD_SECONDS = 15 * 60;
// The provider counts a session's lifetime from its own creation, a moment after our Checkout row's.
const HOLD_MARGIN_SECONDS = 120;

/** The oldest createdAt a checkout may have and still be in flight at `now`. */
export function holdSince(now: Date): Date {
  return new Date(now.getTime() - (CHECKOUT_HOLD_SECONDS + HOLD_MARGIN_SECONDS) * 1000);
}

/** When a checkout opened at `createdAt` stops holding (unless a payment holds on). */
export function holdEndsAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + (CHECKOUT_HOLD_SECONDS + HOLD_MARGIN_SECONDS) * 1000);
}

/** c has a payment awaiting payment before its deadline. */
export function awaitingSql(now: Date): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Payment" p
                              WHERE p."checkoutId" = c."id" AND p."status" = 'authorized' AND p."capturedAt" IS NULL
                                AND p."paymentDeadline" > ${now})`;
}

/** c is in flight (see the top): a failed payment leaves it so. */
export function inFlightSql(now: Date): Prisma.Sql {
  return Prisma.sql`(c."status" = 'pending' AND c."createdAt" > ${holdSince(now)}
                     AND NOT EXISTS (SELECT 1 FROM "Payment" p
                                      WHERE p."checkoutId" = c."id"
                                        AND (p."status" IN ('captured', 'refunded', 'expired', 'cancelled') OR p."capturedAt" IS NOT NULL
                                             OR (p."status" = 'authorized' AND p."paymentDeadline" IS NOT NULL))))`;
}

/** c's payment was captured (it may have been refunded since). */
export function capturedSql(): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Payment" p
                             WHERE p."checkoutId" = c."id" AND (p."status" IN ('captured', 'refunded') OR p."capturedAt" IS NOT NULL))`;
}
