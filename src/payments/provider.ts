// Provider-neutral view of a hosted checkout. KOMOJU and the built-in sandbox both implement
// PaymentProvider; the rest of the app sees only these shapes. Amounts are integers in the
// currency's smallest unit.
import type { OfferedPaymentMethod } from '../conversation/types.js';

// `refunded` means fully refunded; a partially refunded payment stays `captured`.
export type PaymentStatus = 'pending' | 'authorized' | 'captured' | 'refunded' | 'cancelled' | 'expired' | 'failed';

// A chargeback is a refund with `chargeback: true` (no separate resource).
interface RefundSnapshot {
  id: string;
  amount: number;
  chargeback: boolean;
}

export interface PaymentSnapshot {
  id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  /** KOMOJU's `tax` and `payment_method_fee` (e.g. a konbini customer fee); 0 when not sent. */
  tax: number;
  paymentMethodFee: number;
  /** amount + tax + fee: what the buyer paid, and the most that can be refunded. */
  total: number;
  amountRefunded: number;
  refunds: RefundSnapshot[];
  /** KOMOJU's `refund_requests` (ids and status): how a lost refund-request answer is decided. */
  refundRequests?: { id: string; status: string | null }[];
  /** KOMOJU's `payment_details.type` (credit_card, konbini, bank_transfer, pay_easy, …); null when not sent. */
  paymentMethod: string | null;
  /** Until when an authorized (konbini, bank transfer, Pay-easy) payment can still be paid. */
  paymentDeadline: Date | null;
  /** The buyer's email when the provider gave one (KOMOJU: `payment_details.email`). */
  buyerEmail?: string | null;
  /** KOMOJU's `customer`: set on payments billed to a saved card (a subscription's). */
  customerId?: string | null;
  // Null for payments not made through a session.
  sessionId: string | null;
  metadata: Record<string, string>;
  capturedAt: Date | null;
}

export interface SessionSnapshot {
  id: string;
  // Where the buyer is redirected to pay.
  sessionUrl: string;
  status: 'pending' | 'completed' | 'cancelled';
  expired: boolean;
  // Present once the session completed.
  payment: PaymentSnapshot | null;
  metadata: Record<string, string>;
  /** A customer-mode session's customer (known from creation; usable once the session completed). */
  customerId?: string | null;
}

/** KOMOJU's subscription periods (Subscription: Create). */
type SubscriptionPeriod = 'weekly' | 'monthly' | 'yearly';

export interface SubscriptionSnapshot {
  id: string;
  /** The provider's word: KOMOJU documents `active` and `cancelled`; others are kept as sent. */
  status: string;
  amount: number;
  currency: string;
  period: SubscriptionPeriod;
  customerId: string | null;
  nextCaptureAt: Date | null;
  metadata: Record<string, string>;
  /** The ids of the payments the subscription made so far, oldest first (KOMOJU lists ids). */
  paymentIds: string[];
  /**
   * Those payments, read: complete from the provider's API; from a webhook's `data` only those
   * given inline (usually none: KOMOJU lists ids), so a webhook's subscription is re-read.
   */
  payments: PaymentSnapshot[];
}

