// The KOMOJU client's customer-mode sessions and Subscriptions calls, against the fake speaking
// KOMOJU's documented format: the bodies and headers sent, the answers read, the errors mapped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKomojuProvider, parseKomojuSubscription } from '../../../../src/payments/komoju/komoju-client.js';
import { parseKomojuEvent } from '../../../../src/payments/komoju/komoju-webhook.js';
import { ProviderError } from '../../../../src/payments/provider.js';
import { startFakeKomoju, type FakeKomoju } from '../../../support/fake-komoju.js';

const SECRET = 'sk_test_subs_client_0123456789';

let fake: FakeKomoju;

beforeEach(async () => {
  fake = await startFakeKomoju({ secretKey: SECRET });
});

afterEach(async () => {
  await fake.close();
});

const provider = () => createKomojuProvider({ secretKey: SECRET, apiBaseUrl: fake.url, retryDelayMs: 5 });

async function savedCustomer(): Promise<string> {
  const session = await provider().createSession({
    amount: 1000,
    currency: 'JPY',
    locale: 'en',
    returnUrl: 'https://app.example/l/abc/return',
    lineItem: { description: 'Coffee club', amount: 1000, quantity: 1 },
    metadata: { checkoutId: 'chk_s', linkId: 'lnk_s' },
    paymentTypes: ['credit_card'],
    mode: 'customer',
    idempotencyKey: 'chk_s',
  });
  expect(session.customerId).toMatch(/^[a-z0-9]{25}$/);
  fake.saveCard(session.id);
  expect(await provider().getSession(session.id)).toMatchObject({ status: 'completed', payment: null, customerId: session.customerId });
  return session.customerId ?? '';
}

describe('KOMOJU customer mode and subscriptions', () => {
  it('opens a customer-mode session (card only, no payment data) whose customer is known from the start', async () => {
    await savedCustomer();
    const create = fake.requests.find((request) => request.method === 'POST' && request.path === '/api/v1/sessions');
    expect(create?.body).toMatchObject({ mode: 'customer', amount: 1000, currency: 'JPY', payment_types: ['credit_card'] });
    expect(create?.body).not.toHaveProperty('payment_data');
  });

  it('creates a subscription with customer, amount, currency, period and metadata, once per idempotency key', async () => {
    const customerId = await savedCustomer();
    const input = { customerId, amount: 1000, currency: 'JPY', period: 'monthly' as const, metadata: { checkoutId: 'chk_s' }, idempotencyKey: 'subscription-chk_s' };
    const created = await provider().createSubscription(input);
    expect(created).toMatchObject({ status: 'active', amount: 1000, currency: 'JPY', period: 'monthly', customerId, metadata: { checkoutId: 'chk_s' } });
    expect(created.payments).toHaveLength(1);
    expect(created.payments[0]).toMatchObject({ status: 'captured', amount: 1000, customerId, sessionId: null });
    expect(await provider().createSubscription(input)).toMatchObject({ id: created.id });
    const posts = fake.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/subscriptions');
    expect(posts.map((request) => request.headers['x-komoju-idempotency'])).toEqual(['subscription-chk_s', 'subscription-chk_s']);
    expect(posts[0]?.body).toEqual({ customer: customerId, amount: 1000, currency: 'JPY', period: 'monthly', metadata: { checkoutId: 'chk_s' } });
    expect(fake.subscriptions()).toHaveLength(1);
  });

  it('reads renewals, and cancels with DELETE', async () => {
    const customerId = await savedCustomer();
    const created = await provider().createSubscription({ customerId, amount: 500, currency: 'JPY', period: 'weekly', metadata: {}, idempotencyKey: 'k1' });
    fake.renew(created.id, 'captured');
    fake.renew(created.id, 'failed');
    const read = await provider().getSubscription(created.id);
    expect(read.payments.map((payment) => payment.status)).toEqual(['captured', 'captured', 'failed']);
    const cancelled = await provider().cancelSubscription(created.id);
    expect(cancelled.status).toBe('cancelled');
    expect(fake.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });

  it('maps KOMOJU refusing an unsaved customer to a ProviderError', async () => {
    const error = await provider()
      .createSubscription({ customerId: 'nosuchcustomer0000000000a', amount: 500, currency: 'JPY', period: 'yearly', metadata: {}, idempotencyKey: 'k2' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_parameter', retryable: false });
  });

  it('reads subscription events whose data is the subscription, or a payment naming it', async () => {
    const customerId = await savedCustomer();
    const created = await provider().createSubscription({ customerId, amount: 800, currency: 'JPY', period: 'monthly', metadata: {}, idempotencyKey: 'k3' });
    const event = parseKomojuEvent(fake.subscriptionEvent('subscription.captured', created.id));
    expect(event).toMatchObject({ type: 'subscription.captured', subscriptionId: created.id, payment: null });
    // KOMOJU lists the payments by id; the webhook's subscription names them, the API read reads them.
    expect(event.subscription?.paymentIds).toEqual(fake.subscription(created.id).payments);
    const named = parseKomojuEvent({ id: 'evt_x', type: 'subscription.failed', resource: 'event', data: { id: 'pay_1', resource: 'payment', subscription: { id: created.id } }, created_at: null });
    expect(named).toMatchObject({ subscriptionId: created.id });
    expect(() => parseKomojuSubscription({ id: 's', status: 'active', amount: 1, currency: 'JPY', period: 'daily' })).toThrow(ProviderError);
  });
});
