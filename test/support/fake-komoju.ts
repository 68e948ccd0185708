/**
 * Fake KOMOJU: a node:http server on 127.0.0.1 (random port) serving KOMOJU's documented models
 * (test/support/komoju-models/, each field traced to komoju/komoju-node-sdk docs/Models), for
 * tests that point KOMOJU_API_BASE_URL / createKomojuProvider at `fake.url`.
 *
 *   const fake = await startFakeKomoju({ secretKey: 'sk_test_…' });
 *
 * API (Basic auth with `secretKey` as user, else 401 APIError `unauthorized`). One handler per
 * route (see `routes`); errors are KOMOJU's APIError body `{ error: { code, message, param, details } }`.
 *   POST /api/v1/sessions       validates like KOMOJU (422 missing_parameter / invalid_parameter;
 *                               `mode` payment or customer; customer_payment is refused). A
 *                               customer-mode session has `customer_id` from creation; the buyer
 *                               saving a card completes it with no payment (saveCard()).
 *   GET  /api/v1/sessions/:id   current state; `payment` appears once completed.
 *   GET  /api/v1/payments       PaymentList: start_time / end_time (created after / before),
 *                               external_order_num, status (comma-separated), currency, page,
 *                               per_page (default 10, at most 100 — KOMOJU does not document
 *                               either), newest first (order undocumented too).
 *   GET  /api/v1/payments/:id
 *   POST /api/v1/payments/:id/refund          `amount` (default: all that is left of `total`),
 *                               `description`; captured only (422 otherwise, and for konbini /
 *                               bank_transfer / pay_easy, which need a refund request); answers
 *                               the payment (partial keeps `captured`, full makes `refunded`).
 *   POST /api/v1/payments/:id/cancel          pending / authorized → cancelled; answers the payment.
 *   POST /api/v1/payments/:id/refund_request  CreateRefundRequestRequest: amount, customer_name
 *                               (half-width katakana), bank_name, branch_number (3 digits),
 *                               account_type, account_number (documented Integer; a 7-digit
 *                               string is accepted too), include_payment_method_fee; captured
 *                               only; answers 200 with an empty body and lists a RefundRequest
 *                               (status `pending`, account_number a 7-digit string) in the
 *                               payment's `refund_requests`.
 *   POST   /api/v1/subscriptions      customer (a saved one's uuid, else 422), amount, currency,
 *                               period (weekly | monthly | yearly), metadata. The first period is
 *                               charged at once (KOMOJU's timing is undocumented: our assumption).
 *                               The Subscription's `customer` is a Subscription_customer (numeric
 *                               `id`, string `uuid`), its `payments` a list of payment IDS.
 *   GET    /api/v1/subscriptions      SubscriptionList (start_time / end_time, page, per_page).
 *   GET    /api/v1/subscriptions/:id
 *   DELETE /api/v1/subscriptions/:id  status → cancelled, `ended_at` set; answers the subscription.
 *   GET    /api/v1/customers/:id      the Customer a customer-mode session saved.
 * Idempotency (X-KOMOJU-IDEMPOTENCY, every POST): the same key with the same path and body
 * answers the first answer again without acting twice; a request arriving while the first with
 * its key is still running gets 409; keys are kept 24 h (IDEMPOTENCY_KEY_LIFETIME_MS). What
 * KOMOJU answers for the same key with another body is undocumented: the fake answers 422
 * `idempotency_key_reused`. Only successful answers are kept (also undocumented).
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
 *                                          subscription (listed in its `payments`) → payment JSON.
 *                                          Its metadata is empty: KOMOJU does not document
 *                                          whether a renewal carries the subscription's.
 *   subscription(id), subscriptions()      current JSON
 *   subscriptionEvent(type, subscriptionId) / customerEvent(type, customerId)
 *                                          event bodies whose `data` is the subscription / customer
 *                                          (undocumented: Event.data is documented as a Payment)
 *   payment(id), session(id), sessions()   current JSON
 *   event(type, paymentId?)                KOMOJU event body with the payment as of now (`data`
 *                                          is {} without a payment id, e.g. for `ping`)
 *   sendWebhook(url, body, webhookSecret)  POSTs body (object → JSON; string → sent verbatim) with
 *                                          X-Komoju-Signature / X-Komoju-ID (new per delivery) /
 *                                          X-Komoju-Event; resolves to the HTTP status
 *   failNext(count, httpStatus, body?, method?)  the next `count` API requests (of `method` only,
 *                                          when given) answer httpStatus with
 *                                          body (default: KOMOJU error body), before auth: nothing done
 *   delayNext(count, ms)                   the next `count` API requests are held `ms` first
 *   loseAnswer({ method, path, count?, status?, thenUnreachable? })  the next `count` (default 1)
 *                                          requests matching method and path (a RegExp on the path)
 *                                          are CARRIED OUT, then their answer is lost: the
 *                                          connection is cut, or, with `status`, a KOMOJU error
 *                                          body with that status is sent instead (an unknown
 *                                          outcome for the caller); with `thenUnreachable`, the
 *                                          next that many API requests after the last one answer
 *                                          503 (nothing done), so the read that would decide fails
 *   clearInjections()                      drops every failNext / delayNext / loseAnswer not yet used
 *   requests                               every request received: { method, path, headers, body }
 *   close()
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signKomojuBody } from '../../src/payments/komoju/komoju-webhook.js';
import type { PaymentStatus } from '../../src/payments/provider.js';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from './komoju-models/error.js';

interface FakeKomojuRequest {
  method: string;
  // Path plus query string.
  path: string;
  headers: IncomingHttpHeaders;
  // Parsed JSON when the body was JSON, the raw text otherwise, null when empty.
  body: unknown;
}

/** komoju-models/refund.ts */
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

