// KOMOJU over HTTP: hosted-page Sessions and Payments, validated with zod and mapped onto the
// provider-neutral snapshots. Wire format: KOMOJU API docs and komoju/komoju-node-sdk.
import { z } from 'zod';
import type { OfferedPaymentMethod } from '../../conversation/types.js';
import { isTestSecretKey } from '../../merchants/komoju-keys.js';
import { ProviderError } from '../provider.js';
import type {
  CreateSessionInput,
  CreateSubscriptionInput,
  PaymentProvider,
  PaymentSnapshot,
  PaymentStatus,
  RefundInput,
  RefundRequestInput,
  SessionSnapshot,
  SubscriptionSnapshot,
} from '../provider.js';

export const KOMOJU_API_VERSION = '2025-01-28';

export interface KomojuProviderOptions {
  secretKey: string;
  // Origin of the API, e.g. https://komoju.com (tests point it at a fake).
  apiBaseUrl: string;
  // Per attempt, covering the whole response body. Default 10 s.
  timeoutMs?: number;
  // Base of the exponential backoff between retries. Default 200 ms.
  retryDelayMs?: number;
  fetchImpl?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_DELAY_MS = 200;
// Retries after a network error, a timeout or a retryable status (so at most 3 attempts).
const MAX_RETRIES = 2;
// Extra waits when a POST retry meets 409: our earlier attempt with the same key is still running.
const MAX_CONFLICT_WAITS = 3;
// KOMOJU keeps keys of up to 100 ASCII characters; header values cannot carry spaces/controls anyway.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;
const MAX_REMOTE_MESSAGE = 300;
// KOMOJU documents per_page but not its maximum; 100 is what we ask for.
const LIST_PAGE_SIZE = 100;
// A bound on one listing (100 000 records), so a provider answering a wrong last_page cannot loop us.
const MAX_LIST_PAGES = 1000;

const PAYMENT_STATUSES = ['pending', 'authorized', 'captured', 'refunded', 'cancelled', 'expired', 'failed'] as const satisfies readonly PaymentStatus[];

const money = z.number().int().nonnegative();

// AvailablePaymentMethod in KOMOJU's API reference (komoju-node-sdk docs/Models): an array of these.
const paymentMethodsSchema = z.array(
  z.object({ type_slug: z.string().min(1), name_en: z.string().optional(), name_ja: z.string().optional(), name_ko: z.string().optional(), currency: z.string().optional() }).loose(),
);

const timestamp = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
    return z.NEVER;
  }
  return date;
});

// Documented as string → string; tolerate scalars (stringified) and nulls (dropped) on the way back.
const metadata = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .nullish()
  .transform((record) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(record ?? {})) {
      if (value !== null) out[key] = String(value);
    }
    return out;
  });

const paymentSchema = z.object({
  id: z.string().min(1),
  status: z.enum(PAYMENT_STATUSES),
  amount: money,
  tax: money.nullish(),
  payment_method_fee: money.nullish(),
  total: money.nullish(),
  currency: z.string().min(1),
  payment_details: z.object({ type: z.string().nullish(), email: z.string().nullish() }).loose().nullish(),
  payment_deadline: timestamp.nullish(),
  amount_refunded: money.nullish(),
  refunds: z.array(z.object({ id: z.string().min(1), amount: money, chargeback: z.boolean().nullish() })).nullish(),
  // Documented fields are id, status and the bank details (komoju-node-sdk docs/Models/RefundRequest.md).
  refund_requests: z.array(z.object({ id: z.string().min(1), status: z.string().nullish() }).loose()).nullish(),
  session: z.string().min(1).nullish(),
  metadata,
  captured_at: timestamp.nullish(),
  customer: z.string().min(1).nullish(),
});

const sessionSchema = z.object({
  id: z.string().min(1),
  session_url: z.url(),
  status: z.enum(['pending', 'completed', 'cancelled']),
  expired: z.boolean().nullish(),
  payment: paymentSchema.nullish(),
  metadata,
  customer_id: z.string().min(1).nullish(),
});

