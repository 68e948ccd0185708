// Whether a captured payment is the one that closed its link for good — the "usage limit reached"
// line of the capture notice. The offer rule decides (links/offer-rule.ts closedByCapture), on the
// places the link's counted payments took in capture order up to this one: counted as the Total
// Sales Summary counts them (captured, not refunded in full, not charged back), each by its
// checkout's quantity, as the link page counts them. Exactly one payment crosses the line, so the
// news goes out once however many over-limit payments follow; a refund that reopens the link lets
// a later capture close it again. It also closes a fixed-set link whose remaining places can no
// longer make a set, which the page shows closed.
import type { Prisma } from '../db/database.js';
import { closedByCapture, offerTermsOf } from '../links/offer-rule.js';
import { ledgerState } from './payment-status.js';

/** True for the payment whose capture used the link's last place (or left too few for its set). */
export async function usageLimitReachedBy(prisma: Prisma, paymentId: string): Promise<boolean> {
  const payment = await prisma.payment.findUnique({ where: { id: paymentId }, select: { id: true, linkId: true, capturedAt: true, link: true } });
  if (!payment?.link || payment.linkId === null || payment.capturedAt === null || payment.link.usageLimit === null) return false;
  const { capturedAt } = payment;
  const upToThis = await prisma.payment.findMany({
    where: { linkId: payment.linkId, OR: [{ capturedAt: { lt: capturedAt } }, { capturedAt, id: { lte: payment.id } }] },
    select: {
      id: true,
      status: true,
      capturedAt: true,
      amount: true,
      total: true,
      amountRefunded: true,
      refunds: { select: { amount: true, chargeback: true } },
      checkout: { select: { quantity: true } },
    },
  });
  let before = 0;
  let self = 0;
  for (const row of upToThis) {
    const refundTotal = row.refunds.reduce((sum, refund) => sum + refund.amount, 0);
    const state = ledgerState({
      status: row.status,
      capturedAt: row.capturedAt,
      amount: row.total ?? row.amount,
      refundedAmount: Math.max(row.amountRefunded, refundTotal),
      chargeback: row.refunds.some((refund) => refund.chargeback),
    });
    if (state !== 'captured' && state !== 'partially_refunded') continue;
    const places = row.checkout?.quantity ?? 1;
    if (row.id === payment.id) self = places;
    else before += places;
  }
  return self > 0 && closedByCapture(offerTermsOf(payment.link), before, before + self);
}