/** komoju-models/refund-request.ts */
interface FakeKomojuRefundRequest {
  id: string;
  payment: string;
  customer_name: string;
  bank_name: string;
  bank_code: string | null;
  branch_name: string | null;
  branch_number: string;
  account_number: string;
  description: string | null;
  status: 'pending';
  created_at: string;
}

/** komoju-models/payment.ts */
export interface FakeKomojuPayment {
  id: string;
  resource: 'payment';
  status: PaymentStatus;
  amount: number;
  tax: number;
  /** The customer's uuid for a payment billed to a saved customer, else null. */
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
  customer_family_name: string | null;
  customer_given_name: string | null;
  mcc: string | null;
  statement_descriptor: unknown;
  refunds: FakeKomojuRefund[];
  refund_requests: FakeKomojuRefundRequest[];
}

interface FakeKomojuLineItem {
  description?: string;
  amount?: number;
  quantity?: number;
  image?: string;
}

/** komoju-models/subscription-customer.ts */
interface FakeKomojuSubscriptionCustomer {
  id: number;
  uuid: string;
  merchant_id: number;
  created_at: string;
  updated_at: string;
  email: string | null;
  currency: string;
  locale: string;
  name: string | null;
  phone: string | null;
  archived_at: string | null;
}

/** komoju-models/subscription.ts */
interface FakeKomojuSubscription {
  id: string;
  resource: 'subscription';
  status: 'active' | 'cancelled';
  amount: number;
  currency: string;
  customer: FakeKomojuSubscriptionCustomer;
  period: 'weekly' | 'monthly' | 'yearly';
  day: number;
  payment_details: { type: string };
  retry_count: number;
  retry_at: string | null;
  next_capture_at: string | null;
  created_at: string;
  ended_at: string | null;
  metadata: Record<string, string>;
  /** Payment ids, oldest first. */
  payments: string[];
}

/** komoju-models/customer.ts */
interface FakeKomojuCustomer {
  id: string;
  resource: 'customer';
  email: string | null;
  source: { type: string };
  metadata: Record<string, string>;
  created_at: string;
}

/** komoju-models/session.ts */
interface FakeKomojuSession {
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
  payment_methods: { type: string }[];
  created_at: string;
  cancelled_at: string | null;
  completed_at: string | null;
  status: 'pending' | 'completed' | 'cancelled';
  expired: boolean;
  merchant: { id: string; name: string };
  metadata: Record<string, string>;
  payment_data: { external_order_num?: string };
  line_items: FakeKomojuLineItem[];
  /** The buyer's email, when the session was created with one. */
  email?: string;
  /** The payment types the session was limited to, when it was (our record of the request). */
  payment_types?: string[];
  // Absent until completed.
  payment?: FakeKomojuPayment;
}

/** komoju-models/event.ts */
export interface FakeKomojuEvent {
  id: string;
  type: string;
  resource: 'event';
  data: FakeKomojuPayment | FakeKomojuSubscription | FakeKomojuCustomer | Record<string, unknown>;
  created_at: string;
  reason: string | null;
}