// KOMOJU's Subscription (komoju-node-sdk docs/Models/Subscription.md). `customer` is a
// Subscription_customer: its `id` is KOMOJU's internal NUMBER, the customer id we know (the
// session's customer_id, Payment.customer) is its `uuid`; a bare id string is tolerated.
// `payments` is documented as a list of payment ids; payment objects are tolerated too.
const subscriptionCustomerSchema = z.union([z.string().min(1), z.object({ id: z.union([z.number(), z.string()]).nullish(), uuid: z.string().min(1).nullish() }).loose()]);

const subscriptionSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  amount: money,
  currency: z.string().min(1),
  period: z.enum(['weekly', 'monthly', 'yearly']),
  customer: subscriptionCustomerSchema.nullish(),
  next_capture_at: timestamp.nullish(),
  metadata,
  payments: z.array(z.unknown()).nullish(),
});

function subscriptionCustomerId(customer: z.infer<typeof subscriptionCustomerSchema> | null | undefined): string | null {
  if (typeof customer === 'string') return customer;
  if (customer?.uuid) return customer.uuid;
  // Before the uuid was documented, `id` was the customer's id; a number is KOMOJU's internal one.
  return typeof customer?.id === 'string' && customer.id !== '' ? customer.id : null;
}

// PaymentList / SubscriptionList (komoju-node-sdk docs/Models/PaymentList.md): one page.
const listPageSchema = z.object({
  data: z.array(z.unknown()),
  page: z.number().int().nullish(),
  last_page: z.number().int().nullish(),
});

const errorBodySchema = z.object({
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }),
});

type KomojuPayment = z.infer<typeof paymentSchema>;

function toPaymentSnapshot(payment: KomojuPayment, sessionId: string | null): PaymentSnapshot {
  const refunds = (payment.refunds ?? []).map((refund) => ({
    id: refund.id,
    amount: refund.amount,
    chargeback: refund.chargeback ?? false,
  }));
  const tax = payment.tax ?? 0;
  const paymentMethodFee = payment.payment_method_fee ?? 0;
  return {
    id: payment.id,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    tax,
    paymentMethodFee,
    total: payment.total ?? payment.amount + tax + paymentMethodFee,
    // Older payloads may omit the total; the refunds list then is the only record.
    amountRefunded: payment.amount_refunded ?? refunds.reduce((sum, refund) => sum + refund.amount, 0),
    refunds,
    // Only when KOMOJU lists some: most payments never have one.
    ...(payment.refund_requests?.length ? { refundRequests: payment.refund_requests.map((request) => ({ id: request.id, status: request.status ?? null })) } : {}),
    paymentMethod: payment.payment_details?.type ?? null,
    paymentDeadline: payment.payment_deadline ?? null,
    buyerEmail: payment.payment_details?.email ?? null,
    // Only payments billed to a saved customer (a subscription's) carry one.
    ...(payment.customer ? { customerId: payment.customer } : {}),
    sessionId: payment.session ?? sessionId,
    metadata: payment.metadata,
    capturedAt: payment.captured_at ?? null,
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

// Validates a KOMOJU payment object (API response or webhook `data`).
export function parseKomojuPayment(json: unknown): PaymentSnapshot {
  const parsed = paymentSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderError(`KOMOJU payment did not match the expected shape: ${describeIssues(parsed.error)}`, null, 'invalid_response', false);
  }
  return toPaymentSnapshot(parsed.data, null);
}

// Validates a KOMOJU subscription object (API response or `subscription.*` webhook `data`).
export function parseKomojuSubscription(json: unknown): SubscriptionSnapshot {
  const parsed = subscriptionSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderError(`KOMOJU subscription did not match the expected shape: ${describeIssues(parsed.error)}`, null, 'invalid_response', false);
  }
  const subscription = parsed.data;
  const payments: PaymentSnapshot[] = [];
  const paymentIds: string[] = [];
  for (const raw of subscription.payments ?? []) {
    if (typeof raw === 'string' && raw !== '') {
      paymentIds.push(raw);
      continue;
    }
    const payment = paymentSchema.safeParse(raw);
    if (payment.success) {
      paymentIds.push(payment.data.id);
      payments.push(toPaymentSnapshot(payment.data, null));
    }
  }
  return {
    id: subscription.id,
    status: subscription.status,
    amount: subscription.amount,
    currency: subscription.currency,
    period: subscription.period,
    customerId: subscriptionCustomerId(subscription.customer),
    nextCaptureAt: subscription.next_capture_at ?? null,
    metadata: subscription.metadata,
    paymentIds,
    payments,
  };
}

