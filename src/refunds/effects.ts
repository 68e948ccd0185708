// What the refunds capability (giving money back from the chat) asks the outer layer to do, and
// what comes back. Types only: perform-effects.ts does the work.
import type { LedgerState } from '../payments/payment-status.js';

/** One payment as the refund dialogs show it (plain JSON; times are ISO 8601). */
export interface RefundPaymentView {
  id: string;
  linkId: string;
  productName: string;
  /** The payment's own currency and amounts (smallest unit). */
  currency: string;
  amount: number;
  /** What the buyer paid (tax and payment-method fee included): the most a refund may reach. */
  total: number;
  paymentMethodFee: number;
  refundedAmount: number;
  /** total − refunded. */
  left: number;
  /**
   * Bank refund requests sent and not declined (nor completed, which KOMOJU then counts as
   * refunded): what they will give back, payment-method fee included when they asked for it.
   * A new request can only ask for what is left after them.
   */
  pendingRequested: number;
  /** A request already asked for the payment-method fee: it cannot go back twice. */
  feeRequested: boolean;
  status: string;
  state: LedgerState;
  paymentMethod: string | null;
  /** Captured, else first recorded. */
  paidAt: string;
  paymentDeadline: string | null;
  /** Konbini, bank transfer, Pay-easy: refunded by a bank refund request, not back to a card. */
  byRequest: boolean;
  testMode: boolean;
}

/** What the owner typed for a bank refund request (checked in chat.ts, again in the performer). */
export interface RefundRequestFields {
  amount: number;
  customerName: string;
  bankName: string;
  branchNumber: string;
  accountType: 'normal' | 'checking' | 'savings';
  accountNumber: string;
  includePaymentMethodFee: boolean;
}

/** Why nothing was given back; `notFound` also covers another shop's payment (it leaks nothing). */
export type RefundRefusal =
  | { reason: 'notFound' | 'notMember' | 'notOwner' | 'alreadyRefunded' | 'alreadyRequested' }
  | { reason: 'notCaptured' | 'notCancellable'; status: string }
  | { reason: 'needsRefundRequest' }
  | { reason: 'tooMuch'; left: number; currency: string }
  | { reason: 'provider'; message: string };

/** What a call whose answer was lost was about: a later read decides and the owner is told. */
type UnknownOutcome = { type: 'refunds.unknown'; what: 'refund' | 'cancel' | 'request'; payment: RefundPaymentView; amount: number };

/*
 * Every effect names the merchant the owner acted for and is re-authorised when performed: still
 * an owner there, and the payment belongs to one of that merchant's links. `dialogId` scopes the
 * provider's idempotency key, so one confirmation gives money back once however often it arrives.
 */
export type RefundEffect =
  | { type: 'refunds.listPayments'; merchantId: string; linkId: string; page: number }
  | { type: 'refunds.loadPayment'; merchantId: string; paymentId: string; purpose: 'refund' | 'cancel' }
  | { type: 'refunds.refund'; merchantId: string; paymentId: string; amount: number; dialogId: string }
  | { type: 'refunds.cancel'; merchantId: string; paymentId: string; dialogId: string }
  | { type: 'refunds.request'; merchantId: string; paymentId: string; fields: RefundRequestFields; dialogId: string };

export type RefundEffectResult =
  | { type: 'refunds.paymentsListed'; linkId: string; page: number; productName: string; payments: RefundPaymentView[] }
  | { type: 'refunds.paymentLoaded'; purpose: 'refund' | 'cancel'; payment: RefundPaymentView }
  | { type: 'refunds.refunded'; payment: RefundPaymentView; amount: number; full: boolean }
  | { type: 'refunds.cancelled'; payment: RefundPaymentView }
  | { type: 'refunds.requested'; payment: RefundPaymentView; amount: number }
  | UnknownOutcome
  | ({ type: 'refunds.refused' } & RefundRefusal);

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    refunds: { effect: RefundEffect; result: RefundEffectResult };
  }
}
