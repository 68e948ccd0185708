// How many times a discount code has been used, by the same hold rule as a link's usage limit
// (links/checkout-holds.ts): a checkout with the code counts while it can still be paid (in flight
// — a declined attempt does not give the use back while its session stays payable), while its
// payment awaits payment at a konbini, bank or Pay-easy before its deadline, and for good once its
// payment was captured. A capture stays a use after a refund: a refunded order does not hand the
// code out again. Checkouts that failed to open, whose session lapsed unpaid, or whose payment
// expired or was cancelled, give their use back. Decisions are taken under the code's row lock
// (payments/start-checkout.ts), so a cap of N opens at most N sessions however many buyers press Pay at once.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { awaitingSql, capturedSql, holdSince, inFlightSql } from '../links/checkout-holds.js';

type Reader = PrismaClient | Prisma.TransactionClient;

/** c holds a use of its code now (captured, awaiting payment, or in flight): a condition on a "Checkout" aliased c. */
function usesSql(now: Date): Prisma.Sql {
  return Prisma.sql`(${capturedSql()} OR ${awaitingSql(now)} OR ${inFlightSql(now)})`;
}

/** Uses of each code (captured, awaiting payment, or held by a checkout in flight); codes with none are absent. */
export async function countCodeUses(db: Reader, codeIds: readonly string[], now: Date): Promise<Map<string, number>> {
  if (codeIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ codeId: string; uses: number }[]>`
    SELECT c."discountCodeId" AS "codeId", COUNT(*)::int AS "uses"
      FROM "Checkout" c
     WHERE c."discountCodeId" = ANY(${[...codeIds]}::text[])
       AND ${usesSql(now)}
     GROUP BY c."discountCodeId"`;
  return new Map(rows.map((row) => [row.codeId, row.uses]));
}

export async function codeUses(db: Reader, codeId: string, now: Date): Promise<number> {
  return (await countCodeUses(db, [codeId], now)).get(codeId) ?? 0;
}

/** The code's uses now, as an SQL expression (the checkout reads it under the code's lock, start-checkout.ts). */
export function codeUsesSql(codeId: string | Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`(SELECT COUNT(*)::int FROM "Checkout" c WHERE c."discountCodeId" = ${codeId} AND ${usesSql(now)})`;
}

/** The use of a code a client holds (clientCodeHoldSql): at most one row. */
export interface CodeHoldRow {
  codeHoldId: string | null;
  codeHoldLinkId: string | null;
  codeHoldAmount: number | null;
  codeHoldSessionUrl: string | null;
}

/**
 * The use of a code this client (its keyed address) holds now, if any: a pending checkout with the
 * code, opened within the hold, nothing paid into it yet (a declined attempt is not a payment: the
 * session can be paid again). One client holds at most one use of a capped code, so pressing Pay
 * again and again — declined or not — cannot take a promotion's uses from other buyers. A
 * subquery of at most one row (CodeHoldRow), the newest.
 */
export function clientCodeHoldSql(codeId: string, clientKey: string, now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT c."id" AS "codeHoldId", c."linkId" AS "codeHoldLinkId", c."amount" AS "codeHoldAmount", c."sessionUrl" AS "codeHoldSessionUrl"
      FROM "Checkout" c
     WHERE c."discountCodeId" = ${codeId} AND c."clientKey" = ${clientKey} AND c."status" = 'pending' AND c."createdAt" > ${holdSince(now)}
       AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p."checkoutId" = c."id" AND NOT (p."status" = 'failed' AND p."capturedAt" IS NULL))
     ORDER BY c."createdAt" DESC
     LIMIT 1`;
}