type Outcome = { kind: 'response'; status: number; text: string } | { kind: 'failure'; code: 'timeout' | 'network_error'; detail: string };

function failureDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : 'unknown error';
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function checkIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ProviderError('KOMOJU idempotency key must be 1–100 printable ASCII characters', null, 'invalid_idempotency_key', false);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createKomojuProvider(options: KomojuProviderOptions): PaymentProvider {
  const { secretKey } = options;
  const baseUrl = options.apiBaseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const fetchImpl = options.fetchImpl ?? fetch;
  const authorization = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;

  // Remote text (error messages) is echoed into our errors; make sure the key never is.
  function fail(message: string, status: number | null, code: string | null, retryable: boolean): ProviderError {
    const safe = secretKey ? message.split(secretKey).join('[REDACTED]') : message;
    return new ProviderError(safe, status, code, retryable);
  }

  async function attempt(method: 'GET' | 'POST' | 'DELETE', path: string, post?: { key: string; body: string }): Promise<Outcome> {
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: 'application/json',
      'X-KOMOJU-API-VERSION': KOMOJU_API_VERSION,
    };
    if (post) {
      headers['Content-Type'] = 'application/json';
      headers['X-KOMOJU-IDEMPOTENCY'] = post.key;
    }
    try {
      const response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: post?.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { kind: 'response', status: response.status, text: await response.text() };
    } catch (error) {
      return isTimeout(error) ? { kind: 'failure', code: 'timeout', detail: `no answer within ${timeoutMs} ms` } : { kind: 'failure', code: 'network_error', detail: failureDetail(error) };
    }
  }

  function errorFor(label: string, outcome: Outcome, retryable: boolean): ProviderError {
    if (outcome.kind === 'failure') {
      return fail(`${label} failed: ${outcome.code} (${outcome.detail})`, null, outcome.code, retryable);
    }
    let body: z.infer<typeof errorBodySchema> | null = null;
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(outcome.text));
      if (parsed.success) body = parsed.data;
    } catch {
      // Not JSON (e.g. a proxy's HTML page): the status alone has to do.
    }
    const code = body?.error.code ?? null;
    const remote = body?.error.message?.slice(0, MAX_REMOTE_MESSAGE) ?? 'no error message';
    return fail(`${label} failed: HTTP ${outcome.status}${code ? ` ${code}` : ''}: ${remote}`, outcome.status, code, retryable);
  }

  // `emptyBody`: the endpoint answers 2xx with no JSON (refund_request), which is success too.
  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, post?: { key: string; body: string }, options: { emptyBody?: boolean } = {}): Promise<unknown> {
    const label = `KOMOJU ${method} ${path}`;
    let retries = 0;
    let conflictWaits = 0;
    for (;;) {
      const outcome = await attempt(method, path, post);
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        if (options.emptyBody && outcome.text.trim() === '') return null;
        try {
          return JSON.parse(outcome.text);
        } catch {
          throw fail(`${label} answered HTTP ${outcome.status} with invalid JSON`, outcome.status, 'invalid_response', false);
        }
      }
      const status = outcome.kind === 'response' ? outcome.status : null;
      // Repeated: outcomes that say nothing about the request itself (network, timeout, 5xx; for
      // GETs also 429). A POST is safe to repeat because the idempotency key travels with it.
      const transient = status === null || status >= 500 || (method === 'GET' && status === 429);
      const conflict = method === 'POST' && status === 409 && retries + conflictWaits > 0;
      if (transient && retries < MAX_RETRIES) {
        await sleep(retryDelayMs * 2 ** retries);
        retries += 1;
        continue;
      }
      if (conflict && conflictWaits < MAX_CONFLICT_WAITS) {
        conflictWaits += 1;
        await sleep(retryDelayMs * 2 ** conflictWaits);
        continue;
      }
      throw errorFor(label, outcome, transient || conflict);
    }
  }

  function parse<T extends z.ZodType>(schema: T, json: unknown, label: string): z.output<T> {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw fail(`${label} answered with an unexpected shape: ${describeIssues(parsed.error)}`, null, 'invalid_response', false);
    }
    return parsed.data;
  }

  function toSessionSnapshot(json: unknown, label: string): SessionSnapshot {
    const session = parse(sessionSchema, json, label);
    return {
      id: session.id,
      sessionUrl: session.session_url,
      status: session.status,
      expired: session.expired ?? false,
      payment: session.payment ? toPaymentSnapshot(session.payment, session.id) : null,
      metadata: session.metadata,
      ...(session.customer_id ? { customerId: session.customer_id } : {}),
    };
  }

  /** Every record of a KOMOJU list endpoint, page by page until `last_page`. */
  async function listAll(path: string, query: Record<string, string>): Promise<unknown[]> {
    const records: unknown[] = [];
    for (let page = 1; page <= MAX_LIST_PAGES; page += 1) {
      const search = new URLSearchParams({ ...query, per_page: String(LIST_PAGE_SIZE), page: String(page) });
      const list = parse(listPageSchema, await call('GET', `${path}?${search.toString()}`), `KOMOJU GET ${path}`);
      records.push(...list.data);
      if (list.data.length === 0 || (list.last_page ?? page) <= page) return records;
    }
    throw fail(`KOMOJU GET ${path} listed more than ${MAX_LIST_PAGES} pages`, null, 'invalid_response', false);
  }

  async function readPayment(id: string): Promise<PaymentSnapshot> {
    const path = `/api/v1/payments/${encodeURIComponent(id)}`;
    return toPaymentSnapshot(parse(paymentSchema, await call('GET', path), `KOMOJU GET ${path}`), null);
  }

  return {
    name: 'komoju',
    testMode: isTestSecretKey(secretKey),

    async createSession(input: CreateSessionInput): Promise<SessionSnapshot> {
      checkIdempotencyKey(input.idempotencyKey);
      // The short order number the buyer reads out; older callers fall back to the checkout id.
      const externalOrderNum = input.orderNumber ?? input.metadata.checkoutId;
      // Undefined fields are dropped by JSON.stringify.
      const body = JSON.stringify({
        // Said explicitly: a one-off payment, or `customer` (save a card for a subscription).
        mode: input.mode ?? 'payment',
        amount: input.amount,
        currency: input.currency,
        default_locale: input.locale,
        return_url: input.returnUrl,
        line_items: [
          {
            description: input.lineItem.description,
            amount: input.lineItem.amount,
            quantity: input.lineItem.quantity,
            image: input.lineItem.imageUrl,
          },
        ],
        metadata: input.metadata,
        email: input.email,
        payment_types: input.paymentTypes,
        expires_in_seconds: input.expiresInSeconds,
        // Customer mode makes no payment, so it documents no payment_data.
        payment_data: externalOrderNum === undefined || input.mode === 'customer' ? undefined : { external_order_num: externalOrderNum },
      });
      const path = '/api/v1/sessions';
      const json = await call('POST', path, { key: input.idempotencyKey, body });
      return toSessionSnapshot(json, `KOMOJU POST ${path}`);
    },

    async getSession(id: string): Promise<SessionSnapshot> {
      const path = `/api/v1/sessions/${encodeURIComponent(id)}`;
      return toSessionSnapshot(await call('GET', path), `KOMOJU GET ${path}`);
    },

    getPayment: readPayment,

    async refundPayment(id: string, input: RefundInput): Promise<PaymentSnapshot> {
      checkIdempotencyKey(input.idempotencyKey);
      const path = `/api/v1/payments/${encodeURIComponent(id)}/refund`;
      const body = JSON.stringify({ amount: input.amount, description: input.description });
      const json = await call('POST', path, { key: input.idempotencyKey, body });
      return toPaymentSnapshot(parse(paymentSchema, json, `KOMOJU POST ${path}`), null);
    },

    async cancelPayment(id: string, input: { idempotencyKey: string }): Promise<PaymentSnapshot> {
      checkIdempotencyKey(input.idempotencyKey);
      const path = `/api/v1/payments/${encodeURIComponent(id)}/cancel`;
      const json = await call('POST', path, { key: input.idempotencyKey, body: '{}' });
      return toPaymentSnapshot(parse(paymentSchema, json, `KOMOJU POST ${path}`), null);
    },

    async requestRefund(id: string, input: RefundRequestInput): Promise<void> {
      checkIdempotencyKey(input.idempotencyKey);
      const path = `/api/v1/payments/${encodeURIComponent(id)}/refund_request`;
      const body = JSON.stringify({
        amount: input.amount,
        customer_name: input.customerName,
        bank_name: input.bankName,
        branch_number: input.branchNumber,
        account_type: input.accountType,
        // Text, so an account number starting with 0 keeps it: KOMOJU's RefundRequest model has it
        // as a string ("7-digit account number"); its create model says integer, which would
        // turn 0123456 into a different 6-digit account.
        account_number: input.accountNumber,
        include_payment_method_fee: input.includePaymentMethodFee,
      });
      await call('POST', path, { key: input.idempotencyKey, body }, { emptyBody: true });
    },

    async createSubscription(input: CreateSubscriptionInput): Promise<SubscriptionSnapshot> {
      checkIdempotencyKey(input.idempotencyKey);
      const path = '/api/v1/subscriptions';
      const body = JSON.stringify({
        customer: input.customerId,
        amount: input.amount,
        currency: input.currency,
        period: input.period,
        metadata: input.metadata,
      });
      const json = await call('POST', path, { key: input.idempotencyKey, body });
      return parseSubscriptionAnswer(json, `KOMOJU POST ${path}`);
    },

    async getSubscription(id: string): Promise<SubscriptionSnapshot> {
      const path = `/api/v1/subscriptions/${encodeURIComponent(id)}`;
      return parseSubscriptionAnswer(await call('GET', path), `KOMOJU GET ${path}`);
    },

    async findSubscriptions(customerId: string, since: Date): Promise<SubscriptionSnapshot[]> {
      const found: SubscriptionSnapshot[] = [];
      for (const raw of await listAll('/api/v1/subscriptions', { start_time: since.toISOString() })) {
        const snapshot = parseKomojuSubscription(raw);
        if (snapshot.customerId === customerId) found.push(await parseSubscriptionAnswer(raw, 'KOMOJU GET /api/v1/subscriptions'));
      }
      return found;
    },

    async listPayments(range: { since: Date; until: Date }): Promise<PaymentSnapshot[]> {
      const rows = await listAll('/api/v1/payments', { start_time: range.since.toISOString(), end_time: range.until.toISOString() });
      return rows.map((raw) => toPaymentSnapshot(parse(paymentSchema, raw, 'KOMOJU GET /api/v1/payments'), null));
    },

    async listPaymentMethods(): Promise<OfferedPaymentMethod[]> {
      const path = '/api/v1/payment_methods';
      const methods = parse(paymentMethodsSchema, await call('GET', path), `KOMOJU GET ${path}`);
      // One entry per type and currency: a method that takes JPY and USD is listed twice.
      const byType = new Map<string, OfferedPaymentMethod>();
      for (const method of methods) {
        if (!byType.has(method.type_slug)) {
          byType.set(method.type_slug, {
            type: method.type_slug,
            names: { en: method.name_en ?? method.type_slug, ja: method.name_ja ?? method.name_en ?? method.type_slug, ko: method.name_ko ?? method.name_en ?? method.type_slug },
          });
        }
      }
      return [...byType.values()];
    },

    // KOMOJU's idempotency header is for POSTs; deleting twice stops the same subscription.
    async cancelSubscription(id: string): Promise<SubscriptionSnapshot> {
      const path = `/api/v1/subscriptions/${encodeURIComponent(id)}`;
      return parseSubscriptionAnswer(await call('DELETE', path), `KOMOJU DELETE ${path}`);
    },
  };

  // The subscription lists its payments by id: each one not given inline is read by id. One that
  // KOMOJU no longer knows (404) is left out; any other failure fails the read (a retry redoes it).
  async function parseSubscriptionAnswer(json: unknown, label: string): Promise<SubscriptionSnapshot> {
    let snapshot: SubscriptionSnapshot;
    try {
      snapshot = parseKomojuSubscription(json);
    } catch (error) {
      throw fail(`${label} answered with an unexpected shape: ${error instanceof Error ? error.message : 'invalid'}`, null, 'invalid_response', false);
    }
    const known = new Map(snapshot.payments.map((payment) => [payment.id, payment]));
    const payments: PaymentSnapshot[] = [];
    for (const id of snapshot.paymentIds) {
      const inline = known.get(id);
      if (inline) {
        payments.push(inline);
        continue;
      }
      try {
        payments.push(await readPayment(id));
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) continue;
        throw error;
      }
    }
    return { ...snapshot, payments };
  }
}
