// The sandbox's payments rendered exactly as KOMOJU serialises a payment (API response and webhook
// `data`), so they travel through the same parsing and ingestion code as real ones.
import { z } from 'zod';
import type { SandboxPayment, SandboxSubscription } from '../../generated/prisma/client.js';

export const sandboxRefundsSchema = z.array(
  z.object({
    id: z.string(),
    amount: z.number().int().positive(),
    chargeback: z.boolean(),
    createdAt: z.string(),
    // The key the refund was asked with: asking again with it answers the same refund.
    idempotencyKey: z.string().optional(),
  }),
);

export function sandboxMetadata(json: unknown): Record<string, string> {
  const parsed = z.record(z.string(), z.string()).safeParse(json);
  return parsed.success ? parsed.data : {};
}

function wasCapturedStatus(status: string): boolean {
  return status === 'captured' || status === 'refunded';
}

export function komojuPaymentJson(payment: SandboxPayment): Record<string, unknown> {
  const refunds = sandboxRefundsSchema.parse(payment.refunds);
  return {
    id: payment.id,
    resource: 'payment',
    status: payment.status,
    amount: payment.amount,
    tax: 0,
    payment_method_fee: 0,
    total: payment.amount,
    currency: payment.currency,
    payment_details: { type: payment.paymentMethod },
    payment_deadline: payment.paymentDeadline?.toISOString() ?? null,
    // Pay captures at once; a "pay later" payment when sandbox:capture says the buyer paid.
    captured_at: wasCapturedStatus(payment.status) ? (payment.capturedAt ?? payment.createdAt).toISOString() : null,
    created_at: payment.createdAt.toISOString(),
    amount_refunded: payment.amountRefunded,
    refunds: refunds.map((refund) => ({
      id: refund.id,
      resource: 'refund',
      amount: refund.amount,
      currency: payment.currency,
      payment: payment.id,
      chargeback: refund.chargeback,
      created_at: refund.createdAt,
    })),
    session: payment.sessionId,
    customer: payment.customerId,
    metadata: sandboxMetadata(payment.metadata),
  };
}

/**
 * A sandbox subscription as KOMOJU serialises one (komoju-node-sdk docs/Models/Subscription.md):
 * `customer` a Subscription_customer (KOMOJU's numeric id — the sandbox has none, so 0 — and the
 * customer's `uuid`), `payments` the payment ids, oldest first.
 */
export function komojuSubscriptionJson(subscription: SandboxSubscription, payments: SandboxPayment[]): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: 'subscription',
    status: subscription.status,
    amount: subscription.amount,
    currency: subscription.currency,
    customer: { id: 0, uuid: subscription.customerId },
    period: subscription.period,
    // The sandbox renews only when `sandbox:renew` says so: it has no schedule.
    next_capture_at: null,
    created_at: subscription.createdAt.toISOString(),
    ended_at: subscription.endedAt?.toISOString() ?? null,
    metadata: sandboxMetadata(subscription.metadata),
    payments: payments.map((payment) => payment.id),
  };
}
