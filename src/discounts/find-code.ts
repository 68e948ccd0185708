// The code a buyer typed on a link's page, or why it does not apply there. The checkout asks again
// under the code's lock (payments/start-checkout.ts) before it opens a session.
import { Prisma, type DiscountCode, type PrismaClient } from '../generated/prisma/client.js';
import { codeKey, readDiscountOff, type DiscountOff } from './discount-rule.js';
import { codeUses } from './code-uses.js';

type Reader = PrismaClient | Prisma.TransactionClient;
/** A value, or an SQL expression for it (an outer query's column). */
type SqlValue = string | Prisma.Sql;

/**
 * Why a typed code is refused, as the buyer hears it: one answer whether the shop has no such code
 * or has one that is stopped, expired, for other links or used up, so guessing tells a stranger
 * nothing about which codes exist. The owner's `codes` list says which of those a code is.
 */
export type CodeRefusal = 'unknown';

export type FoundCode = { ok: true; code: DiscountCode; off: DiscountOff } | { ok: false; reason: CodeRefusal };

/** Whether the code's cap leaves room for one more use now (Pay decides it under the code's lock, payments/start-checkout.ts). */
export async function hasUseLeft(db: Reader, code: Pick<DiscountCode, 'id' | 'usageCap'>, now: Date): Promise<boolean> {
  return code.usageCap === null || (await codeUses(db, code.id, now)) < code.usageCap;
}

/**
 * The shop's code matching `typed` (case, width and spaces ignored), if it applies to this link now.
 * `cap: false` leaves the cap to the caller, who decides it under the code's lock
 * (payments/start-checkout.ts).
 */
export async function findCodeForLink(db: Reader, link: { id: string; merchantId: string }, typed: string, now: Date, options: { cap: boolean } = { cap: true }): Promise<FoundCode> {
  const key = codeKey(typed);
  if (key === '') return { ok: false, reason: 'unknown' };
  const code = await db.discountCode.findUnique({
    where: { merchantId_codeKey: { merchantId: link.merchantId, codeKey: key } },
    include: { links: { select: { linkId: true } } },
  });
  if (!code || !code.active) return { ok: false, reason: 'unknown' };
  const off = readDiscountOff(code);
  if (!off) return { ok: false, reason: 'unknown' };
  if (code.expiresAt !== null && code.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'unknown' };
  if (code.links.length > 0 && !code.links.some((entry) => entry.linkId === link.id)) return { ok: false, reason: 'unknown' };
  if (options.cap && !(await hasUseLeft(db, code, now))) return { ok: false, reason: 'unknown' };
  const { links: _links, ...row } = code;
  return { ok: true, code: row, off };
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
