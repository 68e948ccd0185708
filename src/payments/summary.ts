// The Total Sales Summary of a link, computed in ONE SQL statement from the ledger
// (record-payment-event.ts), so the four numbers always come from the same snapshot.
//
// Definitions (CONTRACT.md, last section) and how they are read from the stored rows:
// - captured ever   status captured or refunded, or capturedAt set. Status only moves forward, so a
//                   payment once captured stays so however late its older events arrive.
// - charged back    the payment has any refund with chargeback = true (KOMOJU has no separate
//                   chargeback resource, and whether a chargeback flips the status is unconfirmed,
//                   so the refunds list decides, not the status).
// - refunded total  max(amountRefunded, sum of its refunds): the two can disagree while events are
//                   in flight; the larger is the newer truth because both only grow.
// - fully refunded  status refunded (KOMOJU: "refunded" means fully), or refunded total ≥ amount.
// Then, per link:
// - capturedAmount    Σ (amount − refunded total) over payments captured ever, not charged back and
//                     not fully refunded. Charged-back and fully refunded payments add 0.
// - capturedPayments  count of those same payments (a partially refunded one still counts).
// - refundedPayments  count of payments captured ever, fully refunded and NOT charged back (a
//                     chargeback is not a refund the merchant gave; it counts in neither number).
// - pendingPayments   checkout attempts that did not end in a captured payment: each Checkout row of
//                     the link (one per Pay press) with no captured-ever payment — abandoned,
//                     expired, failed, cancelled or still awaiting (konbini) — plus payments recorded
//                     without a checkout that were never captured. A session where the buyer's
//                     first card failed and a retry was captured is one successful attempt, not a
//                     pending one. Checkouts with status `error` (the provider refused to open a
//                     session, so the buyer never reached a payment page) are not attempts.
// Money: a payment's `total` is what the buyer paid — its `amount` (before tax) plus `tax` plus
// the payment-method fee (e.g. a konbini customer fee) — and KOMOJU refunds are tax-included and
// may include the fee. "Captured amount" is money collected and kept, so it is Σ (total − refunded
// total): with tax 100 on 1000, a full refund of 1100 leaves 0, never −100. Rows recorded before
// the total was known count their amount. A payment is fully refunded when refunds reach its total.
// Currency: each payment is kept in the currency it was paid in (a payment method may charge in
// another currency than the session's). `capturedAmount` adds only payments in the link's
// currency; money kept in any other currency is reported per currency in `otherCurrencies`, never
// added to it (no exchange rate is applied). The counts count payments whatever their currency.
//
// Speed: the statement starts from the indexes on Payment.linkId and Checkout.linkId, and probes
// Refund.paymentId only for payments with amountRefunded > 0 — the writer keeps amountRefunded ≥
// the sum of the payment's refunds, so no other payment has a refund with money in it (a refund
// of amount 0 cannot exist at KOMOJU). That cuts the pages read per summary by more than half
// (BENCHMARKS.md).
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** A PrismaClient or a transaction, so callers can read the summary inside their own transaction. */
export type LedgerReader = PrismaClient | Prisma.TransactionClient;

export interface LinkSummary {
  /** The link's currency; amounts are integers in its smallest unit. */
  currency: string;
  capturedAmount: number;
  capturedPayments: number;
  pendingPayments: number;
  refundedPayments: number;
  /** Money kept in currencies other than the link's, by currency (smallest units); usually empty. */
  otherCurrencies: Record<string, number>;
  /** The database time the numbers were read at. */
  asOf: Date;
}

class LinkNotFoundError extends Error {
  override readonly name = 'LinkNotFoundError';

  constructor(readonly linkId: string) {
    super(`link ${linkId} does not exist`);
  }
}

interface SummaryRow {
  linkId: string;
  currency: string;
  capturedAmount: bigint | number | string;
  capturedPayments: number;
  pendingPayments: number;
  refundedPayments: number;
  otherCurrencies: Record<string, bigint | number | string> | null;
  asOf: Date;
}

/** The summary of one link; throws LinkNotFoundError when there is no such link. */
export async function getLinkSummary(db: LedgerReader, linkId: string): Promise<LinkSummary> {
  const summary = (await getLinkSummaries(db, [linkId])).get(linkId);
  if (!summary) throw new LinkNotFoundError(linkId);
  return summary;
}

