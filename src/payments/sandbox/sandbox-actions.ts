// What a buyer (Pay / Decline / Leave on the sandbox page) and an operator (refund, chargeback)
// can do to sandbox sessions and payments. Each locks its row, so a double-pressed button or two
// operators at once cannot pay a session twice or refund more than was paid.
import type { Prisma } from '../../db/database.js';
import type { SandboxPayment, SandboxSession } from '../../generated/prisma/client.js';
import { isSessionExpired, newSandboxId } from './sandbox-provider.js';
import { sandboxRefundsSchema } from './sandbox-payment-json.js';
import { sandboxOffer } from './sandbox-offered.js';

/** Pay, Decline, or "Pay later (konbini)" (authorized: awaiting payment at the store until a deadline). */
export type SandboxBuyerOutcome = 'captured' | 'failed' | 'authorized';

/** Like a konbini slip: payable for 3 days. */
const SANDBOX_PAY_LATER_DAYS = 3;

export type SandboxPayResult =
  | { kind: 'captured'; session: SandboxSession; payment: SandboxPayment }
  | { kind: 'authorized'; session: SandboxSession; payment: SandboxPayment }
  | { kind: 'declined'; session: SandboxSession; payment: SandboxPayment }
  | { kind: 'not_found' }
  /** The session does not offer that way of paying (a card-only link has no konbini). */
  | { kind: 'not_offered'; session: SandboxSession }
  | { kind: 'closed'; session: SandboxSession };

/**
 * Pay (captured) and Pay later (authorized) complete the session; Decline (failed) leaves it open
 * for another try, like KOMOJU.
 */
export async function paySandboxSession(prisma: Prisma, sessionId: string, outcome: SandboxBuyerOutcome): Promise<SandboxPayResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SandboxSession" WHERE id = ${sessionId} FOR UPDATE`;
    const session = await tx.sandboxSession.findUnique({ where: { id: sessionId } });
    if (!session) return { kind: 'not_found' };
    if (session.status !== 'pending' || isSessionExpired(session)) return { kind: 'closed', session };
    const offer = sandboxOffer(session.paymentTypes);
    if ((outcome === 'authorized' && offer.later === null) || (outcome === 'captured' && !offer.pay)) return { kind: 'not_offered', session };
    const now = new Date();
    const later = outcome === 'authorized';
    const payment = await tx.sandboxPayment.create({
      data: {
        id: newSandboxId('sbp'),
        sessionId,
        status: outcome,
        amount: session.amount,
        currency: session.currency,
        metadata: session.metadata ?? {},
        ...(later ? { paymentMethod: offer.later ?? 'konbini', paymentDeadline: new Date(now.getTime() + SANDBOX_PAY_LATER_DAYS * 86_400_000) } : {}),
        ...(outcome === 'captured' ? { capturedAt: now } : {}),
      },
    });
    if (outcome === 'failed') return { kind: 'declined', session, payment };
    const completed = await tx.sandboxSession.update({
      where: { id: sessionId },
      data: { status: 'completed', paymentId: payment.id },
    });
    return later ? { kind: 'authorized', session: completed, payment } : { kind: 'captured', session: completed, payment };
  });
}

/** Leave: the buyer abandons the checkout; the session can no longer be paid. */
export async function leaveSandboxSession(prisma: Prisma, sessionId: string): Promise<SandboxSession | null> {
  await prisma.sandboxSession.updateMany({ where: { id: sessionId, status: 'pending' }, data: { status: 'cancelled' } });
  return prisma.sandboxSession.findUnique({ where: { id: sessionId } });
}

export type SandboxRefundResult =
  /** `replayed`: a refund with this idempotency key was made before; nothing new was refunded. */
  { kind: 'refunded'; payment: SandboxPayment; refundId: string; amount: number; full: boolean; replayed: boolean } | { kind: 'not_found' } | { kind: 'refused'; reason: string };

/**
 * Refunds `amount` (default: everything not yet refunded) of a captured sandbox payment; a
 * chargeback is recorded as a refund with `chargeback: true`, as KOMOJU does. Once nothing is
 * left the payment becomes `refunded`.
 */
