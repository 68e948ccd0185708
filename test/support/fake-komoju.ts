/**
 * Fake KOMOJU: a node:http server on 127.0.0.1 (random port) speaking KOMOJU's documented wire
 * format, for tests that point KOMOJU_API_BASE_URL / createKomojuProvider at `fake.url`.
 *
 *   const fake = await startFakeKomoju({ secretKey: 'sk_test_…' });
 *
 * API (Basic auth with `secretKey` as user, else 401 `{ error: { code: 'unauthorized', … } }`):
 *   POST /api/v1/sessions       validates like KOMOJU (422 missing_parameter / invalid_parameter;
 *                               `mode` payment or customer; customer_payment is refused). A
 *                               customer-mode session has `customer_id` from creation; the buyer
 *                               saving a card completes it with no payment (saveCard()).
 *                               X-KOMOJU-IDEMPOTENCY: same key + same body → the same session,
 *                               same key + other body → 422, same key while the first request is
 *                               still running → 409.
 *   GET  /api/v1/sessions/:id   current state; `payment` appears once completed.
 *   GET  /api/v1/payments/:id
 *   POST /api/v1/payments/:id/refund          `amount` (default: all that is left of `total`),
 *                               `description`; captured only (422 otherwise, and for konbini /
 *                               bank_transfer / pay_easy, which need a refund request); answers
 *                               the payment (partial keeps `captured`, full makes `refunded`).
 *   POST /api/v1/payments/:id/cancel          pending / authorized → cancelled; answers the payment.
 *   POST /api/v1/payments/:id/refund_request  amount, customer_name (half-width katakana),
 *                               bank_name, branch_number (3 digits), account_type, account_number
 *                               (7-digit integer), include_payment_method_fee; captured only;
 *                               answers 200 with an empty body and lists the request in the
 *                               payment's `refund_requests` (status `pending`).
 *   Payment POSTs honour X-KOMOJU-IDEMPOTENCY like sessions do: the same key and body answer the
 *   first answer again without acting twice.
 *   POST   /api/v1/subscriptions      customer (a saved one, else 422), amount, currency, period
 *                               (weekly | monthly | yearly), metadata; idempotent like payment
 *                               POSTs. The first period is charged at once: `payments` holds a
 *                               captured payment with `customer` set and no session (KOMOJU's
 *                               timing of the first charge is unconfirmed; this is our assumption).
 *   GET    /api/v1/subscriptions/:id
 *   DELETE /api/v1/subscriptions/:id  status → cancelled, `ended_at` set; answers the subscription.
 * Buyer pages (no auth): GET /sessions/:id/pay shows a tiny page with Pay / Fail buttons; POST
 * there (form field `result` = captured | authorized | failed) completes the session like
 * completeSession() and redirects 303 to return_url with `session_id` appended.
 *
 * Controls (state changes return the payment/session JSON as KOMOJU would serialise it, copied):
 *   completeSession(sessionId, 'captured' | 'authorized' | 'failed', options?)  → payment JSON.
 *       Creates the payment with `session` = session id and the session's metadata.
 *       captured/authorized mark the session completed; failed leaves it pending (the buyer may
 *       try again), like KOMOJU. `options`: `tax`, `paymentMethodFee` (total = amount + both),
 *       `paymentMethod` (default konbini when authorized, else credit_card), and `currency` with
 *       `amount` for a payment method that charged in another currency than the session's.
 *   retry(paymentId, 'authorized' | 'captured')  failed → re-attempted (KOMOJU: failed is not final)
 *   capture(paymentId)                     authorized → captured
 *   expire(paymentId)                      pending/authorized → expired
 *   refund(paymentId, amount, { chargeback? })  partial keeps `captured`, full makes `refunded`
 *   expireSession(sessionId)               sets the session's `expired` flag
 *   saveCard(sessionId)                    the buyer saved a card on a customer-mode session:
 *                                          completed, its customer usable; → session JSON
 *   renew(subscriptionId, 'captured' | 'failed')  a period passed: a new payment of the
 *                                          subscription (listed in its `payments`) → payment JSON
 *   subscription(id), subscriptions()      current JSON
 *   subscriptionEvent(type, subscriptionId) / customerEvent(type, customerId)
 *                                          event bodies whose `data` is the subscription / customer
 *   payment(id), session(id), sessions()   current JSON
 *   event(type, paymentId?)                KOMOJU event body with the payment as of now (`data`
 *                                          is {} without a payment id, e.g. for `ping`)
 *   sendWebhook(url, body, webhookSecret)  POSTs body (object → JSON; string → sent verbatim) with
 *                                          X-Komoju-Signature / X-Komoju-ID (new per delivery) /
 *                                          X-Komoju-Event; resolves to the HTTP status
 *   failNext(count, httpStatus, body?)     the next `count` API requests answer httpStatus with
 *                                          body (default: KOMOJU error body), before auth
 *   delayNext(count, ms)                   the next `count` API requests are held `ms` first
 *   requests                               every request received: { method, path, headers, body }
 *   close()
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signKomojuBody } from '../../src/payments/komoju/komoju-webhook.js';
import type { PaymentStatus } from '../../src/payments/provider.js';

export interface FakeKomojuRequest {
  method: string;
  // Path plus query string.
  path: string;
  headers: IncomingHttpHeaders;
  // Parsed JSON when the body was JSON, the raw text otherwise, null when empty.
  body: unknown;
}

export interface FakeKomojuRefund {
  id: string;
  resource: 'refund';
  amount: number;
  currency: string;
  payment: string;
  description: string | null;
  created_at: string;
  chargeback: boolean;
}

export interface FakeKomojuPayment {
  id: string;
  resource: 'payment';
  status: PaymentStatus;
  amount: number;
  tax: number;
  customer: string | null;
  payment_deadline: string | null;
  // KOMOJU sends more per method; `email` is the buyer's when the method asked for one.
  payment_details: { type: string; email?: string };
  payment_method_fee: number;
  total: number;
  currency: string;
  description: string | null;
  captured_at: string | null;
  external_order_num: string | null;
  metadata: Record<string, string>;
  created_at: string;
  amount_refunded: number;
  locale: string;
  session: string | null;
  refunds: FakeKomojuRefund[];
  refund_requests: unknown[];
}

export interface FakeKomojuLineItem {
  description?: string;
  amount?: number;
  quantity?: number;
  image?: string;
}

export interface FakeKomojuSubscription {
  id: string;
  resource: 'subscription';
  status: 'active' | 'cancelled';
  amount: number;
  currency: string;
  customer: { id: string; resource: 'customer' };
  period: 'weekly' | 'monthly' | 'yearly';
  day: number;
  retry_count: number;
  retry_at: string | null;
  next_capture_at: string | null;
  created_at: string;
  ended_at: string | null;
  metadata: Record<string, string>;
  payments: FakeKomojuPayment[];
}

export interface FakeKomojuSession {
  id: string;
  resource: 'session';
  mode: 'payment' | 'customer';
  /** Customer mode: the customer the buyer's card is saved to. */
  customer_id?: string;
  amount: number;
  currency: string;
  session_url: string;
  return_url: string | null;
  default_locale: string;
  payment_methods: unknown[];
  created_at: string;
  cancelled_at: string | null;
  completed_at: string | null;
  status: 'pending' | 'completed' | 'cancelled';
  expired: boolean;
  metadata: Record<string, string>;
  payment_data: { external_order_num?: string };
  line_items: FakeKomojuLineItem[];
  /** The buyer's email, when the session was created with one. */
  email?: string;
  /** The payment types the session was limited to, when it was. */
  payment_types?: string[];
  // Absent until completed.
  payment?: FakeKomojuPayment;
}

