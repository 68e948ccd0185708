// The code a buyer typed on a link's page, or why it does not apply there. The checkout asks again
// under the code's lock (payments/start-checkout.ts) before it opens a session.
import { Prisma, type DiscountCode } from '../generated/prisma/client.js';
import { codeKey, readDiscountOff, type DiscountOff } from './discount-rule.js';
import type { SqlQuery } from '../db/sql.js';
import { codeUsesSql } from './code-uses.js';

/** A value, or an SQL expression for it (an outer query's column). */
type SqlValue = string | Prisma.Sql;

/**
 * Why a typed code is refused, as the buyer hears it: one answer whether the shop has no such code
 * or has one that is stopped, expired, for other links or used up, so guessing tells a stranger
 * nothing about which codes exist. The owner's `codes` list says which of those a code is.
 */
export type CodeRefusal = 'unknown';

export type FoundCode = { ok: true; code: DiscountCode; off: DiscountOff } | { ok: false; reason: CodeRefusal };

/**
 * The shop's code matching `typed` (case, width and spaces ignored), if it applies to this link now.
 * One plain-SQL statement (the Pay press's hot path): the code, whether it is for this link and,
 * unless `cap: false`, its uses. `cap: false` leaves the cap to the caller, who decides it under
 * the code's lock (payments/start-checkout.ts).
 */
export async function findCodeForLink(db: SqlQuery, link: { id: string; merchantId: string }, typed: string, now: Date, options: { cap: boolean } = { cap: true }): Promise<FoundCode> {
  const key = codeKey(typed);
  if (key === '') return { ok: false, reason: 'unknown' };
  const lookup = Prisma.sql`
    SELECT d.*,
           (NOT EXISTS (SELECT 1 FROM "DiscountCodeLink" dl WHERE dl."codeId" = d."id")
            OR EXISTS (SELECT 1 FROM "DiscountCodeLink" dl WHERE dl."codeId" = d."id" AND dl."linkId" = ${link.id})) AS "forLink",
           ${options.cap ? codeUsesSql(Prisma.sql`d."id"`, now) : Prisma.sql`NULL::int`} AS "uses"
      FROM "DiscountCode" d
     WHERE d."merchantId" = ${link.merchantId} AND d."codeKey" = ${key}`;
  const [found] = await db.query<DiscountCode & { forLink: boolean; uses: number | null }>(lookup.text, lookup.values);
  if (!found || !found.active) return { ok: false, reason: 'unknown' };
  const { forLink, uses, ...code } = found;
  const off = readDiscountOff(code);
  if (!off) return { ok: false, reason: 'unknown' };
  if (code.expiresAt !== null && new Date(code.expiresAt).getTime() <= now.getTime()) return { ok: false, reason: 'unknown' };
  if (!forLink) return { ok: false, reason: 'unknown' };
  if (options.cap && code.usageCap !== null && (uses ?? 0) >= code.usageCap) return { ok: false, reason: 'unknown' };
  return { ok: true, code: { ...code, expiresAt: code.expiresAt === null ? null : new Date(code.expiresAt), createdAt: new Date(code.createdAt) }, off };
}

/**
 * Whether the link's page should offer a code field: the shop has a live code that could apply to
 * it (a percentage, or an amount off in the link's own currency). An SQL condition, so the page and
 * Pay read it in the same statement as the link itself (payments/link-page-state.ts).
 */
export function offersCodesSql(link: { id: SqlValue; merchantId: SqlValue; currency: SqlValue }, now: Date): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "DiscountCode" d
                                WHERE d."merchantId" = ${link.merchantId} AND d."active"
                                  AND (d."currency" IS NULL OR d."currency" = ${link.currency})
                                  AND (d."expiresAt" IS NULL OR d."expiresAt" > ${now})
                                  AND (NOT EXISTS (SELECT 1 FROM "DiscountCodeLink" dl WHERE dl."codeId" = d."id")
                                       OR EXISTS (SELECT 1 FROM "DiscountCodeLink" dl WHERE dl."codeId" = d."id" AND dl."linkId" = ${link.id})))`;
}
