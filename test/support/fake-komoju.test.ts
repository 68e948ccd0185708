// The fake's own behaviour that other suites rely on (beyond what the client tests exercise).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKomoju } from './fake-komoju.js';
import type { FakeKomoju } from './fake-komoju.js';

const SECRET = 'sk_test_fake';
const AUTH = `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`;

let fake: FakeKomoju;

beforeEach(async () => {
  fake = await startFakeKomoju({ secretKey: SECRET });
});

afterEach(async () => {
  await fake.close();
});

function createSession(body: Record<string, unknown>, key?: string) {
  return fetch(`${fake.url}/api/v1/sessions`, {
    method: 'POST',
    headers: {
      Authorization: AUTH,
      'Content-Type': 'application/json',
      ...(key ? { 'X-KOMOJU-IDEMPOTENCY': key } : {}),
    },
    body: JSON.stringify(body),
  });
}

const BODY = {
  amount: 1200,
  currency: 'JPY',
  default_locale: 'en',
  return_url: 'https://app.example/l/s/return?x=1',
  line_items: [{ description: 'Mug', amount: 1200, quantity: 1 }],
  metadata: { checkoutId: 'chk_1' },
};

describe('fake KOMOJU', () => {
  it('answers 401 in KOMOJU format without valid Basic auth', async () => {
    const response = await fetch(`${fake.url}/api/v1/payments/x`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String), param: null, details: {} } });
  });

  it('replays the same key + body, refuses the same key with another body', async () => {
    const first = (await (await createSession(BODY, 'k1')).json()) as { id: string };
    const again = (await (await createSession(BODY, 'k1')).json()) as { id: string };
    expect(again.id).toBe(first.id);

    const other = await createSession({ ...BODY, amount: 1 }, 'k1');
    expect(other.status).toBe(422);
    expect(fake.sessions()).toHaveLength(1);
  });

  it('validates like KOMOJU', async () => {
    const response = await createSession({ currency: 'JPY' });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: { code: 'missing_parameter', message: expect.any(String), param: 'amount', details: {} },
    });
  });

  it('serves a pay page whose form completes the session and returns to return_url', async () => {
    const session = (await (await createSession(BODY)).json()) as { id: string; session_url: string };
    const page = await fetch(session.session_url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Mug');

    const paid = await fetch(session.session_url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'result=captured',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://app.example/l/s/return?x=1&session_id=${session.id}`);
    expect(fake.session(session.id)).toMatchObject({ status: 'completed', payment: { status: 'captured' } });
  });

  it('keeps a session payable after a failed attempt, and pays it at most once', async () => {
    const { id } = (await (await createSession(BODY)).json()) as { id: string };
    const failed = fake.completeSession(id, 'failed');
    expect(failed).toMatchObject({ status: 'failed', session: id, metadata: { checkoutId: 'chk_1' } });
    expect(fake.session(id).status).toBe('pending');
    expect(fake.session(id)).not.toHaveProperty('payment');

    fake.completeSession(id, 'captured');
    expect(() => fake.completeSession(id, 'captured')).toThrow(/completed/);
  });

  it('refuses impossible state changes', async () => {
    const { id } = (await (await createSession(BODY)).json()) as { id: string };
    const payment = fake.completeSession(id, 'captured');
    expect(() => fake.capture(payment.id)).toThrow();
    expect(() => fake.expire(payment.id)).toThrow();
    expect(() => fake.refund(payment.id, 1201)).toThrow();
    expect(fake.refund(payment.id, 1200).status).toBe('refunded');
    expect(() => fake.refund(payment.id, 1)).toThrow();
  });

  it('builds events from the payment as it is at that moment', async () => {
    const { id } = (await (await createSession(BODY)).json()) as { id: string };
    const payment = fake.completeSession(id, 'authorized');
    const before = fake.event('payment.authorized', payment.id);
    fake.capture(payment.id);
    const after = fake.event('payment.captured', payment.id);

    expect(before).toMatchObject({ resource: 'event', reason: null, data: { status: 'authorized' } });
    expect(after.data).toMatchObject({ status: 'captured' });
    expect(before.id).toMatch(/^[a-z0-9]{25}$/);
    expect(after.id).not.toBe(before.id);
  });
});
