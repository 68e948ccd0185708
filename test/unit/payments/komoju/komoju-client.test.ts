import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTestSecretKey } from '../../../../src/merchants/komoju-keys.js';
import { createKomojuProvider, KOMOJU_API_VERSION } from '../../../../src/payments/komoju/komoju-client.js';
import type { KomojuProviderOptions } from '../../../../src/payments/komoju/komoju-client.js';
import { ProviderError } from '../../../../src/payments/provider.js';
import type { CreateSessionInput } from '../../../../src/payments/provider.js';
import { startFakeKomoju } from '../../../support/fake-komoju.js';
import type { FakeKomoju } from '../../../support/fake-komoju.js';

const SECRET = 'sk_test_4f9a1c0e7b2d5f8a3c6e9b1d';

let fake: FakeKomoju;

beforeEach(async () => {
  fake = await startFakeKomoju({ secretKey: SECRET });
});

afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<KomojuProviderOptions> = {}) {
  return createKomojuProvider({ secretKey: SECRET, apiBaseUrl: fake.url, retryDelayMs: 5, ...overrides });
}

function sessionInput(overrides: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return {
    amount: 1500,
    currency: 'JPY',
    locale: 'ja',
    returnUrl: 'https://app.example/l/abc/return',
    lineItem: { description: 'Tシャツ', amount: 1500, quantity: 1, imageUrl: 'https://app.example/media/1' },
    metadata: { checkoutId: 'chk_1', linkId: 'lnk_1' },
    orderNumber: 'K7QM4XP2',
    idempotencyKey: 'checkout-chk_1',
    expiresInSeconds: 1800,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

function apiRequests(method: string, pathPrefix: string) {
  return fake.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
}

describe('request format', () => {
  it('sends Basic auth, the API version, the idempotency key and KOMOJU field names on create', async () => {
    await provider().createSession(sessionInput());

    const [request] = apiRequests('POST', '/api/v1/sessions');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`);
    expect(request?.headers['x-komoju-api-version']).toBe(KOMOJU_API_VERSION);
    expect(request?.headers['x-komoju-idempotency']).toBe('checkout-chk_1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      mode: 'payment',
      amount: 1500,
      currency: 'JPY',
      default_locale: 'ja',
      return_url: 'https://app.example/l/abc/return',
      line_items: [{ description: 'Tシャツ', amount: 1500, quantity: 1, image: 'https://app.example/media/1' }],
      metadata: { checkoutId: 'chk_1', linkId: 'lnk_1' },
      expires_in_seconds: 1800,
      // The short order number the buyer sees, so KOMOJU's dashboard and our page agree.
      payment_data: { external_order_num: 'K7QM4XP2' },
    });
  });

  it('omits optional fields that were not given', async () => {
    await provider().createSession(
      sessionInput({
        lineItem: { description: 'x', amount: 1500, quantity: 1 },
        metadata: { linkId: 'lnk_1' },
        orderNumber: undefined,
        expiresInSeconds: undefined,
      }),
    );
    const body = apiRequests('POST', '/api/v1/sessions')[0]?.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('expires_in_seconds');
    expect(body).not.toHaveProperty('payment_data');
    expect(body.line_items).toEqual([{ description: 'x', amount: 1500, quantity: 1 }]);
  });

  it('sends auth and version but no idempotency key on GETs, and tolerates a trailing slash in the base URL', async () => {
    const created = await provider().createSession(sessionInput());
    await provider({ apiBaseUrl: `${fake.url}/` }).getSession(created.id);

    const [request] = apiRequests('GET', '/api/v1/sessions/');
    expect(request?.path).toBe(`/api/v1/sessions/${created.id}`);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`);
    expect(request?.headers['x-komoju-api-version']).toBe(KOMOJU_API_VERSION);
    expect(request?.headers['x-komoju-idempotency']).toBeUndefined();
  });

  it('derives name and test mode from the key', () => {
    expect(provider()).toMatchObject({ name: 'komoju', testMode: true });
    expect(provider({ secretKey: 'sk_live_abc' }).testMode).toBe(false);
  });

  it('tells test secret keys from live ones', () => {
    expect(isTestSecretKey('sk_test_abc')).toBe(true);
    expect(isTestSecretKey('sk_live_abc')).toBe(false);
    expect(isTestSecretKey('pk_test_abc')).toBe(false);
  });

  it('rejects an idempotency key KOMOJU would not accept without calling it', async () => {
    const error = await rejection(provider().createSession(sessionInput({ idempotencyKey: 'x'.repeat(101) })));
    expect(error.code).toBe('invalid_idempotency_key');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('mapping', () => {
  it('maps a freshly created session', async () => {
    const session = await provider().createSession(sessionInput());
    expect(session).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{25}$/),
      sessionUrl: `${fake.url}/sessions/${session.id}/pay`,
      status: 'pending',
      expired: false,
      payment: null,
      metadata: { checkoutId: 'chk_1', linkId: 'lnk_1' },
    });
  });

  it('maps a completed session with its captured payment', async () => {
    const komoju = provider();
    const created = await komoju.createSession(sessionInput());
    const paid = fake.completeSession(created.id, 'captured');

    const session = await komoju.getSession(created.id);
    expect(session.status).toBe('completed');
    expect(session.payment).toEqual({
      id: paid.id,
      status: 'captured',
      amount: 1500,
      currency: 'JPY',
      tax: 0,
      paymentMethodFee: 0,
      total: 1500,
      amountRefunded: 0,
      refunds: [],
      paymentMethod: 'credit_card',
      paymentDeadline: null,
      buyerEmail: null,
      sessionId: created.id,
      metadata: { checkoutId: 'chk_1', linkId: 'lnk_1' },
      capturedAt: new Date(paid.captured_at ?? ''),
    });
  });

  it('reports an expired session', async () => {
    const komoju = provider();
    const created = await komoju.createSession(sessionInput());
    fake.expireSession(created.id);
    expect(await komoju.getSession(created.id)).toMatchObject({ status: 'pending', expired: true, payment: null });
  });

  it('maps authorized → captured', async () => {
    const komoju = provider();
    const created = await komoju.createSession(sessionInput());
    const payment = fake.completeSession(created.id, 'authorized');
    expect(await komoju.getPayment(payment.id)).toMatchObject({ status: 'authorized', capturedAt: null });

    fake.capture(payment.id);
    const captured = await komoju.getPayment(payment.id);
    expect(captured.status).toBe('captured');
    expect(captured.capturedAt).toBeInstanceOf(Date);
  });

  it('maps partial refunds, chargebacks and full refunds', async () => {
    const komoju = provider();
    const created = await komoju.createSession(sessionInput());
    const payment = fake.completeSession(created.id, 'captured');

    fake.refund(payment.id, 500);
    const partial = await komoju.getPayment(payment.id);
    expect(partial).toMatchObject({ status: 'captured', amount: 1500, amountRefunded: 500 });
    expect(partial.refunds).toEqual([{ id: expect.any(String), amount: 500, chargeback: false }]);

    fake.refund(payment.id, 1000, { chargeback: true });
    const full = await komoju.getPayment(payment.id);
    expect(full).toMatchObject({ status: 'refunded', amountRefunded: 1500, sessionId: created.id });
    expect(full.refunds.map((r) => [r.amount, r.chargeback])).toEqual([
      [500, false],
      [1000, true],
    ]);
  });

  it('tolerates missing optional fields and unknown ones', async () => {
    fake.failNext(1, 200, {
      id: 'pay_minimal',
      status: 'pending',
      amount: 1000,
      currency: 'USD',
      something_new: { nested: true },
    });
    expect(await provider().getPayment('pay_minimal')).toEqual({
      id: 'pay_minimal',
      status: 'pending',
      amount: 1000,
      currency: 'USD',
      tax: 0,
      paymentMethodFee: 0,
      total: 1000,
      amountRefunded: 0,
      refunds: [],
      paymentMethod: null,
      paymentDeadline: null,
      buyerEmail: null,
      sessionId: null,
      metadata: {},
      capturedAt: null,
    });
  });

  it('derives the refunded total from the refunds when amount_refunded is absent', async () => {
    fake.failNext(1, 200, {
      id: 'pay_old',
      status: 'captured',
      amount: 1000,
      currency: 'JPY',
      session: null,
      metadata: null,
      refunds: [{ id: 'ref_1', amount: 300 }],
    });
    expect(await provider().getPayment('pay_old')).toMatchObject({
      amountRefunded: 300,
      refunds: [{ id: 'ref_1', amount: 300, chargeback: false }],
      sessionId: null,
      metadata: {},
    });
  });
});

describe('refunds and cancels', () => {
  async function paid(status: 'captured' | 'authorized', options: Parameters<FakeKomoju['completeSession']>[2] = {}) {
    const created = await provider().createSession(sessionInput({ idempotencyKey: `k-${Math.random()}` }));
    return fake.completeSession(created.id, status, options);
  }

  it('refunds part of a payment with its key and answers the payment after it', async () => {
    const payment = await paid('captured');
    const after = await provider().refundPayment(payment.id, { amount: 500, idempotencyKey: 'refund-a' });
    expect(after).toMatchObject({ status: 'captured', amountRefunded: 500, total: 1500 });
    const [request] = apiRequests('POST', `/api/v1/payments/${payment.id}/refund`);
    expect(request?.body).toEqual({ amount: 500 });
    expect(request?.headers['x-komoju-idempotency']).toBe('refund-a');
    // The same key again: KOMOJU answers the first refund, nothing more is refunded.
    expect(await provider().refundPayment(payment.id, { amount: 500, idempotencyKey: 'refund-a' })).toMatchObject({ amountRefunded: 500 });
    expect(fake.payment(payment.id).refunds).toHaveLength(1);
  });

  it('surfaces KOMOJU refusing a refund of more than is left', async () => {
    const payment = await paid('captured');
    const error = await rejection(provider().refundPayment(payment.id, { amount: 1501, idempotencyKey: 'refund-b' }));
    expect(error).toMatchObject({ status: 422, code: 'invalid_parameter', retryable: false });
  });

  it('maps tax, fee, total, method and deadline', async () => {
    const payment = await paid('authorized', { tax: 150, paymentMethodFee: 190 });
    expect(await provider().getPayment(payment.id)).toMatchObject({
      amount: 1500,
      tax: 150,
      paymentMethodFee: 190,
      total: 1840,
      paymentMethod: 'konbini',
      paymentDeadline: new Date(payment.payment_deadline ?? ''),
    });
  });

  it('cancels an authorized payment', async () => {
    const payment = await paid('authorized');
    expect(await provider().cancelPayment(payment.id, { idempotencyKey: 'cancel-1' })).toMatchObject({ status: 'cancelled' });
    const error = await rejection(provider().cancelPayment(payment.id, { idempotencyKey: 'cancel-2' }));
    expect(error).toMatchObject({ status: 422, code: 'invalid_payment_status' });
  });

  it('files a refund request with KOMOJU field names, the account number as text, and accepts its empty answer', async () => {
    const payment = await paid('authorized', { paymentMethodFee: 190 });
    fake.capture(payment.id);
    await provider().requestRefund(payment.id, {
      amount: 1500,
      customerName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      bankName: 'みずほ銀行',
      branchNumber: '012',
      accountType: 'normal',
      accountNumber: '0123456',
      includePaymentMethodFee: true,
      idempotencyKey: 'rr-1',
    });
    const [request] = apiRequests('POST', `/api/v1/payments/${payment.id}/refund_request`);
    expect(request?.body).toEqual({
      amount: 1500,
      customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      bank_name: 'みずほ銀行',
      branch_number: '012',
      account_type: 'normal',
      // A leading zero is a digit of the account: 0123456 is not account 123456.
      account_number: '0123456',
      include_payment_method_fee: true,
    });
    expect(fake.payment(payment.id).refund_requests).toHaveLength(1);
    expect((await provider().getPayment(payment.id)).refundRequests).toEqual([{ id: expect.any(String), status: 'pending' }]);
  });
});

describe('retries', () => {
  it('retries a GET after a 503 and succeeds', async () => {
    const komoju = provider();
    const created = await komoju.createSession(sessionInput());
    fake.failNext(1, 503);

    expect((await komoju.getSession(created.id)).id).toBe(created.id);
    expect(apiRequests('GET', '/api/v1/sessions/')).toHaveLength(2);
  });

  it('retries a GET after a 429', async () => {
    const komoju = provider();
    const created = await komoju.createSession(sessionInput());
    fake.failNext(1, 429);
    expect((await komoju.getSession(created.id)).id).toBe(created.id);
  });

  it('gives up on a GET after two retries', async () => {
    fake.failNext(3, 503);
    const error = await rejection(provider().getPayment('pay_x'));
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable', retryable: true });
    expect(apiRequests('GET', '/api/v1/payments/')).toHaveLength(3);
  });

  it('retries a POST after a 503 with the same idempotency key, creating one session', async () => {
    fake.failNext(1, 503);
    const session = await provider().createSession(sessionInput());

    const posts = apiRequests('POST', '/api/v1/sessions');
    expect(posts).toHaveLength(2);
    expect(posts.map((r) => r.headers['x-komoju-idempotency'])).toEqual(['checkout-chk_1', 'checkout-chk_1']);
    expect(posts[1]?.body).toEqual(posts[0]?.body);
    expect(fake.sessions().map((s) => s.id)).toEqual([session.id]);
  });

  it('after a timed-out POST, waits out the 409 of the still-running original and gets its session', async () => {
    fake.delayNext(1, 200);
    const session = await provider({ timeoutMs: 50, retryDelayMs: 40 }).createSession(sessionInput());

    const posts = apiRequests('POST', '/api/v1/sessions');
    // 1: timed out, 2…: 409 while the first still runs, last: replay of the first.
    expect(posts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(posts.map((r) => r.headers['x-komoju-idempotency']))).toEqual(new Set(['checkout-chk_1']));
    expect(fake.sessions().map((s) => s.id)).toEqual([session.id]);
  });

  it('does not retry a 409 on the first attempt', async () => {
    fake.failNext(1, 409);
    const error = await rejection(provider().createSession(sessionInput()));
    expect(error).toMatchObject({ status: 409, code: 'conflict', retryable: false });
    expect(apiRequests('POST', '/api/v1/sessions')).toHaveLength(1);
  });

  it('does not retry a POST on 429', async () => {
    fake.failNext(1, 429);
    const error = await rejection(provider().createSession(sessionInput()));
    expect(error.status).toBe(429);
    expect(apiRequests('POST', '/api/v1/sessions')).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    fake.failNext(1, 400);
    const error = await rejection(provider().createSession(sessionInput()));
    expect(error).toMatchObject({ status: 400, code: 'bad_request', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it("surfaces KOMOJU's validation error code", async () => {
    const error = await rejection(provider().createSession(sessionInput({ amount: 0 })));
    expect(error).toMatchObject({ status: 422, code: 'invalid_parameter', retryable: false });
    expect(error.message).toContain('amount');
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 401', async () => {
    const error = await rejection(provider({ secretKey: 'sk_test_wrong' }).getPayment('pay_x'));
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns a timeout into a retryable ProviderError after the retries', async () => {
    // Long enough for each attempt to reach the fake on a loaded machine before it gives up
    // (with 30 ms, the third attempt was sometimes abandoned before the fake had read it).
    fake.delayNext(10, 1_000);
    const error = await rejection(provider({ timeoutMs: 250 }).getPayment('pay_x'));
    expect(error).toMatchObject({ status: null, code: 'timeout', retryable: true });
    expect(apiRequests('GET', '/api/v1/payments/')).toHaveLength(3);
  });

  it('turns a refused connection into a network_error', async () => {
    const gone = await startFakeKomoju({ secretKey: SECRET });
    await gone.close();
    const error = await rejection(provider({ apiBaseUrl: gone.url }).getPayment('pay_x'));
    expect(error).toMatchObject({ status: null, code: 'network_error', retryable: true });
  });
});

describe('response validation', () => {
  it('rejects a payment with a fractional amount', async () => {
    fake.failNext(1, 200, { id: 'pay_x', status: 'captured', amount: 12.5, currency: 'USD' });
    const error = await rejection(provider().getPayment('pay_x'));
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(error.message).toContain('amount');
  });

  it('rejects an unknown payment status and a session without a URL', async () => {
    fake.failNext(1, 200, { id: 'pay_x', status: 'teleported', amount: 1, currency: 'JPY' });
    expect((await rejection(provider().getPayment('pay_x'))).code).toBe('invalid_response');

    fake.failNext(1, 200, { id: 'ses_x', status: 'pending', metadata: {} });
    expect((await rejection(provider().getSession('ses_x'))).code).toBe('invalid_response');
  });

  it('rejects a 200 that is not JSON', async () => {
    fake.failNext(1, 200, '<html>maintenance</html>');
    const error = await rejection(provider().getPayment('pay_x'));
    expect(error).toMatchObject({ status: 200, code: 'invalid_response' });
  });

  it('accepts a session whose payment is null', async () => {
    fake.failNext(1, 200, {
      id: 'ses_x',
      session_url: 'https://komoju.com/sessions/ses_x',
      status: 'cancelled',
      payment: null,
    });
    expect(await provider().getSession('ses_x')).toEqual({
      id: 'ses_x',
      sessionUrl: 'https://komoju.com/sessions/ses_x',
      status: 'cancelled',
      expired: false,
      payment: null,
      metadata: {},
    });
  });
});

describe('secret key hygiene', () => {
  it('never puts the secret key in a ProviderError', async () => {
    const echoKey: typeof fetch = async () =>
      new Response(JSON.stringify({ error: { code: 'unauthorized', message: `Invalid key ${SECRET}` } }), {
        status: 401,
      });
    const gone = await startFakeKomoju({ secretKey: SECRET });
    await gone.close();

    const errors: ProviderError[] = [];
    errors.push(await rejection(provider({ fetchImpl: echoKey }).getPayment('pay_x')));
    errors.push(await rejection(provider({ apiBaseUrl: gone.url }).getPayment('pay_x')));
    fake.failNext(1, 200, { nonsense: SECRET });
    errors.push(await rejection(provider().getPayment('pay_x')));
    fake.failNext(3, 500, { error: { code: 'internal_server_error', message: SECRET } });
    errors.push(await rejection(provider().createSession(sessionInput())));
    fake.delayNext(3, 200);
    errors.push(await rejection(provider({ timeoutMs: 20 }).getPayment('pay_x')));

    expect(errors[0]?.message).toContain('[REDACTED]');
    for (const error of errors) {
      expect(error.message).not.toContain(SECRET);
      expect(JSON.stringify(Object.assign({}, error, { message: error.message, stack: error.stack }))).not.toContain(SECRET);
    }
  });
});
