// How many times a discount code has been used, by the same hold rule as a link's usage limit
// (payments/link-availability.ts): a checkout with the code counts while it can still be paid
// (pending, opened within CODE_HOLD_SECONDS plus a margin, no payment that ended it) and for good
// once its payment was captured. A capture stays a use after a refund: a refunded order does not
// hand the code out again. Checkouts that failed to open, or whose payment failed, expired or was
// cancelled, give their use back. Decisions are taken under the code's row lock (lockCode), so a
// cap of N opens at most N sessions however many buyers press Pay at once.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/**
 * How long a checkout holds a use of a capped code, and so how long its session stays payable:
 * the same 15 minutes as a usage-limited link's place (payments/link-availability.ts).
 */
export const CODE_HOLD_SECONDS = 15 * 60;
// The provider counts a session's lifetime from its own creation, a moment after our Checkout row's.
const HOLD_MARGIN_SECONDS = 120;

type Reader = PrismaClient | Prisma.TransactionClient;

/** Uses of each code (captured, or held by a checkout in flight); codes with none are absent. */
export async function countCodeUses(db: Reader, codeIds: readonly string[], now: Date): Promise<Map<string, number>> {
  if (codeIds.length === 0) return new Map();
  const since = new Date(now.getTime() - (CODE_HOLD_SECONDS + HOLD_MARGIN_SECONDS) * 1000);
  const rows = await db.$queryRaw<{ codeId: string; uses: number }[]>`
    SELECT c."discountCodeId" AS "codeId", COUNT(*)::int AS "uses"
      FROM "Checkout" c
     WHERE c."discountCodeId" = ANY(${[...codeIds]}::text[])
       AND (
             EXISTS (SELECT 1 FROM "Payment" p
                      WHERE p."checkoutId" = c."id" AND (p."status" IN ('captured', 'refunded') OR p."capturedAt" IS NOT NULL))
          OR (c."status" = 'pending'
              AND c."createdAt" > ${since}
              AND NOT EXISTS (SELECT 1 FROM "Payment" p
                               WHERE p."checkoutId" = c."id" AND p."status" IN ('failed', 'expired', 'cancelled') AND p."capturedAt" IS NULL))
           )
     GROUP BY c."discountCodeId"`;
  return new Map(rows.map((row) => [row.codeId, row.uses]));
}

export async function codeUses(db: Reader, codeId: string, now: Date): Promise<number> {
  return (await countCodeUses(db, [codeId], now)).get(codeId) ?? 0;
}

/** Inside a transaction: checkouts using this code are decided one at a time (see the top). */
export async function lockCode(tx: Prisma.TransactionClient, codeId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "DiscountCode" WHERE "id" = ${codeId} FOR UPDATE`;
}

/**
 * The use of a code this client (its keyed address) holds now, if any: a pending checkout with the
 * code, opened within the hold, nothing paid into it yet. One client holds at most one use of a
 * capped code, so pressing Pay again and again cannot take a promotion's uses from other buyers.
 */
export async function clientCodeHold(db: Reader, codeId: string, clientKey: string, now: Date): Promise<{ id: string; linkId: string; amount: number | null; sessionUrl: string | null } | null> {
  const since = new Date(now.getTime() - (CODE_HOLD_SECONDS + HOLD_MARGIN_SECONDS) * 1000);
  return db.checkout.findFirst({
    where: { discountCodeId: codeId, clientKey, status: 'pending', createdAt: { gt: since }, payments: { none: {} } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, linkId: true, amount: true, sessionUrl: true },
  });
}
