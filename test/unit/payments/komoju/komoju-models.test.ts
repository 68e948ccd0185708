// KOMOJU's documented models (test/support/komoju-models/, traced to komoju-node-sdk docs/Models)
// against our side: every documented shape is accepted by our parsers (komoju-client.ts,
// komoju-webhook.ts), and the fake KOMOJU serves exactly those fields with those types.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKomojuProvider, parseKomojuPayment, parseKomojuSubscription } from '../../../../src/payments/komoju/komoju-client.js';
import { parseKomojuEvent } from '../../../../src/payments/komoju/komoju-webhook.js';
import { ProviderError } from '../../../../src/payments/provider.js';
import { startFakeKomoju, type FakeKomoju } from '../../../support/fake-komoju.js';
import { customerModel } from '../../../support/komoju-models/customer.js';
import { errorModel } from '../../../support/komoju-models/error.js';
import { eventModel } from '../../../support/komoju-models/event.js';
import { paymentListModel } from '../../../support/komoju-models/payment-list.js';
import { paymentModel, paymentNullable } from '../../../support/komoju-models/payment.js';
import { refundRequestModel } from '../../../support/komoju-models/refund-request.js';
import { refundModel } from '../../../support/komoju-models/refund.js';
import { customerSessionModel, paymentSessionModel, sessionNullable, sessionOptional } from '../../../support/komoju-models/session.js';
import { subscriptionCustomerModel, subscriptionCustomerNullable } from '../../../support/komoju-models/subscription-customer.js';
import { subscriptionModel, subscriptionNullable } from '../../../support/komoju-models/subscription.js';

const SECRET = 'sk_test_models_0123456789abcdef';
const AUTH = `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`;

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Differences between a served object and the documented model: missing, extra, wrong type. */
function shapeDifferences(served: unknown, model: Record<string, unknown>, options: { nullable?: string[]; optional?: string[] } = {}): string[] {
  if (kind(served) !== 'object') return [`not an object: ${kind(served)}`];
  const record = served as Record<string, unknown>;
  const differences: string[] = [];
  for (const [key, documented] of Object.entries(model)) {
    if (!(key in record)) {
      if (!options.optional?.includes(key)) differences.push(`missing ${key}`);
      continue;
    }
    const actual = kind(record[key]);
    const expected = kind(documented);
    const nullOk = actual === 'null' && (options.nullable?.includes(key) || expected === 'null');
    // `unknown`-typed documented objects (per-method details) are null in the model.
    const anyOk = expected === 'null' && actual !== 'undefined';
    if (actual !== expected && !nullOk && !anyOk) differences.push(`${key}: ${actual}, documented ${expected}`);
  }
  for (const key of Object.keys(record)) {
    if (!(key in model) && !options.optional?.includes(key)) differences.push(`undocumented ${key}`);
  }
  return differences;
}

