// Provider-neutral view of a hosted checkout. KOMOJU and the built-in sandbox both implement
// PaymentProvider; the rest of the app sees only these shapes. Amounts are integers in the
// currency's smallest unit.

// `refunded` means fully refunded; a partially refunded payment stays `captured`.
export type PaymentStatus =
  | 'pending'
  | 'authorized'
  | 'captured'
  | 'refunded'
  | 'cancelled'
  | 'expired'
  | 'failed';

// A chargeback is a refund with `chargeback: true` (no separate resource).
export interface RefundSnapshot {
  id: string;
  amount: number;
  chargeback: boolean;
}

export interface PaymentSnapshot {
  id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  amountRefunded: number;
  refunds: RefundSnapshot[];
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
  // Same key + same input → the same session, so a retried create never opens a second one.
  idempotencyKey: string;
  expiresInSeconds?: number;
}

export interface ProviderEvent {
  id: string;
  type: string;
  // Null for events that carry no payment (e.g. `ping`).
  payment: PaymentSnapshot | null;
  createdAt: Date | null;
}

export interface PaymentProvider {
  readonly name: 'komoju' | 'sandbox';
  readonly testMode: boolean;
  createSession(input: CreateSessionInput): Promise<SessionSnapshot>;
  getSession(id: string): Promise<SessionSnapshot>;
  getPayment(id: string): Promise<PaymentSnapshot>;
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