export interface FakeKomojuEvent {
  id: string;
  type: string;
  resource: 'event';
  data: FakeKomojuPayment | FakeKomojuSubscription | Record<string, unknown>;
  created_at: string;
  reason: string | null;
}

export interface FakeKomoju {
  // Origin, e.g. http://127.0.0.1:54321
  readonly url: string;
  readonly requests: FakeKomojuRequest[];
  completeSession(sessionId: string, status: 'captured' | 'authorized' | 'failed', options?: CompleteOptions): FakeKomojuPayment;
  retry(paymentId: string, status: 'authorized' | 'captured'): FakeKomojuPayment;
  capture(paymentId: string): FakeKomojuPayment;
  expire(paymentId: string): FakeKomojuPayment;
  refund(paymentId: string, amount: number, options?: { chargeback?: boolean }): FakeKomojuPayment;
  expireSession(sessionId: string): FakeKomojuSession;
  saveCard(sessionId: string): FakeKomojuSession;
  renew(subscriptionId: string, status: 'captured' | 'failed'): FakeKomojuPayment;
  subscription(id: string): FakeKomojuSubscription;
  subscriptions(): FakeKomojuSubscription[];
  subscriptionEvent(type: string, subscriptionId: string): FakeKomojuEvent;
  customerEvent(type: string, customerId: string): FakeKomojuEvent;
  payment(id: string): FakeKomojuPayment;
  session(id: string): FakeKomojuSession;
  sessions(): FakeKomojuSession[];
  event(type: string, paymentId?: string): FakeKomojuEvent;
  sendWebhook(url: string, body: unknown, webhookSecret: string): Promise<number>;
  failNext(count: number, httpStatus: number, body?: unknown): void;
  delayNext(count: number, ms: number): void;
  /** Replaces what `GET /api/v1/payment_methods` lists. */
  setPaymentMethods(methods: readonly FakeKomojuPaymentMethod[]): void;
  close(): Promise<void>;
}