export interface CreateSubscriptionInput {
  customerId: string;
  amount: number;
  currency: string;
  period: SubscriptionPeriod;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export interface CreateSessionInput {
  amount: number;
  currency: string;
  locale: 'ja' | 'en' | 'ko';
  // The provider appends `session_id` to it.
  returnUrl: string;
  lineItem: { description: string; amount: number; quantity: number; imageUrl?: string };
  metadata: Record<string, string>;
  /** The buyer's email when the link asked for it: KOMOJU's page starts with it filled in. */
  email?: string;
  /** KOMOJU payment types the session offers; absent: every type of the account. */
  paymentTypes?: string[];
  /** The checkout's short order number (payments/order-number.ts): KOMOJU's external_order_num. */
  orderNumber?: string;
  /** `customer`: the hosted page saves the buyer's card to a new customer and charges nothing. */
  mode?: 'payment' | 'customer';
  // Same key + same input → the same session, so a retried create never opens a second one.
  idempotencyKey: string;
  expiresInSeconds?: number;
}

export interface ProviderEvent {
  id: string;
  type: string;
  // Null for events that carry no payment (e.g. `ping`, `refund_request.updated`).
  payment: PaymentSnapshot | null;
  createdAt: Date | null;
  /** `payment.marked.as.fraud`: the payment it marks (its data may be a payment or a fraud record). */
  fraudPaymentId?: string;
  /** `refund_request.updated`: the payment whose bank refund request changed, and its new state. */
  refundRequestUpdate?: { paymentId: string; status: string };
  /** A `payment.*` event whose data is not a readable payment: why (the event is stored, not applied). */
  paymentProblem?: string;
  /** `subscription.*`: the provider's subscription id, and the subscription when the data is one. */
  subscriptionId?: string;
  subscription?: SubscriptionSnapshot;
  /** `customer.*`: the customer it is about (a customer-mode session completed: customer.updated). */
  customerId?: string;
}

export interface RefundInput {
  /** Omitted = everything not yet refunded. In the payment's currency's smallest unit. */
  amount?: number;
  description?: string;
  /** Same key → the same refund, so a retried or double-pressed refund gives money back once. */
  idempotencyKey: string;
}

/**
 * A refund request for payments that cannot go back to a card (konbini, bank transfer, Pay-easy):
 * KOMOJU pays the buyer's bank account by hand (it may decline, and charges a fee per request).
 */
export interface RefundRequestInput {
  amount: number;
  /** The account holder's name in half-width katakana. */
  customerName: string;
  bankName: string;
  /** 3 digits. */
  branchNumber: string;
  /** 普通 normal / 当座 checking / 貯蓄 savings (KOMOJU's enum: komoju-php-sdk CreateRefundRequestRequest). */
  accountType: 'normal' | 'checking' | 'savings';
  /** 7 digits, sent as text so a leading zero stays (KOMOJU's RefundRequest model: a string). */
  accountNumber: string;
  includePaymentMethodFee: boolean;
  idempotencyKey: string;
}

export interface PaymentProvider {
  readonly name: 'komoju' | 'sandbox';
  readonly testMode: boolean;
  createSession(input: CreateSessionInput): Promise<SessionSnapshot>;
  getSession(id: string): Promise<SessionSnapshot>;
  getPayment(id: string): Promise<PaymentSnapshot>;
  /** Refunds a captured payment (KOMOJU `POST /api/v1/payments/:id/refund`); answers the payment after it. */
  refundPayment(id: string, input: RefundInput): Promise<PaymentSnapshot>;
  /** Cancels a pending or authorized payment (`POST /api/v1/payments/:id/cancel`). */
  cancelPayment(id: string, input: { idempotencyKey: string }): Promise<PaymentSnapshot>;
  /** Files a bank refund request (`POST /api/v1/payments/:id/refund_request`); KOMOJU answers nothing. */
  requestRefund(id: string, input: RefundRequestInput): Promise<void>;
  /** Bills a saved customer every period (`POST /api/v1/subscriptions`). */
  createSubscription(input: CreateSubscriptionInput): Promise<SubscriptionSnapshot>;
  getSubscription(id: string): Promise<SubscriptionSnapshot>;
  /** Stops the subscription's payments (`DELETE /api/v1/subscriptions/:id`); answers the subscription. */
  cancelSubscription(id: string): Promise<SubscriptionSnapshot>;
  /**
   * The subscriptions created since `since` that bill this customer (`GET /api/v1/subscriptions`
   * by time range, every page: KOMOJU has no customer filter). Decides a create whose answer was lost.
   */
  findSubscriptions(customerId: string, since: Date): Promise<SubscriptionSnapshot[]>;
  /** Every payment created in [since, until] (`GET /api/v1/payments?start_time&end_time`, every page): reconciliation. */
  listPayments(range: { since: Date; until: Date }): Promise<PaymentSnapshot[]>;
  /** The payment methods the account can take (`GET /api/v1/payment_methods`). */
  listPaymentMethods(): Promise<OfferedPaymentMethod[]>;
}

// `status` is the provider's HTTP status (null when no answer arrived), `code` its machine-readable
// error code (or ours: `timeout`, `network_error`, `invalid_response`), `retryable` whether the
// same call may succeed later.
export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
