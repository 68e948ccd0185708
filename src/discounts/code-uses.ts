// How many times a discount code has been used, by the same hold rule as a link's usage limit
// (links/checkout-holds.ts): a checkout with the code counts while it can still be paid (in flight
// — a declined attempt does not give the use back while its session stays payable), while its
// payment awaits payment at a konbini, bank or Pay-easy before its deadline, and for good once its
// payment was captured. A capture stays a use after a refund: a refunded order does not hand the
// code out again. Checkouts that failed to open, whose session lapsed unpaid, or whose payment
// expired or was cancelled, give their use back. Decisions are taken under the code's row lock
// (lockCode), so a cap of N opens at most N sessions however many buyers press Pay at once.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { awaitingSql, capturedSql, holdSince, inFlightSql } from '../links/checkout-holds.js';

type Reader = PrismaClient | Prisma.TransactionClient;

/** Uses of each code (captured, awaiting payment, or held by a checkout in flight); codes with none are absent. */
export async function countCodeUses(db: Reader, codeIds: readonly string[], now: Date): Promise<Map<string, number>> {
  if (codeIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ codeId: string; uses: number }[]>`
    SELECT c."discountCodeId" AS "codeId", COUNT(*)::int AS "uses"
      FROM "Checkout" c
     WHERE c."discountCodeId" = ANY(${[...codeIds]}::text[])
       AND (${capturedSql()} OR ${awaitingSql(now)} OR ${inFlightSql(now)})
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
 * code, opened within the hold, nothing paid into it yet (a declined attempt is not a payment: the
 * session can be paid again). One client holds at most one use of a capped code, so pressing Pay
 * again and again — declined or not — cannot take a promotion's uses from other buyers.
 */
export async function clientCodeHold(db: Reader, codeId: string, clientKey: string, now: Date): Promise<{ id: string; linkId: string; amount: number | null; sessionUrl: string | null } | null> {
  return db.checkout.findFirst({
    where: { discountCodeId: codeId, clientKey, status: 'pending', createdAt: { gt: holdSince(now) }, payments: { every: { status: 'failed', capturedAt: null } } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, linkId: true, amount: true, sessionUrl: true },
  });
}