/** Summaries of several links in one statement (e.g. a page of the link list); unknown ids are absent. */
export async function getLinkSummaries(db: LedgerReader, linkIds: readonly string[]): Promise<Map<string, LinkSummary>> {
  const summaries = new Map<string, LinkSummary>();
  if (linkIds.length === 0) return summaries;
  const ids = [...new Set(linkIds)];
  const rows = await db.$queryRaw<SummaryRow[]>(linkSummarySql(ids));
  for (const row of rows) {
    summaries.set(row.linkId, {
      currency: row.currency,
      capturedAmount: Number(row.capturedAmount),
      capturedPayments: row.capturedPayments,
      pendingPayments: row.pendingPayments,
      refundedPayments: row.refundedPayments,
      otherCurrencies: Object.fromEntries(Object.entries(row.otherCurrencies ?? {}).map(([currency, amount]) => [currency, Number(amount)])),
      asOf: row.asOf,
    });
  }
  return summaries;
}

/** The statement behind getLinkSummaries (exported for the benchmark's EXPLAIN); `ids` may be an SQL array expression (a column of an outer query). */
export function linkSummarySql(ids: string[] | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH payment AS (
      SELECT p."linkId", p."checkoutId", COALESCE(p."total", p."amount") AS "paid", p."currency",
             (p."status" IN ('captured', 'refunded') OR p."capturedAt" IS NOT NULL) AS "capturedEver",
             COALESCE(r."chargedBack", false) AS "chargedBack",
             GREATEST(p."amountRefunded", COALESCE(r."total", 0)) AS "refundedTotal",
             p."status" = 'refunded' AS "statusRefunded"
        FROM "Payment" p
        LEFT JOIN LATERAL (
               SELECT SUM(rf."amount") AS "total", bool_or(rf."chargeback") AS "chargedBack"
                 FROM "Refund" rf
                WHERE rf."paymentId" = p."id" AND p."amountRefunded" > 0) r ON true
       WHERE p."linkId" = ANY(${ids})
    ),
    kept AS (
      SELECT "linkId", "paid", "refundedTotal", "currency",
             ("statusRefunded" OR "refundedTotal" >= "paid") AS "fullyRefunded"
        FROM payment
       WHERE "capturedEver" AND NOT "chargedBack"
    ),
    -- Per currency first, so the link's own currency is looked up once per currency, not per payment.
    per_currency AS (
      SELECT "linkId", "currency",
             SUM("paid" - "refundedTotal") FILTER (WHERE NOT "fullyRefunded") AS "kept",
             COUNT(*) FILTER (WHERE NOT "fullyRefunded") AS "capturedPayments",
             COUNT(*) FILTER (WHERE "fullyRefunded") AS "refundedPayments"
        FROM kept
       GROUP BY "linkId", "currency"
    ),
    kept_totals AS (
      SELECT pc."linkId",
             SUM(pc."kept") FILTER (WHERE pc."currency" = l."currency") AS "capturedAmount",
             SUM(pc."capturedPayments") AS "capturedPayments",
             SUM(pc."refundedPayments") AS "refundedPayments",
             jsonb_object_agg(pc."currency", pc."kept") FILTER (WHERE pc."currency" <> l."currency" AND pc."kept" IS NOT NULL) AS "otherCurrencies"
        FROM per_currency pc JOIN "Link" l ON l."id" = pc."linkId"
       GROUP BY pc."linkId"
    ),
    open_checkouts AS (
      SELECT c."linkId", COUNT(*) AS "count"
        FROM "Checkout" c
       WHERE c."linkId" = ANY(${ids})
         AND c."status" <> 'error'
         AND NOT EXISTS (SELECT 1 FROM payment WHERE payment."checkoutId" = c."id" AND payment."capturedEver")
       GROUP BY c."linkId"
    ),
    open_payments AS (
      SELECT "linkId", COUNT(*) AS "count"
        FROM payment
       WHERE "checkoutId" IS NULL AND NOT "capturedEver"
       GROUP BY "linkId"
    )
    SELECT l."id" AS "linkId", l."currency",
           COALESCE(kt."capturedAmount", 0)::bigint AS "capturedAmount",
           COALESCE(kt."capturedPayments", 0)::int AS "capturedPayments",
           (COALESCE(oc."count", 0) + COALESCE(op."count", 0))::int AS "pendingPayments",
           COALESCE(kt."refundedPayments", 0)::int AS "refundedPayments",
           kt."otherCurrencies",
           statement_timestamp() AS "asOf"
      FROM "Link" l
      LEFT JOIN kept_totals kt ON kt."linkId" = l."id"
      LEFT JOIN open_checkouts oc ON oc."linkId" = l."id"
      LEFT JOIN open_payments op ON op."linkId" = l."id"
     WHERE l."id" = ANY(${ids})`;
}