describe('our parsers accept every documented KOMOJU shape', () => {
  it('Payment (customer as a uuid string, refunds, refund_requests, payment_deadline)', () => {
    const payment = parseKomojuPayment(paymentModel);
    expect(payment).toMatchObject({
      id: paymentModel.id,
      status: 'captured',
      total: 1190,
      amountRefunded: 300,
      customerId: paymentModel.customer,
      paymentDeadline: new Date(paymentModel.payment_deadline ?? ''),
      refunds: [{ id: refundModel.id, amount: 300, chargeback: false }],
      sessionId: paymentModel.session,
    });
    const nulls = Object.fromEntries(paymentNullable.map((key) => [key, null]));
    const bare = parseKomojuPayment({ ...paymentModel, ...nulls, refunds: [], refund_requests: [] });
    expect(bare).toMatchObject({ paymentDeadline: null, sessionId: null, capturedAt: null });
    expect(bare).not.toHaveProperty('customerId');
  });

  it('Subscription (customer an object with a numeric id and the uuid; payments a list of ids)', () => {
    const subscription = parseKomojuSubscription(subscriptionModel);
    expect(subscription).toMatchObject({
      id: subscriptionModel.id,
      status: 'active',
      customerId: subscriptionCustomerModel.uuid,
      paymentIds: subscriptionModel.payments,
      payments: [],
    });
    const ended = parseKomojuSubscription({ ...subscriptionModel, status: 'cancelled', next_capture_at: null, ended_at: '2027-01-01T00:00:00Z', payments: [] });
    expect(ended).toMatchObject({ status: 'cancelled', nextCaptureAt: null, paymentIds: [] });
  });

  it('Event with a Payment as data, and with a Subscription or Customer as data (undocumented, accepted)', () => {
    expect(parseKomojuEvent(eventModel)).toMatchObject({ id: eventModel.id, type: 'payment.captured', payment: { id: paymentModel.id } });
    expect(parseKomojuEvent({ ...eventModel, type: 'subscription.captured', data: subscriptionModel })).toMatchObject({
      subscriptionId: subscriptionModel.id,
      subscription: { customerId: subscriptionCustomerModel.uuid, paymentIds: subscriptionModel.payments },
    });
    expect(parseKomojuEvent({ ...eventModel, type: 'customer.updated', data: customerModel })).toMatchObject({ customerId: customerModel.id });
  });

  it('Session in payment and customer mode, Subscription with its payments read by id, and the error body, through the client', async () => {
    const answers: Record<string, { status: number; body: unknown }> = {
      [`/api/v1/sessions/${paymentSessionModel.id}`]: { status: 200, body: paymentSessionModel },
      '/api/v1/sessions/customer': { status: 200, body: customerSessionModel },
      [`/api/v1/subscriptions/${subscriptionModel.id}`]: { status: 200, body: subscriptionModel },
      [`/api/v1/payments/${paymentModel.id}`]: { status: 200, body: paymentModel },
      '/api/v1/payments/refused': { status: 422, body: errorModel },
    };
    const asked: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      const path = new URL(input instanceof Request ? input.url : input).pathname;
      asked.push(path);
      const answer = answers[path] ?? { status: 404, body: errorModel };
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
    };
    const provider = createKomojuProvider({ secretKey: SECRET, apiBaseUrl: 'https://komoju.test', fetchImpl, retryDelayMs: 1 });
    expect(await provider.getSession(paymentSessionModel.id)).toMatchObject({ status: 'completed', payment: { id: paymentModel.id } });
    expect(await provider.getSession('customer')).toMatchObject({ status: 'completed', payment: null, customerId: customerSessionModel.customer_id });
    const subscription = await provider.getSubscription(subscriptionModel.id);
    expect(subscription.payments.map((payment) => payment.id)).toEqual(subscriptionModel.payments);
    expect(asked).toContain(`/api/v1/payments/${paymentModel.id}`);
    const error = await provider.getPayment('refused').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 422, code: errorModel.error.code });
  });
});

