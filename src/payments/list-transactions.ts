// A link's payments, newest first, one page at a time, each with the same refund/chargeback view
// the summary uses (see summary.ts).
import { z } from 'zod';
import { readStoredBuyerDetails, type BuyerDetails } from '../links/buyer-fields.js';
import { ledgerState } from './payment-status.js';
import { readCheckoutChoices, type CheckoutChoices } from './checkout-choices.js';
import type { LedgerState } from './payment-status.js';
import type { LedgerReader } from './summary.js';

const listTransactionsOptionsSchema = z.object({
  /** 1-based. */
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(10),
});

export type ListTransactionsOptions = z.input<typeof listTransactionsOptionsSchema>;

interface LinkTransaction {
  paymentId: string;
  /** The provider's status as last merged (pending, authorized, captured, refunded, failed, …). */
  status: string;
  /** What it means for the merchant, consistent with the summary. */
  state: LedgerState;
  /** Before tax, as KOMOJU's `amount`. */
  amount: number;
  /** What the buyer paid: amount + tax + payment-method fee. */
  total: number;
  /** The payment's own currency (may differ from the link's). */
  currency: string;
  paymentMethod: string | null;
  /** Until when an awaiting payment can still be paid. */
  paymentDeadline: Date | null;
  /** KOMOJU marked it as fraud. */
  fraud: boolean;
  /** Refunded so far, chargebacks included. */
  refundedAmount: number;
  chargeback: boolean;
  /** When the payment was captured, else when it was first recorded. */
  occurredAt: Date;
  createdAt: Date;
  capturedAt: Date | null;
  /** The checkout's short order number the buyer was shown; null for payments without one. */
  orderNumber: string | null;
  /** Units bought (the checkout's quantity; 1 for a payment no checkout of ours started). */
  quantity: number;
  /** What the buyer filled in; null when the link asked nothing or the retention period erased it. */
  buyerDetails: BuyerDetails | null;
  /** The amount the buyer chose, the code and tip (in the link's currency); null: none. */
  choices: CheckoutChoices | null;
  /**
   * A subscription's payment: which captured one it is (1 the first, then each renewal, in capture
   * order as the renewal notice counts), 0 while not captured (a failed renewal); null: not one.
   */
  subscriptionPayment: number | null;
}

export interface TransactionPage {
  items: LinkTransaction[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
}

interface TransactionRow {
  id: string;
  status: string;
  amount: number;
  total: number | null;
  currency: string;
  paymentMethod: string | null;
  paymentDeadline: Date | null;
  fraud: boolean;
  amountRefunded: number;
  refundTotal: bigint | number | string | null;
  chargeback: boolean | null;
  createdAt: Date;
  capturedAt: Date | null;
  orderNumber: string | null;
  quantity: number | null;
  buyerDetails: unknown;
  chosenAmount: number | null;
  discountCode: string | null;
  discountAmount: number | null;
  tipAmount: number | null;
  subscriptionPayment: bigint | number | string | null;
}

export async function listTransactions(db: LedgerReader, linkId: string, options: ListTransactionsOptions = {}): Promise<TransactionPage> {
  const { page, pageSize } = listTransactionsOptionsSchema.parse(options);
  const [rows, total] = await Promise.all([
    db.$queryRaw<TransactionRow[]>`
      SELECT p."id", p."status", p."amount", p."total", p."currency", p."paymentMethod", p."paymentDeadline", p."fraud",
             p."amountRefunded", p."createdAt", p."capturedAt",
             r."total" AS "refundTotal", r."chargeback", c."orderNumber", c."quantity", c."buyerDetails",
             c."chosenAmount", c."discountCode", c."discountAmount", c."tipAmount",
             CASE WHEN p."subscriptionId" IS NULL THEN NULL
                  WHEN p."capturedAt" IS NULL THEN 0
                  ELSE (SELECT count(*) FROM "Payment" q
                         WHERE q."subscriptionId" = p."subscriptionId" AND q."capturedAt" IS NOT NULL
                           AND (q."capturedAt" < p."capturedAt" OR (q."capturedAt" = p."capturedAt" AND q."id" <= p."id")))
             END AS "subscriptionPayment"
        FROM "Payment" p
        LEFT JOIN "Checkout" c ON c."id" = p."checkoutId"
        LEFT JOIN LATERAL (
               SELECT SUM(rf."amount") AS "total", bool_or(rf."chargeback") AS "chargeback"
                 FROM "Refund" rf
                WHERE rf."paymentId" = p."id") r ON true
       WHERE p."linkId" = ${linkId}
       ORDER BY p."createdAt" DESC, p."id" DESC
       LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    db.payment.count({ where: { linkId } }),
  ]);
  const items = rows.map((row): LinkTransaction => {
    const refundedAmount = Math.max(row.amountRefunded, Number(row.refundTotal ?? 0));
    const chargeback = row.chargeback === true;
    const total = row.total ?? row.amount;
    return {
      paymentId: row.id,
      status: row.status,
      state: ledgerState({ status: row.status, capturedAt: row.capturedAt, amount: total, refundedAmount, chargeback }),
      amount: row.amount,
      total,
      currency: row.currency,
      paymentMethod: row.paymentMethod,
      paymentDeadline: row.paymentDeadline,
      fraud: row.fraud,
      refundedAmount,
      chargeback,
      occurredAt: row.capturedAt ?? row.createdAt,
      createdAt: row.createdAt,
      capturedAt: row.capturedAt,
      orderNumber: row.orderNumber,
      quantity: row.quantity ?? 1,
      buyerDetails: readStoredBuyerDetails(row.buyerDetails),
      choices: readCheckoutChoices(row),
      subscriptionPayment: row.subscriptionPayment === null ? null : Number(row.subscriptionPayment),
    };
  });
  return { items, page, pageSize, total, hasMore: page * pageSize < total };
}