export async function refundSandboxPayment(prisma: Prisma, paymentId: string, options: { amount?: number; chargeback: boolean; idempotencyKey?: string }): Promise<SandboxRefundResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SandboxPayment" WHERE id = ${paymentId} FOR UPDATE`;
    const payment = await tx.sandboxPayment.findUnique({ where: { id: paymentId } });
    if (!payment) return { kind: 'not_found' };
    const earlier = options.idempotencyKey === undefined ? undefined : sandboxRefundsSchema.parse(payment.refunds).find((refund) => refund.idempotencyKey === options.idempotencyKey);
    if (earlier) {
      const full = payment.amountRefunded === payment.amount;
      return { kind: 'refunded', payment, refundId: earlier.id, amount: earlier.amount, full, replayed: true };
    }
    if (payment.status !== 'captured') {
      return { kind: 'refused', reason: `payment ${paymentId} is ${payment.status}; only captured payments can be refunded` };
    }
    const remaining = payment.amount - payment.amountRefunded;
    const amount = options.amount ?? remaining;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > remaining) {
      return { kind: 'refused', reason: `amount must be a whole number from 1 to ${remaining} (in the currency's smallest unit)` };
    }
    const refunds = sandboxRefundsSchema.parse(payment.refunds);
    const refundId = newSandboxId('sbr');
    refunds.push({
      id: refundId,
      amount,
      chargeback: options.chargeback,
      createdAt: new Date().toISOString(),
      ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    });
    const amountRefunded = payment.amountRefunded + amount;
    const full = amountRefunded === payment.amount;
    const updated = await tx.sandboxPayment.update({
      where: { id: paymentId },
      data: { refunds, amountRefunded, status: full ? 'refunded' : 'captured' },
    });
    return { kind: 'refunded', payment: updated, refundId, amount, full, replayed: false };
  });
}

export type SandboxCancelResult = { kind: 'cancelled'; payment: SandboxPayment } | { kind: 'not_found' } | { kind: 'refused'; reason: string };

export type SandboxSettleResult = { kind: 'settled'; payment: SandboxPayment } | { kind: 'not_found' } | { kind: 'refused'; reason: string };

/**
 * What KOMOJU does when the buyer pays an awaiting (konbini) payment at the store (`captured`), or
 * when its deadline passes unpaid (`expired`): for `sandbox:capture` and `sandbox:expire`.
 */
export async function settleSandboxPayment(prisma: Prisma, paymentId: string, to: 'captured' | 'expired'): Promise<SandboxSettleResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SandboxPayment" WHERE id = ${paymentId} FOR UPDATE`;
    const payment = await tx.sandboxPayment.findUnique({ where: { id: paymentId } });
    if (!payment) return { kind: 'not_found' };
    const from = to === 'captured' ? ['authorized'] : ['pending', 'authorized'];
    if (!from.includes(payment.status)) {
      return { kind: 'refused', reason: `payment ${paymentId} is ${payment.status}; only ${from.join(' or ')} payments can become ${to}` };
    }
    const updated = await tx.sandboxPayment.update({
      where: { id: paymentId },
      data: { status: to, ...(to === 'captured' ? { capturedAt: new Date() } : {}) },
    });
    return { kind: 'settled', payment: updated };
  });
}

/** Cancels a pending or authorized sandbox payment (KOMOJU's `POST /payments/:id/cancel`); cancelling twice answers the same. */
export async function cancelSandboxPayment(prisma: Prisma, paymentId: string): Promise<SandboxCancelResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SandboxPayment" WHERE id = ${paymentId} FOR UPDATE`;
    const payment = await tx.sandboxPayment.findUnique({ where: { id: paymentId } });
    if (!payment) return { kind: 'not_found' };
    if (payment.status === 'cancelled') return { kind: 'cancelled', payment };
    if (payment.status !== 'pending' && payment.status !== 'authorized') {
      return { kind: 'refused', reason: `payment ${paymentId} is ${payment.status}; only pending or authorized payments can be cancelled` };
    }
    const updated = await tx.sandboxPayment.update({ where: { id: paymentId }, data: { status: 'cancelled' } });
    return { kind: 'cancelled', payment: updated };
  });
}