/** One entry of `GET /api/v1/payment_methods` (AvailablePaymentMethod in komoju-node-sdk's docs). */
export interface FakeKomojuPaymentMethod {
  type_slug: string;
  name_en: string;
  name_ja: string;
  name_ko: string;
  currency: string;
}

/** What the fake account takes until a test calls setPaymentMethods: card, konbini and PayPay in JPY. */
export const FAKE_KOMOJU_PAYMENT_METHODS: readonly FakeKomojuPaymentMethod[] = [
  { type_slug: 'credit_card', name_en: 'Credit Card', name_ja: 'クレジットカード', name_ko: '신용카드', currency: 'JPY' },
  { type_slug: 'konbini', name_en: 'Konbini', name_ja: 'コンビニ', name_ko: '편의점', currency: 'JPY' },
  { type_slug: 'paypay', name_en: 'PayPay', name_ja: 'PayPay', name_ko: 'PayPay', currency: 'JPY' },
];

export interface CompleteOptions {
  tax?: number;
  paymentMethodFee?: number;
  paymentMethod?: string;
  /** The payment method charged in this currency and amount instead of the session's. */
  currency?: string;
  amount?: number;
}

export interface FakeKomojuRefundRequest {
  id: string;
  resource: 'refund_request';
  amount: number;
  status: 'pending';
  customer_name: string;
  bank_name: string;
  branch_number: string;
  account_type: string;
  account_number: number;
  include_payment_method_fee: boolean;
  created_at: string;
}

const BANK_REFUND_METHODS = ['konbini', 'bank_transfer', 'pay_easy'];
const HALF_WIDTH_KATAKANA_NAME = /^[\uFF66-\uFF9F ()\-.]+$/;

interface SessionRecord {
  json: Omit<FakeKomojuSession, 'expired' | 'payment'>;
  expiresAt: number;
  forcedExpired: boolean;
  paymentId: string | null;
}

interface Injection {
  remaining: number;
}

const LOCALES = ['ja', 'en', 'ko'];
// Codes for injected failures: KOMOJU's documented ones (409/429 are guesses: not in its list).
const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};
const DEFAULT_EXPIRY_SECONDS = 86_400;

// KOMOJU ids are 25 lowercase alphanumerics.
function komojuId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(25), (byte) => alphabet[byte % alphabet.length]).join('');
}

function komojuError(code: string, message: string, param?: string): { error: Record<string, string> } {
  return { error: param === undefined ? { code, message } : { code, message, param } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Validated = { ok: true; session: SessionRecord } | { ok: false; error: ReturnType<typeof komojuError> };

// Checks a POST /api/v1/sessions body the way KOMOJU documents it (422 for missing/invalid).
function validateSessionBody(body: unknown, origin: string): Validated {
  const missing = (param: string) => ({
    ok: false as const,
    error: komojuError('missing_parameter', `A required parameter (${param}) is missing`, param),
  });
  const invalid = (param: string) => ({
    ok: false as const,
    error: komojuError('invalid_parameter', `The parameter (${param}) is invalid`, param),
  });
  if (!isRecord(body)) return missing('amount');
  if (body.amount === undefined && body.mode !== 'customer') return missing('amount');
  // Customer mode: optional, defaults to 0 (komoju-ruby-sdk CreateSessionRequestWithCustomerMode).
  if (!isInt(body.amount ?? 0, body.mode === 'customer' ? 0 : 1)) return invalid('amount');
  if (body.currency === undefined) return missing('currency');
  if (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency)) return invalid('currency');
  if (body.default_locale !== undefined && !LOCALES.includes(body.default_locale as string)) {
    return invalid('default_locale');
  }
  // One-off payments, and customer mode (save a card, no payment); customer_payment is not faked.
  if (body.mode !== undefined && body.mode !== 'payment' && body.mode !== 'customer') return invalid('mode');
  const customerMode = body.mode === 'customer';
  if (body.return_url !== undefined && (typeof body.return_url !== 'string' || !URL.canParse(body.return_url))) {
    return invalid('return_url');
  }
  if (body.expires_in_seconds !== undefined && !isInt(body.expires_in_seconds, 1, 86_400)) {
    return invalid('expires_in_seconds');
  }
  const metadata = body.metadata ?? {};
  if (
    !isRecord(metadata) ||
    Object.entries(metadata).some(([k, v]) => k.length > 30 || typeof v !== 'string' || v.length > 2000)
  ) {
    return invalid('metadata');
  }
  const lineItems = body.line_items ?? [];
  if (
    !Array.isArray(lineItems) ||
    !lineItems.every(
      (item) =>
        isRecord(item) &&
        (item.description === undefined || typeof item.description === 'string') &&
        (item.amount === undefined || isInt(item.amount, 0)) &&
        (item.quantity === undefined || isInt(item.quantity, 1)) &&
        (item.image === undefined || typeof item.image === 'string'),
    )
  ) {
    return invalid('line_items');
  }
  if (body.email !== undefined && (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body.email))) {
    return invalid('email');
  }
  if (body.payment_types !== undefined && (!Array.isArray(body.payment_types) || body.payment_types.length === 0 || !body.payment_types.every((type) => typeof type === 'string'))) {
    return invalid('payment_types');
  }
  const paymentData = body.payment_data ?? {};
  if (
    !isRecord(paymentData) ||
    (paymentData.external_order_num !== undefined && typeof paymentData.external_order_num !== 'string')
  ) {
    return invalid('payment_data');
  }

  const id = komojuId();
  const now = Date.now();
  return {
    ok: true,
    session: {
      json: {
        id,
        resource: 'session',
        mode: customerMode ? 'customer' : 'payment',
        ...(customerMode ? { customer_id: komojuId() } : {}),
        amount: (body.amount as number | undefined) ?? 0,
        currency: body.currency,
        session_url: `${origin}/sessions/${id}/pay`,
        return_url: (body.return_url as string | undefined) ?? null,
        default_locale: (body.default_locale as string | undefined) ?? 'ja',
        payment_methods: [],
        created_at: new Date(now).toISOString(),
        cancelled_at: null,
        completed_at: null,
        status: 'pending',
        metadata: { ...(metadata as Record<string, string>) },
        payment_data:
          typeof paymentData.external_order_num === 'string'
            ? { external_order_num: paymentData.external_order_num }
            : {},
        line_items: lineItems as FakeKomojuLineItem[],
        ...(typeof body.email === 'string' ? { email: body.email } : {}),
        ...(Array.isArray(body.payment_types) ? { payment_types: body.payment_types as string[] } : {}),
      },
      expiresAt: now + ((body.expires_in_seconds as number | undefined) ?? DEFAULT_EXPIRY_SECONDS) * 1000,
      forcedExpired: false,
      paymentId: null,
    },
  };
}