describe('the fake KOMOJU serves the documented shapes', () => {
  let fake: FakeKomoju;

  beforeEach(async () => {
    fake = await startFakeKomoju({ secretKey: SECRET });
  });

  afterEach(async () => {
    await fake.close();
  });

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : JSON.parse(text) };
  }

  async function session(body: Record<string, unknown>): Promise<string> {
    const created = await api('POST', '/api/v1/sessions', body);
    expect(created.status).toBe(200);
    return (created.json as { id: string }).id;
  }

  const SESSION = {
    amount: 1000,
    currency: 'JPY',
    return_url: 'https://shop.example/l/abc/return',
    email: 'buyer@example.com',
    line_items: [{ description: '商品', amount: 1000, quantity: 1 }],
    metadata: { checkoutId: 'chk_1' },
    payment_data: { external_order_num: 'chk_1' },
  };

  it('Session (payment mode), Payment with Refund and RefundRequest, PaymentList, Event', async () => {
    const card = await session(SESSION);
    const paid = fake.completeSession(card, 'captured', { tax: 100, paymentMethodFee: 0 });
    expect((await api('POST', `/api/v1/payments/${paid.id}/refund`, { amount: 300 })).status).toBe(200);
    const konbini = fake.completeSession(await session(SESSION), 'authorized', { paymentMethodFee: 190 });
    fake.capture(konbini.id);
    expect(
      (
        await api('POST', `/api/v1/payments/${konbini.id}/refund_request`, {
          amount: 500,
          customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ',
          bank_name: 'みずほ銀行',
          branch_number: '001',
          account_type: 'normal',
          account_number: 123456,
          include_payment_method_fee: false,
        })
      ).status,
    ).toBe(200);

    const read = await api('GET', `/api/v1/sessions/${card}`);
    expect(shapeDifferences(read.json, paymentSessionModel, { nullable: sessionNullable, optional: sessionOptional })).toEqual([]);
    const refunded = (await api('GET', `/api/v1/payments/${paid.id}`)).json as Record<string, unknown[]>;
    expect(shapeDifferences(refunded, paymentModel, { nullable: paymentNullable })).toEqual([]);
    expect(shapeDifferences(refunded.refunds?.[0], refundModel, { nullable: ['description'] })).toEqual([]);
    const requested = (await api('GET', `/api/v1/payments/${konbini.id}`)).json as Record<string, unknown[]>;
    expect(shapeDifferences(requested.refund_requests?.[0], refundRequestModel, { nullable: ['bank_code', 'branch_name', 'description'] })).toEqual([]);
    expect((requested.refund_requests?.[0] as { account_number: string }).account_number).toBe('0123456');
    expect(shapeDifferences(requested, paymentModel, { nullable: paymentNullable })).toEqual([]);

    const list = (await api('GET', `/api/v1/payments?start_time=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)).json as Record<string, unknown[]>;
    expect(shapeDifferences(list, paymentListModel, { nullable: ['start_time', 'end_time'] })).toEqual([]);
    expect(list.data).toHaveLength(2);
    expect(shapeDifferences(list.data?.[0], paymentModel, { nullable: paymentNullable })).toEqual([]);
    expect(shapeDifferences(fake.event('payment.captured', paid.id), eventModel)).toEqual([]);
  });

  it('Session (customer mode), Subscription with Subscription_customer and payment ids, Customer', async () => {
    const cardOnly = await session({
      mode: 'customer',
      currency: 'JPY',
      return_url: 'https://shop.example/l/abc/return',
      email: 'buyer@example.com',
      line_items: [{ description: '商品', amount: 980, quantity: 1 }],
    });
    fake.saveCard(cardOnly);
    const read = (await api('GET', `/api/v1/sessions/${cardOnly}`)).json as { customer_id: string };
    expect(shapeDifferences(read, customerSessionModel, { nullable: sessionNullable, optional: sessionOptional })).toEqual([]);

    const created = await api('POST', '/api/v1/subscriptions', { customer: read.customer_id, amount: 980, currency: 'JPY', period: 'monthly', metadata: { subscriptionId: 'sub_ours' } });
    expect(created.status).toBe(200);
    const subscription = created.json as { id: string; customer: unknown; payments: unknown[] };
    expect(shapeDifferences(subscription, subscriptionModel, { nullable: subscriptionNullable })).toEqual([]);
    expect(shapeDifferences(subscription.customer, subscriptionCustomerModel, { nullable: subscriptionCustomerNullable })).toEqual([]);
    expect(subscription.customer).toMatchObject({ id: expect.any(Number), uuid: read.customer_id });
    expect(subscription.payments).toEqual([expect.stringMatching(/^[a-z0-9]{25}$/)]);
    const customer = await api('GET', `/api/v1/customers/${read.customer_id}`);
    expect(shapeDifferences(customer.json, customerModel)).toEqual([]);
  });

  it('error bodies are APIError', async () => {
    const refused = await api('POST', '/api/v1/sessions', { currency: 'JPY' });
    expect(refused.status).toBe(422);
    expect(shapeDifferences((refused.json as { error: unknown }).error, errorModel.error, { nullable: ['param'] })).toEqual([]);
  });

  it('idempotency: the same key and body answer the first answer and act once; 409 while the first runs; another body is refused', async () => {
    const cardOnly = await session({ mode: 'customer', currency: 'JPY' });
    fake.saveCard(cardOnly);
    const customer = fake.session(cardOnly).customer_id;
    const post = (body: unknown) =>
      fetch(`${fake.url}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { Authorization: AUTH, 'Content-Type': 'application/json', 'X-KOMOJU-IDEMPOTENCY': 'sub-key' },
        body: JSON.stringify(body),
      });
    const body = { customer, amount: 500, currency: 'JPY', period: 'weekly' };
    fake.delayNext(1, 150);
    const [first, during] = await Promise.all([post(body), new Promise((resolve) => setTimeout(resolve, 50)).then(() => post(body))]);
    expect(first.status).toBe(200);
    expect(during.status).toBe(409);
    const again = await post(body);
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect((await post({ ...body, amount: 501 })).status).toBe(422);
    expect(fake.subscriptions()).toHaveLength(1);
  });
});
