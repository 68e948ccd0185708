// A payment's stored status only moves forward: webhooks arrive late, twice or out of order, and a
// late `payment.authorized` must never undo a `payment.captured`. The order is total (no two
// statuses share a rank), so merging snapshots is commutative: any order of the same events folds
// to the same status. `failed` is not final at KOMOJU ("the payment may be re-attempted"), so it
// ranks below `authorized` and `captured`: a later successful attempt wins over it, and a late
// `payment.failed` never undoes one. The two terminal failures never follow one another at KOMOJU;
// their relative order only makes the merge deterministic.
import type { PaymentStatus } from './provider.js';

const STATUS_RANK: Record<PaymentStatus, number> = {
  pending: 0,
  failed: 1,
  authorized: 2,
  expired: 3,
  cancelled: 4,
  captured: 5,
  refunded: 6,
};

export const PAYMENT_STATUSES = Object.keys(STATUS_RANK) as PaymentStatus[];

function isPaymentStatus(value: string): value is PaymentStatus {
  return Object.hasOwn(STATUS_RANK, value);
}

/** The later of two statuses; an unknown stored status (never written by us) yields to the new one. */
export function laterStatus(stored: string, incoming: PaymentStatus): PaymentStatus {
  if (!isPaymentStatus(stored)) return incoming;
  return STATUS_RANK[incoming] > STATUS_RANK[stored] ? incoming : stored;
}

/** Money was collected at some point (it may have been refunded or charged back since). */
export function wasCaptured(status: string, capturedAt: Date | null): boolean {
  return status === 'captured' || status === 'refunded' || capturedAt !== null;
}

/** Not paid yet but may still be (e.g. a konbini payment the buyer has yet to pay at the store). */
export function isAwaitingPayment(status: string, capturedAt: Date | null): boolean {
  return !wasCaptured(status, capturedAt) && (status === 'pending' || status === 'authorized');
}

/**
 * What a payment means for the merchant, with the same rules as the Total Sales Summary
 * (see summary.ts): `awaiting` = pending or authorized (e.g. konbini not yet paid), `unsuccessful`
 * = failed, expired or cancelled.
 */
export type LedgerState = 'awaiting' | 'unsuccessful' | 'captured' | 'partially_refunded' | 'refunded' | 'charged_back';

/** `amount`: what the buyer paid (the payment's total, tax and fee included). */
export function ledgerState(payment: { status: string; capturedAt: Date | null; amount: number; refundedAmount: number; chargeback: boolean }): LedgerState {
  if (isAwaitingPayment(payment.status, payment.capturedAt)) return 'awaiting';
  if (!wasCaptured(payment.status, payment.capturedAt)) return 'unsuccessful';
  if (payment.chargeback) return 'charged_back';
  if (payment.status === 'refunded' || payment.refundedAmount >= payment.amount) return 'refunded';
  return payment.refundedAmount > 0 ? 'partially_refunded' : 'captured';
}

/** Payment methods (KOMOJU's `payment_details.type`) the chat and notices name in words; others show as sent. */
const NAMED_PAYMENT_METHODS = ['credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay', 'sandbox'] as const;
export type NamedPaymentMethod = (typeof NAMED_PAYMENT_METHODS)[number];

export function namedPaymentMethod(method: string | null): NamedPaymentMethod | undefined {
  return NAMED_PAYMENT_METHODS.find((candidate) => candidate === method);
}