export async function startFakeKomoju({ secretKey }: { secretKey: string }): Promise<FakeKomoju> {
  const sessions = new Map<string, SessionRecord>();
  const payments = new Map<string, FakeKomojuPayment>();
  const idempotent = new Map<string, { body: string; sessionId: string }>();
  const subscriptions = new Map<string, FakeKomojuSubscription>();
  let paymentMethods: readonly FakeKomojuPaymentMethod[] = FAKE_KOMOJU_PAYMENT_METHODS;
  // Customers whose card a completed customer-mode session saved.
  const savedCustomers = new Set<string>();
  const paymentActions = new Map<string, { path: string; body: string; status: number; response: unknown }>();
  const inFlight = new Set<string>();
  const requests: FakeKomojuRequest[] = [];
  const failures: (Injection & { status: number; body: unknown })[] = [];
  const delays: (Injection & { ms: number })[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
  let origin = '';

  function takeInjection<T extends Injection>(queue: T[]): T | undefined {
    const head = queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head;
  }

  function sessionRecord(id: string): SessionRecord {
    const record = sessions.get(id);
    if (!record) throw new Error(`fake-komoju: no session ${id}`);
    return record;
  }

  function paymentRecord(id: string): FakeKomojuPayment {
    const record = payments.get(id);
    if (!record) throw new Error(`fake-komoju: no payment ${id}`);
    return record;
  }

  function renderSession(record: SessionRecord): FakeKomojuSession {
    const json: FakeKomojuSession = {
      ...structuredClone(record.json),
      expired: record.forcedExpired || Date.now() > record.expiresAt,
    };
    if (record.paymentId) json.payment = structuredClone(paymentRecord(record.paymentId));
    return json;
  }

  function completeSession(sessionId: string, status: 'captured' | 'authorized' | 'failed', options: CompleteOptions = {}): FakeKomojuPayment {
    const record = sessionRecord(sessionId);
    if (record.json.status !== 'pending') throw new Error(`fake-komoju: session ${sessionId} is ${record.json.status}`);
    if (renderSession(record).expired) throw new Error(`fake-komoju: session ${sessionId} has expired`);
    const now = new Date();
    const session = record.json;
    const amount = options.amount ?? session.amount;
    const tax = options.tax ?? 0;
    const fee = options.paymentMethodFee ?? 0;
    const payment: FakeKomojuPayment = {
      id: komojuId(),
      resource: 'payment',
      status,
      amount,
      tax,
      customer: null,
      // authorized = konbini-style: awaiting payment at the store until the deadline.
      payment_deadline: status === 'authorized' ? new Date(now.getTime() + 3 * 86_400_000).toISOString() : null,
      payment_details: { type: options.paymentMethod ?? (status === 'authorized' ? 'konbini' : 'credit_card') },
      payment_method_fee: fee,
      total: amount + tax + fee,
      currency: options.currency ?? session.currency,
      description: null,
      captured_at: status === 'captured' ? now.toISOString() : null,
      external_order_num: session.payment_data.external_order_num ?? null,
      metadata: { ...session.metadata },
      created_at: now.toISOString(),
      amount_refunded: 0,
      locale: session.default_locale,
      session: session.id,
      refunds: [],
      refund_requests: [],
    };
    payments.set(payment.id, payment);
    if (status !== 'failed') {
      session.status = 'completed';
      session.completed_at = now.toISOString();
      record.paymentId = payment.id;
    }
    return structuredClone(payment);
  }

  function transition(paymentId: string, from: PaymentStatus[], to: PaymentStatus): FakeKomojuPayment {
    const payment = paymentRecord(paymentId);
    if (!from.includes(payment.status)) throw new Error(`fake-komoju: payment ${paymentId} is ${payment.status}`);
    payment.status = to;
    if (to === 'captured') payment.captured_at = new Date().toISOString();
    return structuredClone(payment);
  }

  function refund(paymentId: string, amount: number, options: { chargeback?: boolean } = {}): FakeKomojuPayment {
    const payment = paymentRecord(paymentId);
    if (payment.status !== 'captured') throw new Error(`fake-komoju: payment ${paymentId} is ${payment.status}`);
    if (!isInt(amount, 1, payment.total - payment.amount_refunded)) {
      throw new Error(`fake-komoju: cannot refund ${amount} of payment ${paymentId}`);
    }
    payment.refunds.push({
      id: komojuId(),
      resource: 'refund',
      amount,
      currency: payment.currency,
      payment: payment.id,
      description: null,
      created_at: new Date().toISOString(),
      chargeback: options.chargeback ?? false,
    });
    payment.amount_refunded += amount;
    if (payment.amount_refunded === payment.total) payment.status = 'refunded';
    return structuredClone(payment);
  }

  function paymentAction(
    paymentId: string,
    action: 'refund' | 'cancel' | 'refund_request',
    body: Record<string, unknown>,
  ): { status: number; response: unknown } {
    const payment = payments.get(paymentId);
    if (!payment) return { status: 404, response: komojuError('not_found', 'The requested resource could not be found') };
    const left = payment.total - payment.amount_refunded;
    if (action === 'cancel') {
      if (payment.status !== 'pending' && payment.status !== 'authorized') {
        return { status: 422, response: komojuError('invalid_payment_status', `Payment is ${payment.status} and cannot be cancelled`) };
      }
      payment.status = 'cancelled';
      return { status: 200, response: structuredClone(payment) };
    }
    if (payment.status !== 'captured') {
      return { status: 422, response: komojuError('invalid_payment_status', `Payment is ${payment.status} and cannot be refunded`) };
    }
    const amount = body.amount === undefined ? left : body.amount;
    if (!isInt(amount, 1, left)) return { status: 422, response: komojuError('invalid_parameter', 'The parameter (amount) is invalid', 'amount') };
    const bankMethod = BANK_REFUND_METHODS.includes(payment.payment_details.type);
    if (action === 'refund') {
      if (bankMethod) return { status: 422, response: komojuError('not_refundable', 'This payment type needs a refund request') };
      if (body.description !== undefined && typeof body.description !== 'string') {
        return { status: 422, response: komojuError('invalid_parameter', 'The parameter (description) is invalid', 'description') };
      }
      return { status: 200, response: refund(paymentId, amount) };
    }
    const invalid = (param: string) => ({ status: 422, response: komojuError('invalid_parameter', `The parameter (${param}) is invalid`, param) });
    if (typeof body.customer_name !== 'string' || !HALF_WIDTH_KATAKANA_NAME.test(body.customer_name)) return invalid('customer_name');
    if (typeof body.bank_name !== 'string' || body.bank_name.trim() === '') return invalid('bank_name');
    if (typeof body.branch_number !== 'string' || !/^[0-9]{3}$/.test(body.branch_number)) return invalid('branch_number');
    if (typeof body.account_type !== 'string' || body.account_type === '') return invalid('account_type');
    if (!isInt(body.account_number, 0, 9_999_999)) return invalid('account_number');
    if (typeof body.include_payment_method_fee !== 'boolean') return invalid('include_payment_method_fee');
    payment.refund_requests.push({
      id: komojuId(),
      resource: 'refund_request',
      amount,
      status: 'pending',
      customer_name: body.customer_name,
      bank_name: body.bank_name,
      branch_number: body.branch_number,
      account_type: body.account_type,
      account_number: body.account_number,
      include_payment_method_fee: body.include_payment_method_fee,
      created_at: new Date().toISOString(),
    } satisfies FakeKomojuRefundRequest);
    return { status: 200, response: '' };
  }

  function saveCard(sessionId: string): FakeKomojuSession {
    const record = sessionRecord(sessionId);
    const session = record.json;
    if (session.mode !== 'customer' || !session.customer_id) throw new Error(`fake-komoju: session ${sessionId} is not in customer mode`);
    if (session.status !== 'pending') throw new Error(`fake-komoju: session ${sessionId} is ${session.status}`);
    session.status = 'completed';
    session.completed_at = new Date().toISOString();
    savedCustomers.add(session.customer_id);
    return renderSession(record);
  }

  function subscriptionRecord(id: string): FakeKomojuSubscription {
    const record = subscriptions.get(id);
    if (!record) throw new Error(`fake-komoju: no subscription ${id}`);
    return record;
  }

  /** A payment billed to the subscription's saved card (no session, `customer` set). */
  function chargeSubscription(subscription: FakeKomojuSubscription, status: 'captured' | 'failed'): FakeKomojuPayment {
    const now = new Date();
    const payment: FakeKomojuPayment = {
      id: komojuId(),
      resource: 'payment',
      status,
      amount: subscription.amount,
      tax: 0,
      customer: subscription.customer.id,
      payment_deadline: null,
      payment_details: { type: 'credit_card' },
      payment_method_fee: 0,
      total: subscription.amount,
      currency: subscription.currency,
      description: null,
      captured_at: status === 'captured' ? now.toISOString() : null,
      external_order_num: null,
      metadata: { ...subscription.metadata },
      created_at: now.toISOString(),
      amount_refunded: 0,
      locale: 'ja',
      session: null,
      refunds: [],
      refund_requests: [],
    };
    payments.set(payment.id, payment);
    subscription.payments.push(payment);
    return payment;
  }

  function renderSubscription(subscription: FakeKomojuSubscription): FakeKomojuSubscription {
    // Payments as they are now (a refund since changes them).
    return structuredClone({ ...subscription, payments: subscription.payments.map((payment) => paymentRecord(payment.id)) });
  }

  const PERIODS = ['weekly', 'monthly', 'yearly'];

  function createSubscription(body: Record<string, unknown>): { status: number; response: unknown } {
    const invalid = (param: string) => ({ status: 422, response: komojuError('invalid_parameter', `The parameter (${param}) is invalid`, param) });
    for (const param of ['customer', 'amount', 'currency', 'period']) {
      if (body[param] === undefined) return { status: 422, response: komojuError('missing_parameter', `A required parameter (${param}) is missing`, param) };
    }
    if (typeof body.customer !== 'string' || !savedCustomers.has(body.customer)) return invalid('customer');
    if (!isInt(body.amount, 0)) return invalid('amount');
    if (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency)) return invalid('currency');
    if (typeof body.period !== 'string' || !PERIODS.includes(body.period)) return invalid('period');
    const metadata = body.metadata ?? {};
    if (!isRecord(metadata) || Object.entries(metadata).some(([k, v]) => k.length > 30 || typeof v !== 'string' || v.length > 2000)) return invalid('metadata');
    const now = new Date();
    const subscription: FakeKomojuSubscription = {
      id: komojuId(),
      resource: 'subscription',
      status: 'active',
      amount: body.amount,
      currency: body.currency,
      customer: { id: body.customer, resource: 'customer' },
      period: body.period as FakeKomojuSubscription['period'],
      day: now.getUTCDate(),
      retry_count: 0,
      retry_at: null,
      next_capture_at: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
      created_at: now.toISOString(),
      ended_at: null,
      metadata: { ...(metadata as Record<string, string>) },
      payments: [],
    };
    subscriptions.set(subscription.id, subscription);
    chargeSubscription(subscription, 'captured');
    return { status: 200, response: renderSubscription(subscription) };
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  // `concurrent`: another request with the same idempotency key was still running on arrival.
  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, raw: string, concurrent: boolean) {
    const delay = takeInjection(delays);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
    const failure = takeInjection(failures);
    if (failure) return send(res, failure.status, failure.body);
    if (req.headers.authorization !== expectedAuth) {
      return send(res, 401, komojuError('unauthorized', 'User authorization failed'));
    }

    let match: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/api/v1/sessions') {
      const key = req.headers['x-komoju-idempotency'];
      if (typeof key === 'string') {
        const previous = idempotent.get(key);
        if (previous) {
          return previous.body === raw
            ? send(res, 200, renderSession(sessionRecord(previous.sessionId)))
            : send(res, 422, komojuError('unprocessable_entity', 'Idempotency key reused with a different request'));
        }
        if (concurrent) {
          return send(res, 409, komojuError('conflict', 'A request with this idempotency key is in progress'));
        }
      }
      let body: unknown;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        return send(res, 400, komojuError('bad_request', 'Malformed JSON'));
      }
      const validated = validateSessionBody(body, origin);
      if (!validated.ok) return send(res, 422, validated.error);
      sessions.set(validated.session.json.id, validated.session);
      if (typeof key === 'string') idempotent.set(key, { body: raw, sessionId: validated.session.json.id });
      return send(res, 200, renderSession(validated.session));
    }
    if (req.method === 'GET' && (match = /^\/api\/v1\/sessions\/([^/?]+)$/.exec(path))) {
      const record = sessions.get(decodeURIComponent(match[1] ?? ''));
      return record
        ? send(res, 200, renderSession(record))
        : send(res, 404, komojuError('not_found', 'The requested resource could not be found'));
    }
    if (req.method === 'POST' && (match = /^\/api\/v1\/payments\/([^/?]+)\/(refund|cancel|refund_request)$/.exec(path))) {
      const key = req.headers['x-komoju-idempotency'];
      if (typeof key === 'string') {
        const previous = paymentActions.get(key);
        if (previous) {
          return previous.path === path && previous.body === raw
            ? send(res, previous.status, previous.response)
            : send(res, 422, komojuError('unprocessable_entity', 'Idempotency key reused with a different request'));
        }
        if (concurrent) return send(res, 409, komojuError('conflict', 'A request with this idempotency key is in progress'));
      }
      let body: unknown;
      try {
        body = raw === '' ? {} : JSON.parse(raw);
      } catch {
        return send(res, 400, komojuError('bad_request', 'Malformed JSON'));
      }
      const answer = paymentAction(decodeURIComponent(match[1] ?? ''), match[2] as 'refund' | 'cancel' | 'refund_request', isRecord(body) ? body : {});
      if (typeof key === 'string' && answer.status < 300) paymentActions.set(key, { path, body: raw, ...answer });
      return send(res, answer.status, answer.response);
    }
    if (req.method === 'POST' && path === '/api/v1/subscriptions') {
      const key = req.headers['x-komoju-idempotency'];
      if (typeof key === 'string') {
        const previous = paymentActions.get(key);
        if (previous) {
          return previous.path === path && previous.body === raw
            ? send(res, previous.status, previous.response)
            : send(res, 422, komojuError('unprocessable_entity', 'Idempotency key reused with a different request'));
        }
        if (concurrent) return send(res, 409, komojuError('conflict', 'A request with this idempotency key is in progress'));
      }
      let body: unknown;
      try {
        body = raw === '' ? {} : JSON.parse(raw);
      } catch {
        return send(res, 400, komojuError('bad_request', 'Malformed JSON'));
      }
      const answer = createSubscription(isRecord(body) ? body : {});
      if (typeof key === 'string' && answer.status < 300) paymentActions.set(key, { path, body: raw, ...answer });
      return send(res, answer.status, answer.response);
    }
    if ((req.method === 'GET' || req.method === 'DELETE') && (match = /^\/api\/v1\/subscriptions\/([^/?]+)$/.exec(path))) {
      const subscription = subscriptions.get(decodeURIComponent(match[1] ?? ''));
      if (!subscription) return send(res, 404, komojuError('not_found', 'The requested resource could not be found'));
      if (req.method === 'DELETE' && subscription.status === 'active') {
        subscription.status = 'cancelled';
        subscription.ended_at = new Date().toISOString();
        subscription.next_capture_at = null;
      }
      return send(res, 200, renderSubscription(subscription));
    }
    if (req.method === 'GET' && (match = /^\/api\/v1\/payments\/([^/?]+)$/.exec(path))) {
      const payment = payments.get(decodeURIComponent(match[1] ?? ''));
      return payment
        ? send(res, 200, payment)
        : send(res, 404, komojuError('not_found', 'The requested resource could not be found'));
    }
    if (req.method === 'GET' && path === '/api/v1/payment_methods') return send(res, 200, paymentMethods);
    return send(res, 404, komojuError('not_found', 'The requested resource could not be found'));
  }

  function handlePayPage(req: IncomingMessage, res: ServerResponse, sessionId: string, raw: string): void {
    const record = sessions.get(sessionId);
    if (!record) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Unknown session');
      return;
    }
    if (req.method === 'POST') {
      const result = new URLSearchParams(raw).get('result');
      if (result !== 'captured' && result !== 'authorized' && result !== 'failed') {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('result must be captured, authorized or failed');
        return;
      }
      if (record.json.status !== 'pending' || renderSession(record).expired) {
        res.writeHead(410, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('This session can no longer be paid');
        return;
      }
      if (record.json.mode === 'customer') {
        if (result === 'captured') saveCard(sessionId);
      } else {
        completeSession(sessionId, result);
      }
      if (!record.json.return_url) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`Session ${sessionId}: ${result}`);
        return;
      }
      const target = new URL(record.json.return_url);
      target.searchParams.set('session_id', sessionId);
      res.writeHead(303, { Location: target.toString() });
      res.end();
      return;
    }
    const session = renderSession(record);
    const item = session.line_items[0]?.description ?? '';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Fake KOMOJU</title></head><body>
