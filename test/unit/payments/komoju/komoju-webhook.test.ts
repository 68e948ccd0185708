import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKomojuEvent, signKomojuBody, verifyKomojuSignature } from '../../../../src/payments/komoju/komoju-webhook.js';
import { ProviderError } from '../../../../src/payments/provider.js';
import { startFakeKomoju } from '../../../support/fake-komoju.js';
import type { FakeKomoju } from '../../../support/fake-komoju.js';

const WEBHOOK_SECRET = 'whsec_test_0123456789';

describe('signKomojuBody', () => {
  it('is lowercase hex HMAC-SHA256 (RFC-style known vector)', () => {
    expect(signKomojuBody('The quick brown fox jumps over the lazy dog', 'key')).toBe('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  });

  it('signs strings as UTF-8', () => {
    const text = '{"name":"日本語 🍣"}';
    expect(signKomojuBody(text, WEBHOOK_SECRET)).toBe(signKomojuBody(Buffer.from(text, 'utf8'), WEBHOOK_SECRET));
  });
});

describe('verifyKomojuSignature', () => {
  const raw = Buffer.from('{"id":"evt_1","type":"payment.captured","resource":"event"}');
  const good = signKomojuBody(raw, WEBHOOK_SECRET);

  it('accepts a valid signature', () => {
    expect(verifyKomojuSignature(raw, good, WEBHOOK_SECRET)).toBe(true);
  });

  it('rejects a body with one byte changed', () => {
    const tampered = Buffer.from(raw);
    tampered[tampered.length - 2] = 'X'.charCodeAt(0);
    expect(verifyKomojuSignature(tampered, good, WEBHOOK_SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyKomojuSignature(raw, signKomojuBody(raw, 'other'), WEBHOOK_SECRET)).toBe(false);
  });

  it.each([
    ['uppercase hex', good.toUpperCase()],
    ['garbage', 'not-a-signature'],
    ['empty', ''],
    ['truncated', good.slice(0, 62)],
    ['too long', `${good}00`],
    ['prefixed', `sha256=${good}`],
    ['padded', ` ${good}`],
    ['non-hex of the right length', 'z'.repeat(64)],
  ])('rejects %s', (_label, signature) => {
    expect(verifyKomojuSignature(raw, signature, WEBHOOK_SECRET)).toBe(false);
  });

  it('rejects a missing signature', () => {
    expect(verifyKomojuSignature(raw, undefined, WEBHOOK_SECRET)).toBe(false);
  });

  it('rejects everything when the secret is empty', () => {
    expect(verifyKomojuSignature(raw, signKomojuBody(raw, ''), '')).toBe(false);
  });

  it('verifies non-ASCII bodies on the raw bytes', () => {
    const body = Buffer.from('{"data":{"metadata":{"product":"日本語のTシャツ 👕🍣","note":"한국어"}}}', 'utf8');
    const signature = signKomojuBody(body, WEBHOOK_SECRET);
    expect(verifyKomojuSignature(body, signature, WEBHOOK_SECRET)).toBe(true);

    // The same JSON re-serialised (here with \u escapes) is different bytes: must not verify.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    expect(JSON.parse(reserialised.toString())).toEqual(JSON.parse(body.toString()));
    expect(verifyKomojuSignature(reserialised, signature, WEBHOOK_SECRET)).toBe(false);

    // Decoding as Latin-1 and re-encoding changes the bytes too.
    const mangled = Buffer.from(body.toString('latin1'), 'utf8');
    expect(verifyKomojuSignature(mangled, signature, WEBHOOK_SECRET)).toBe(false);
  });
});

describe('parseKomojuEvent', () => {
  let fake: FakeKomoju;

  beforeEach(async () => {
    fake = await startFakeKomoju({ secretKey: 'sk_test_x' });
  });

  afterEach(async () => {
    await fake.close();
  });

  async function capturedPayment() {
    const komojuSession = await fetch(`${fake.url}/api/v1/sessions`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('sk_test_x:').toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ amount: 2000, currency: 'JPY', metadata: { checkoutId: 'chk_9' } }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    return fake.completeSession(komojuSession.id, 'captured');
  }

  it('maps a payment event', async () => {
    const payment = await capturedPayment();
    fake.refund(payment.id, 500, { chargeback: true });
    const body = fake.event('payment.refund.created', payment.id);

    const event = parseKomojuEvent(JSON.parse(JSON.stringify(body)));
    expect(event).toEqual({
      id: body.id,
      type: 'payment.refund.created',
      createdAt: new Date(body.created_at),
      payment: {
        id: payment.id,
        status: 'captured',
        amount: 2000,
        currency: 'JPY',
        tax: 0,
        paymentMethodFee: 0,
        total: 2000,
        amountRefunded: 500,
        refunds: [{ id: expect.any(String), amount: 500, chargeback: true }],
        paymentMethod: 'credit_card',
        paymentDeadline: null,
        buyerEmail: null,
        sessionId: payment.session,
        metadata: { checkoutId: 'chk_9' },
        capturedAt: new Date(payment.captured_at ?? ''),
      },
    });
  });

  it('gives ping (and other non-payment events) a null payment; a customer event names its customer', () => {
    expect(parseKomojuEvent(fake.event('ping'))).toMatchObject({ type: 'ping', payment: null });
    expect(parseKomojuEvent({ id: 'evt_2', type: 'customer.created', resource: 'event', data: { id: 'c' }, created_at: null })).toEqual({
      id: 'evt_2',
      type: 'customer.created',
      payment: null,
      createdAt: null,
      customerId: 'c',
    });
  });

  it.each([
    ['a non-object', 'hello'],
    ['a missing id', { type: 'ping', resource: 'event', data: {} }],
    ['another resource', { id: 'evt_3', type: 'ping', resource: 'payment', data: {} }],
  ])('rejects %s', (_label, body) => {
    expect(() => parseKomojuEvent(body)).toThrow(ProviderError);
    try {
      parseKomojuEvent(body);
    } catch (error) {
      expect((error as ProviderError).code).toBe('invalid_event');
    }
  });
});

describe('payment events that carry no readable payment', () => {
  it.each([
    ['a payment event without a payment', { id: 'evt_4', type: 'payment.captured', resource: 'event', data: {} }],
    ['a payment event with a fractional amount', { id: 'evt_5', type: 'payment.captured', resource: 'event', data: { id: 'p', status: 'captured', amount: 1.5, currency: 'USD' } }],
  ])('parses %s with a null payment and the problem, to be stored', (_label, body) => {
    const event = parseKomojuEvent(body);
    expect(event.payment).toBeNull();
    expect(event.paymentProblem).toMatch(/did not match the expected shape/);
  });

  it('names the payment a fraud mark is about, from a payment or a fraud record', () => {
    expect(parseKomojuEvent({ id: 'evt_6', type: 'payment.marked.as.fraud', resource: 'event', data: { id: 'fr_1', payment: 'pay_1' } })).toMatchObject({ payment: null, fraudPaymentId: 'pay_1' });
    expect(parseKomojuEvent({ id: 'evt_7', type: 'payment.marked.as.fraud', resource: 'event', data: { id: 'fr_2', payment: { id: 'pay_2' } } }).fraudPaymentId).toBe('pay_2');
    expect(parseKomojuEvent({ id: 'evt_8', type: 'payment.marked.as.fraud', resource: 'event', data: { id: 'pay_3', status: 'captured', amount: 100, currency: 'JPY' } })).toMatchObject({
      fraudPaymentId: 'pay_3',
      payment: { id: 'pay_3' },
    });
  });
});

describe('fake KOMOJU webhook delivery', () => {
  it('sends a body that verifies on the raw bytes, with KOMOJU headers', async () => {
    const received: { raw: Buffer; headers: IncomingHttpHeaders }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ raw: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const fake = await startFakeKomoju({ secretKey: 'sk_test_x' });
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/komoju`;
      const body = { ...fake.event('ping'), reason: '日本語 🍣' };

      expect(await fake.sendWebhook(url, body, WEBHOOK_SECRET)).toBe(200);

      const [delivery] = received;
      expect(delivery?.headers['x-komoju-event']).toBe('ping');
      expect(delivery?.headers['x-komoju-id']).toEqual(expect.any(String));
      expect(verifyKomojuSignature(delivery?.raw ?? Buffer.alloc(0), delivery?.headers['x-komoju-signature'] as string, WEBHOOK_SECRET)).toBe(true);
      expect(parseKomojuEvent(JSON.parse(delivery?.raw.toString('utf8') ?? ''))).toMatchObject({ id: body.id, payment: null });
    } finally {
      await fake.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