interface LoseAnswer {
  method: string;
  path: RegExp;
  count?: number;
  /** Send this status with a KOMOJU error body instead of cutting the connection. */
  status?: number;
  /** After the last lost answer, this many API requests answer 503 (KOMOJU unreachable). */
  thenUnreachable?: number;
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
  failNext(count: number, httpStatus: number, body?: unknown, method?: 'GET' | 'POST' | 'DELETE'): void;
  delayNext(count: number, ms: number): void;
  loseAnswer(rule: LoseAnswer): void;
  clearInjections(): void;
  /** Replaces what `GET /api/v1/payment_methods` lists. */
  setPaymentMethods(methods: readonly FakeKomojuPaymentMethod[]): void;
  close(): Promise<void>;
}

/** One entry of `GET /api/v1/payment_methods` (AvailablePaymentMethod in komoju-node-sdk's docs). */
interface FakeKomojuPaymentMethod {
  type_slug: string;
  name_en: string;
  name_ja: string;
  name_ko: string;
  currency: string;
}

/** What the fake account takes until a test calls setPaymentMethods: card, konbini and PayPay in JPY. */
const FAKE_KOMOJU_PAYMENT_METHODS: readonly FakeKomojuPaymentMethod[] = [
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

const BANK_REFUND_METHODS = ['konbini', 'bank_transfer', 'pay_easy'];
const HALF_WIDTH_KATAKANA_NAME = /^[\uFF66-\uFF9F ()\-.]+$/;
const DEFAULT_PAYMENT_TYPES = ['credit_card', 'konbini'];
const FAKE_MERCHANT = { id: 'fakemerchant0000000000000', name: 'Fake KOMOJU merchant' };
const FAKE_MERCHANT_NUMBER = 1;
const PERIODS = ['weekly', 'monthly', 'yearly'];

interface SessionRecord {
  json: Omit<FakeKomojuSession, 'expired' | 'payment'>;
  expiresAt: number;
  forcedExpired: boolean;
  paymentId: string | null;
}

interface Injection {
  remaining: number;
  /** Only requests of this method count (any when undefined). */
  method?: string | undefined;
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
const DEFAULT_PER_PAGE = 10;
const MAX_PER_PAGE = 100;

// KOMOJU ids are 25 lowercase alphanumerics.
function komojuId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(25), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** KOMOJU's APIError body (komoju-models/error.ts). */
function komojuError(code: string, message: string, param?: string): { error: { code: string; message: string; param: string | null; details: Record<string, unknown> } } {
  return { error: { code, message, param: param ?? null, details: {} } };
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

const notFound = (): Answer => ({ status: 404, body: komojuError('not_found', 'The requested resource could not be found') });
const invalid = (param: string): Answer => ({ status: 422, body: komojuError('invalid_parameter', `The parameter (${param}) is invalid`, param) });
const missing = (param: string): Answer => ({ status: 422, body: komojuError('missing_parameter', `A required parameter (${param}) is missing`, param) });

/** An answer: `body` '' is an empty body (refund_request). */
interface Answer {
  status: number;
  body: unknown;
}

interface RouteRequest {
  params: string[];
  body: Record<string, unknown>;
  query: URLSearchParams;
}

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: RegExp;
  handle(request: RouteRequest): Answer;
}

/** A list page as KOMOJU's PaymentList / SubscriptionList (komoju-models/payment-list.ts). */
function listPage(resource: string, items: { created_at: string }[], query: URLSearchParams): Answer {
  const time = (name: string): number | null | undefined => {
    const value = query.get(name);
    if (value === null) return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  };
  const start = time('start_time');
  const end = time('end_time');
  if (start === null) return invalid('start_time');
  if (end === null) return invalid('end_time');
  const perPage = Number(query.get('per_page') ?? DEFAULT_PER_PAGE);
  const page = Number(query.get('page') ?? 1);
  if (!isInt(perPage, 1, MAX_PER_PAGE)) return invalid('per_page');
  if (!isInt(page, 1)) return invalid('page');
  const matching = items
    .filter((item) => {
      const created = Date.parse(item.created_at);
      return (start === undefined || created >= start) && (end === undefined || created <= end);
    })
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return {
    status: 200,
    body: {
      resource,
      data: matching.slice((page - 1) * perPage, page * perPage),
      start_time: start === undefined ? null : new Date(start).toISOString(),
      end_time: end === undefined ? null : new Date(end).toISOString(),
      total: matching.length,
      page,
      per_page: perPage,
      last_page: Math.max(1, Math.ceil(matching.length / perPage)),
    },
  };
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
  if (!isRecord(metadata) || Object.entries(metadata).some(([k, v]) => k.length > 30 || typeof v !== 'string' || v.length > 2000)) {
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
  if (!isRecord(paymentData) || (paymentData.external_order_num !== undefined && typeof paymentData.external_order_num !== 'string')) {
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
        return_url: body.return_url ?? null,
        default_locale: (body.default_locale as string | undefined) ?? 'ja',
        payment_methods: (Array.isArray(body.payment_types) ? body.payment_types : DEFAULT_PAYMENT_TYPES).map((type) => ({ type })),
        created_at: new Date(now).toISOString(),
        cancelled_at: null,
        completed_at: null,
        status: 'pending',
        merchant: { ...FAKE_MERCHANT },
        metadata: { ...(metadata as Record<string, string>) },
        payment_data: typeof paymentData.external_order_num === 'string' ? { external_order_num: paymentData.external_order_num } : {},
        line_items: lineItems as FakeKomojuLineItem[],
        ...(typeof body.email === 'string' ? { email: body.email } : {}),
        ...(Array.isArray(body.payment_types) ? { payment_types: body.payment_types } : {}),
      },
      expiresAt: now + (body.expires_in_seconds ?? DEFAULT_EXPIRY_SECONDS) * 1000,
      forcedExpired: false,
      paymentId: null,
    },
  };
}

export async function startFakeKomoju({ secretKey }: { secretKey: string }): Promise<FakeKomoju> {
  const sessions = new Map<string, SessionRecord>();
  const payments = new Map<string, FakeKomojuPayment>();
  const subscriptions = new Map<string, FakeKomojuSubscription>();
  let paymentMethods: readonly FakeKomojuPaymentMethod[] = FAKE_KOMOJU_PAYMENT_METHODS;
  // Customers whose card a completed customer-mode session saved, by uuid.
  const customers = new Map<string, { number: number; json: FakeKomojuCustomer; currency: string; locale: string }>();
  // X-KOMOJU-IDEMPOTENCY → the first successful answer.
  const idempotent = new Map<string, { route: string; raw: string; answer: Answer; at: number }>();
  const inFlight = new Set<string>();
  const requests: FakeKomojuRequest[] = [];
  const failures: (Injection & { status: number; body: unknown })[] = [];
  const delays: (Injection & { ms: number })[] = [];
  const lostAnswers: (Injection & LoseAnswer)[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
  let origin = '';

  function takeInjection<T extends Injection>(queue: T[], method?: string): T | undefined {
    const head = queue.find((injection) => injection.method === undefined || injection.method === method);
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.splice(queue.indexOf(head), 1);
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

  function subscriptionRecord(id: string): FakeKomojuSubscription {
    const record = subscriptions.get(id);
    if (!record) throw new Error(`fake-komoju: no subscription ${id}`);
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

  function newPayment(
    fields: Pick<FakeKomojuPayment, 'status' | 'amount' | 'currency' | 'customer' | 'session' | 'metadata' | 'external_order_num' | 'locale'> & { tax?: number; fee?: number; type: string },
  ): FakeKomojuPayment {
    const now = new Date();
    const tax = fields.tax ?? 0;
    const fee = fields.fee ?? 0;
    const payment: FakeKomojuPayment = {
      id: komojuId(),
      resource: 'payment',
      status: fields.status,
      amount: fields.amount,
      tax,
      customer: fields.customer,
      // authorized = konbini-style: awaiting payment at the store until the deadline.
      payment_deadline: fields.status === 'authorized' ? new Date(now.getTime() + 3 * 86_400_000).toISOString() : null,
      payment_details: { type: fields.type },
      payment_method_fee: fee,
      total: fields.amount + tax + fee,
      currency: fields.currency,
      description: null,
      captured_at: fields.status === 'captured' ? now.toISOString() : null,
      external_order_num: fields.external_order_num,
      metadata: fields.metadata,
      created_at: now.toISOString(),
      amount_refunded: 0,
      locale: fields.locale,
      session: fields.session,
      customer_family_name: null,
      customer_given_name: null,
      mcc: null,
      statement_descriptor: null,
      refunds: [],
      refund_requests: [],
    };
    payments.set(payment.id, payment);
    return payment;
  }

  function completeSession(sessionId: string, status: 'captured' | 'authorized' | 'failed', options: CompleteOptions = {}): FakeKomojuPayment {
    const record = sessionRecord(sessionId);
    if (record.json.status !== 'pending') throw new Error(`fake-komoju: session ${sessionId} is ${record.json.status}`);
    if (renderSession(record).expired) throw new Error(`fake-komoju: session ${sessionId} has expired`);
    const session = record.json;
    const payment = newPayment({
      status,
      amount: options.amount ?? session.amount,
      ...(options.tax === undefined ? {} : { tax: options.tax }),
      ...(options.paymentMethodFee === undefined ? {} : { fee: options.paymentMethodFee }),
      type: options.paymentMethod ?? (status === 'authorized' ? 'konbini' : 'credit_card'),
      currency: options.currency ?? session.currency,
      customer: null,
      session: session.id,
      metadata: { ...session.metadata },
      external_order_num: session.payment_data.external_order_num ?? null,
      locale: session.default_locale,
    });
    if (session.email !== undefined) payment.payment_details.email = session.email;
    if (status !== 'failed') {
      session.status = 'completed';
      session.completed_at = payment.created_at;
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

  function refund(paymentId: string, amount: number, options: { chargeback?: boolean; description?: string } = {}): FakeKomojuPayment {
    const payment = paymentRecord(paymentId);
    if (payment.status !== 'captured') throw new Error(`fake-komoju: payment ${paymentId} is ${payment.status}`);
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > payment.total - payment.amount_refunded) {
      throw new Error(`fake-komoju: cannot refund ${amount} of payment ${paymentId}`);
    }
    payment.refunds.push({
      id: komojuId(),
      resource: 'refund',
      amount,
      currency: payment.currency,
      payment: payment.id,
      description: options.description ?? null,
      created_at: new Date().toISOString(),
      chargeback: options.chargeback ?? false,
    });
    payment.amount_refunded += amount;
    if (payment.amount_refunded === payment.total) payment.status = 'refunded';
    return structuredClone(payment);
  }

  function saveCard(sessionId: string): FakeKomojuSession {
    const record = sessionRecord(sessionId);
    const session = record.json;
    if (session.mode !== 'customer' || !session.customer_id) throw new Error(`fake-komoju: session ${sessionId} is not in customer mode`);
    if (session.status !== 'pending') throw new Error(`fake-komoju: session ${sessionId} is ${session.status}`);
    const now = new Date().toISOString();
    session.status = 'completed';
    session.completed_at = now;
    customers.set(session.customer_id, {
      number: 4200 + customers.size,
      currency: session.currency,
      locale: session.default_locale,
      json: { id: session.customer_id, resource: 'customer', email: session.email ?? null, source: { type: 'credit_card' }, metadata: {}, created_at: now },
    });
    return renderSession(record);
  }

  function customerRecord(uuid: string) {
    const customer = customers.get(uuid);
    if (!customer) throw new Error(`fake-komoju: no customer ${uuid}`);
    return customer;
  }

  /** Subscription_customer: numeric `id`, the uuid apart (komoju-models/subscription-customer.ts). */
  function subscriptionCustomer(uuid: string): FakeKomojuSubscriptionCustomer {
    const customer = customerRecord(uuid);
    return {
      id: customer.number,
      uuid,
      merchant_id: FAKE_MERCHANT_NUMBER,
      created_at: customer.json.created_at,
      updated_at: customer.json.created_at,
      email: customer.json.email,
      currency: customer.currency,
      locale: customer.locale,
      name: null,
      phone: null,
      archived_at: null,
    };
  }

  /** A payment billed to the subscription's saved card (no session, `customer` = its uuid). */
  function chargeSubscription(subscription: FakeKomojuSubscription, status: 'captured' | 'failed', metadata: Record<string, string>): FakeKomojuPayment {
    const payment = newPayment({
      status,
      amount: subscription.amount,
      type: 'credit_card',
      currency: subscription.currency,
      customer: subscription.customer.uuid,
      session: null,
      metadata,
      external_order_num: null,
      locale: subscription.customer.locale,
    });
    subscription.payments.push(payment.id);
    return payment;
  }

  function renderSubscription(subscription: FakeKomojuSubscription): FakeKomojuSubscription {
    return structuredClone(subscription);
  }

  function validMetadata(metadata: unknown): metadata is Record<string, string> {
    return isRecord(metadata) && Object.entries(metadata).every(([k, v]) => k.length <= 30 && typeof v === 'string' && v.length <= 2000);
  }

  // ---- one handler per route ----

  function postSession({ body }: RouteRequest): Answer {
    const validated = validateSessionBody(Object.keys(body).length === 0 ? undefined : body, origin);
    if (!validated.ok) return { status: 422, body: validated.error };
    sessions.set(validated.session.json.id, validated.session);
    return { status: 200, body: renderSession(validated.session) };
  }

  function getSession({ params }: RouteRequest): Answer {
    const record = sessions.get(params[0] ?? '');
    return record ? { status: 200, body: renderSession(record) } : notFound();
  }

  function listPayments({ query }: RouteRequest): Answer {
    const statuses = query
      .get('status')
      ?.split(',')
      .map((status) => status.trim());
    const order = query.get('external_order_num');
    const currency = query.get('currency');
    const items = [...payments.values()].filter(
      (payment) => (statuses === undefined || statuses.includes(payment.status)) && (order === null || payment.external_order_num === order) && (currency === null || payment.currency === currency),
    );
    return listPage('payment_list', structuredClone(items), query);
  }

  function getPayment({ params }: RouteRequest): Answer {
    const payment = payments.get(params[0] ?? '');
    return payment ? { status: 200, body: structuredClone(payment) } : notFound();
  }

  function refundPayment({ params, body }: RouteRequest): Answer {
    const payment = payments.get(params[0] ?? '');
    if (!payment) return notFound();
    if (payment.status !== 'captured') {
      return { status: 422, body: komojuError('invalid_payment_status', `Payment is ${payment.status} and cannot be refunded`) };
    }
    if (BANK_REFUND_METHODS.includes(payment.payment_details.type)) {
      return { status: 422, body: komojuError('not_refundable', 'This payment type needs a refund request') };
    }
    const amount = body.amount ?? payment.total - payment.amount_refunded;
    if (!isInt(amount, 1, payment.total - payment.amount_refunded)) return invalid('amount');
    if (body.description !== undefined && typeof body.description !== 'string') return invalid('description');
    return { status: 200, body: refund(payment.id, amount, typeof body.description === 'string' ? { description: body.description } : {}) };
  }

  function cancelPayment({ params }: RouteRequest): Answer {
    const payment = payments.get(params[0] ?? '');
    if (!payment) return notFound();
    if (payment.status !== 'pending' && payment.status !== 'authorized') {
      return { status: 422, body: komojuError('invalid_payment_status', `Payment is ${payment.status} and cannot be cancelled`) };
    }
    payment.status = 'cancelled';
    return { status: 200, body: structuredClone(payment) };
  }

  function requestRefund({ params, body }: RouteRequest): Answer {
    const payment = payments.get(params[0] ?? '');
    if (!payment) return notFound();
    if (payment.status !== 'captured') {
      return { status: 422, body: komojuError('invalid_payment_status', `Payment is ${payment.status} and cannot be refunded`) };
    }
    if (!isInt(body.amount ?? payment.total - payment.amount_refunded, 1, payment.total - payment.amount_refunded)) return invalid('amount');
    if (typeof body.customer_name !== 'string' || !HALF_WIDTH_KATAKANA_NAME.test(body.customer_name)) return invalid('customer_name');
    if (typeof body.bank_name !== 'string' || body.bank_name.trim() === '') return invalid('bank_name');
    if (typeof body.branch_number !== 'string' || !/^[0-9]{3}$/.test(body.branch_number)) return invalid('branch_number');
    if (typeof body.account_type !== 'string' || body.account_type === '') return invalid('account_type');
    // Documented as an Integer in the request, a 7-digit String in the RefundRequest.
    const accountNumber = isInt(body.account_number, 0, 9_999_999)
      ? String(body.account_number).padStart(7, '0')
      : typeof body.account_number === 'string' && /^[0-9]{7}$/.test(body.account_number)
        ? body.account_number
        : null;
    if (accountNumber === null) return invalid('account_number');
    if (typeof body.include_payment_method_fee !== 'boolean') return invalid('include_payment_method_fee');
    payment.refund_requests.push({
      id: komojuId(),
      payment: payment.id,
      customer_name: body.customer_name,
      bank_name: body.bank_name,
      bank_code: typeof body.bank_code === 'string' ? body.bank_code : null,
      branch_name: typeof body.branch_name === 'string' ? body.branch_name : null,
      branch_number: body.branch_number,
      account_number: accountNumber,
      description: typeof body.description === 'string' ? body.description : null,
      status: 'pending',
      created_at: new Date().toISOString(),
    });
    return { status: 200, body: '' };
  }

  function createSubscription({ body }: RouteRequest): Answer {
    for (const param of ['customer', 'amount', 'currency', 'period']) {
      if (body[param] === undefined) return missing(param);
    }
    if (typeof body.customer !== 'string' || !customers.has(body.customer)) return invalid('customer');
    if (!isInt(body.amount, 0)) return invalid('amount');
    if (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency)) return invalid('currency');
    if (typeof body.period !== 'string' || !PERIODS.includes(body.period)) return invalid('period');
    const metadata = body.metadata ?? {};
    if (!validMetadata(metadata)) return invalid('metadata');
    const now = new Date();
    const subscription: FakeKomojuSubscription = {
      id: komojuId(),
      resource: 'subscription',
      status: 'active',
      amount: body.amount,
      currency: body.currency,
      customer: subscriptionCustomer(body.customer),
      period: body.period as FakeKomojuSubscription['period'],
      day: now.getUTCDate(),
      payment_details: { type: 'credit_card' },
      retry_count: 0,
      retry_at: null,
      next_capture_at: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
      created_at: now.toISOString(),
      ended_at: null,
      metadata: { ...metadata },
      payments: [],
    };
    subscriptions.set(subscription.id, subscription);
    // The first charge carries the subscription's metadata (our assumption; undocumented).
    chargeSubscription(subscription, 'captured', { ...metadata });
    return { status: 200, body: renderSubscription(subscription) };
  }

  function listSubscriptions({ query }: RouteRequest): Answer {
    return listPage('subscription_list', [...subscriptions.values()].map(renderSubscription), query);
  }

  function getSubscription({ params }: RouteRequest): Answer {
    const subscription = subscriptions.get(params[0] ?? '');
    return subscription ? { status: 200, body: renderSubscription(subscription) } : notFound();
  }

  function deleteSubscription({ params }: RouteRequest): Answer {
    const subscription = subscriptions.get(params[0] ?? '');
    if (!subscription) return notFound();
    if (subscription.status === 'active') {
      subscription.status = 'cancelled';
      subscription.ended_at = new Date().toISOString();
      subscription.next_capture_at = null;
    }
    return { status: 200, body: renderSubscription(subscription) };
  }

  function getCustomer({ params }: RouteRequest): Answer {
    const customer = customers.get(params[0] ?? '');
    return customer ? { status: 200, body: structuredClone(customer.json) } : notFound();
  }

  function listPaymentMethods(): Answer {
    return { status: 200, body: structuredClone(paymentMethods) };
  }

  const ID = '([^/]+)';
  const routes: Route[] = [
    { method: 'GET', path: /^\/api\/v1\/payment_methods$/, handle: listPaymentMethods },
    { method: 'POST', path: /^\/api\/v1\/sessions$/, handle: postSession },
    { method: 'GET', path: new RegExp(`^/api/v1/sessions/${ID}$`), handle: getSession },
    { method: 'GET', path: /^\/api\/v1\/payments$/, handle: listPayments },
    { method: 'GET', path: new RegExp(`^/api/v1/payments/${ID}$`), handle: getPayment },
    { method: 'POST', path: new RegExp(`^/api/v1/payments/${ID}/refund$`), handle: refundPayment },
    { method: 'POST', path: new RegExp(`^/api/v1/payments/${ID}/cancel$`), handle: cancelPayment },
    { method: 'POST', path: new RegExp(`^/api/v1/payments/${ID}/refund_request$`), handle: requestRefund },
    { method: 'POST', path: /^\/api\/v1\/subscriptions$/, handle: createSubscription },
    { method: 'GET', path: /^\/api\/v1\/subscriptions$/, handle: listSubscriptions },
    { method: 'GET', path: new RegExp(`^/api/v1/subscriptions/${ID}$`), handle: getSubscription },
    { method: 'DELETE', path: new RegExp(`^/api/v1/subscriptions/${ID}$`), handle: deleteSubscription },
    { method: 'GET', path: new RegExp(`^/api/v1/customers/${ID}$`), handle: getCustomer },
  ];

  function send(res: ServerResponse, answer: Answer): void {
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  }

  /** Routes the request; POSTs go through KOMOJU's idempotency. `concurrent`: its key was busy on arrival. */
  function answerApi(req: IncomingMessage, pathname: string, query: URLSearchParams, raw: string, concurrent: boolean): Answer {
    let params: string[] | null = null;
    const route = routes.find((candidate) => {
      if (candidate.method !== req.method) return false;
      const match = candidate.path.exec(pathname);
      params = match ? match.slice(1).map((param) => decodeURIComponent(param)) : null;
      return match !== null;
    });
    if (!route || params === null) return notFound();
    const key = req.method === 'POST' ? req.headers['x-komoju-idempotency'] : undefined;
    const routeName = `${req.method} ${pathname}`;
    if (typeof key === 'string') {
      const previous = idempotent.get(key);
      if (previous && Date.now() - previous.at < IDEMPOTENCY_KEY_LIFETIME_MS) {
        return previous.route === routeName && previous.raw === raw
          ? previous.answer
          : { status: 422, body: komojuError('idempotency_key_reused', 'This idempotency key was used with a different request') };
      }
      if (concurrent) return { status: 409, body: komojuError('conflict', 'A request with this idempotency key is in progress') };
    }
    let body: unknown = {};
    try {
      if (raw !== '') body = JSON.parse(raw);
    } catch {
      return { status: 400, body: komojuError('bad_request', 'Malformed JSON') };
    }
    const answer = route.handle({ params, body: isRecord(body) ? body : {}, query });
    if (typeof key === 'string' && answer.status < 300) idempotent.set(key, { route: routeName, raw, answer: structuredClone(answer), at: Date.now() });
    return answer;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, raw: string, concurrent: boolean): Promise<void> {
    const delay = takeInjection(delays);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
    const failure = takeInjection(failures, req.method);
    if (failure) return send(res, { status: failure.status, body: failure.body });
    if (req.headers.authorization !== expectedAuth) {
      return send(res, { status: 401, body: komojuError('unauthorized', 'User authorization failed') });
    }
    const [pathname = '/', search = ''] = path.split('?');
    const answer = answerApi(req, pathname, new URLSearchParams(search), raw, concurrent);
    const lose = lostAnswers.findIndex((rule) => rule.method === req.method && rule.path.test(pathname));
    const rule = lostAnswers[lose];
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) {
        lostAnswers.splice(lose, 1);
        if (rule.thenUnreachable) failures.unshift({ remaining: rule.thenUnreachable, status: 503, body: komojuError('service_unavailable', 'Injected: unreachable after a lost answer') });
      }
      if (rule.status === undefined) {
        res.destroy();
        return;
      }
      return send(res, { status: rule.status, body: komojuError(ERROR_CODES[rule.status] ?? `http_${rule.status}`, `Injected lost answer (HTTP ${rule.status})`) });
    }
    return send(res, answer);
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
        return await handleApi(req, res, path, raw, concurrent);
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
      if (!res.headersSent) send(res, { status: 500, body: komojuError('internal_server_error', String(error)) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function eventBody(type: string, data: FakeKomojuEvent['data']): FakeKomojuEvent {
    return { id: komojuId(), type, resource: 'event', data, created_at: new Date().toISOString(), reason: null };
  }

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
      return structuredClone(chargeSubscription(subscription, status, {}));
    },
    subscription: (id) => renderSubscription(subscriptionRecord(id)),
    subscriptions: () => [...subscriptions.values()].map(renderSubscription),
    subscriptionEvent: (type, subscriptionId) => eventBody(type, renderSubscription(subscriptionRecord(subscriptionId))),
    customerEvent(type, customerId) {
      const saved = customers.get(customerId);
      return eventBody(
        type,
        saved ? structuredClone(saved.json) : { id: customerId, resource: 'customer', email: null, source: { type: 'credit_card' }, metadata: {}, created_at: new Date().toISOString() },
      );
    },
    payment: (id) => structuredClone(paymentRecord(id)),
    session: (id) => renderSession(sessionRecord(id)),
    sessions: () => [...sessions.values()].map(renderSession),
    event: (type, paymentId) => eventBody(type, paymentId === undefined ? {} : structuredClone(paymentRecord(paymentId))),
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
    failNext(count, httpStatus, body, method) {
      failures.push({
        remaining: count,
        method,
        status: httpStatus,
        body: body ?? komojuError(ERROR_CODES[httpStatus] ?? `http_${httpStatus}`, `Injected failure (HTTP ${httpStatus})`),
      });
    },
    delayNext(count, ms) {
      delays.push({ remaining: count, ms });
    },
    setPaymentMethods(methods) {
      paymentMethods = methods;
    },
    loseAnswer(rule) {
      lostAnswers.push({ ...rule, remaining: rule.count ?? 1 });
    },
    clearInjections() {
      failures.length = 0;
      delays.length = 0;
      lostAnswers.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