<h1>Fake KOMOJU checkout (TEST)</h1>
<p id="item">${escapeHtml(item)}</p>
<p id="amount">${session.amount} ${escapeHtml(session.currency)}</p>
<p id="status">${session.status}${session.expired ? ' (expired)' : ''}</p>
<form method="post"><button name="result" value="captured">Pay</button>
<button name="result" value="authorized">Pay later</button>
<button name="result" value="failed">Fail</button></form>
</body></html>`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = raw === '' ? null : raw;
    try {
      if (raw !== '') body = JSON.parse(raw);
    } catch {
      // Not JSON: recorded as text.
    }
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const pathname = path.split('?')[0] ?? '/';
    if (pathname.startsWith('/api/')) {
      const key = req.method === 'POST' ? req.headers['x-komoju-idempotency'] : undefined;
      // The key stays busy for the whole request (an injected delay included), so a duplicate
      // arriving meanwhile sees 409 as on KOMOJU.
      const concurrent = typeof key === 'string' && inFlight.has(key);
      const owns = typeof key === 'string' && !concurrent;
      if (owns) inFlight.add(key);
      try {
        return await handleApi(req, res, pathname, raw, concurrent);
      } finally {
        if (owns) inFlight.delete(key);
      }
    }
    const pay = /^\/sessions\/([^/]+)\/pay$/.exec(pathname);
    if (pay && (req.method === 'GET' || req.method === 'POST')) {
      return handlePayPage(req, res, decodeURIComponent(pay[1] ?? ''), raw);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, komojuError('internal_server_error', String(error)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    requests,
    completeSession,
    retry: (paymentId, status) => transition(paymentId, ['failed'], status),
    capture: (paymentId) => transition(paymentId, ['authorized'], 'captured'),
    expire: (paymentId) => transition(paymentId, ['pending', 'authorized'], 'expired'),
    refund,
    expireSession(sessionId) {
      const record = sessionRecord(sessionId);
      record.forcedExpired = true;
      return renderSession(record);
    },
    saveCard,
    renew(subscriptionId, status) {
      const subscription = subscriptionRecord(subscriptionId);
      if (subscription.status !== 'active') throw new Error(`fake-komoju: subscription ${subscriptionId} is ${subscription.status}`);
      return structuredClone(chargeSubscription(subscription, status));
    },
    subscription: (id) => renderSubscription(subscriptionRecord(id)),
    subscriptions: () => [...subscriptions.values()].map(renderSubscription),
    subscriptionEvent(type, subscriptionId) {
      return { id: `evt_${komojuId()}`, type, resource: 'event', data: renderSubscription(subscriptionRecord(subscriptionId)), created_at: new Date().toISOString(), reason: null };
    },
    customerEvent(type, customerId) {
      return { id: `evt_${komojuId()}`, type, resource: 'event', data: { id: customerId, resource: 'customer', metadata: {} }, created_at: new Date().toISOString(), reason: null };
    },
    payment: (id) => structuredClone(paymentRecord(id)),
    session: (id) => renderSession(sessionRecord(id)),
    sessions: () => [...sessions.values()].map(renderSession),
    event(type, paymentId) {
      return {
        id: `evt_${komojuId()}`,
        type,
        resource: 'event',
        data: paymentId === undefined ? {} : structuredClone(paymentRecord(paymentId)),
        created_at: new Date().toISOString(),
        reason: null,
      };
    },
    async sendWebhook(url, body, webhookSecret) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const type = isRecord(body) && typeof body.type === 'string' ? body.type : '';
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Komoju-Signature': signKomojuBody(raw, webhookSecret),
          'X-Komoju-ID': randomUUID(),
          'X-Komoju-Event': type,
        },
        body: raw,
      });
      await response.arrayBuffer();
      return response.status;
    },
    setPaymentMethods(methods) {
      paymentMethods = methods;
    },
    failNext(count, httpStatus, body) {
      failures.push({
        remaining: count,
        status: httpStatus,
        body: body ?? komojuError(ERROR_CODES[httpStatus] ?? `http_${httpStatus}`, `Injected failure (HTTP ${httpStatus})`),
      });
    },
    delayNext(count, ms) {
      delays.push({ remaining: count, ms });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
