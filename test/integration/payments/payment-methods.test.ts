// The payment methods a link may restrict to come from the shop's account: KOMOJU's
// GET /api/v1/payment_methods (the fake speaks its format), kept on the merchant row for a day so
// every instance reads one list; the sandbox offers its documented set.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { offeredPaymentMethods, PAYMENT_METHODS_MAX_AGE_MS } from '../../../src/payments/payment-methods.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useTestDatabase } from '../../support/suite-setup.js';

const SECRET = 'sk_test_payment_methods';
const kinds = await databaseKinds();

function configFor(komojuUrl: string | null) {
  return loadConfig({
    PUBLIC_BASE_URL: 'https://shop.example',
    LINE_CHANNEL_SECRET: 'secret',
    LINE_CHANNEL_ACCESS_TOKEN: 'token',
    APP_SECRET: 'a'.repeat(40),
    ...(komojuUrl ? { KOMOJU_SECRET_KEY: SECRET, KOMOJU_WEBHOOK_SECRET: 'whsec', KOMOJU_API_BASE_URL: komojuUrl } : {}),
  });
}

describe.each(kinds)('payment methods from the account on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);
  const fake = useFakeKomoju(SECRET);
  const listed = () => fake.requests.filter((request) => request.method === 'GET' && request.path === '/api/v1/payment_methods').length;

  it('reads KOMOJU once a day, names each method as KOMOJU does, and lists nothing KOMOJU does not', async () => {
    await prisma.merchant.create({ data: { id: 'tea', name: 'Tea' } });
    const deps = { prisma, config: configFor(fake.url) };
    const now = new Date('2026-12-07T00:00:00Z');
    const before = listed();
    const methods = await offeredPaymentMethods(deps, 'tea', now);
    expect(methods?.map((method) => method.type)).toEqual(['credit_card', 'konbini', 'paypay']);
    expect(methods?.[0]?.names).toEqual({ en: 'Credit Card', ja: 'クレジットカード', ko: '신용카드' });
    expect(listed()).toBe(before + 1);

    // Within the day, every instance answers from the row, without asking KOMOJU.
    fake.setPaymentMethods([{ type_slug: 'credit_card', name_en: 'Credit Card', name_ja: 'クレジットカード', name_ko: '신용카드', currency: 'JPY' }]);
    expect((await offeredPaymentMethods(deps, 'tea', new Date(now.getTime() + 60_000)))?.map((method) => method.type)).toEqual(['credit_card', 'konbini', 'paypay']);
    expect(listed()).toBe(before + 1);

    // A day later the account's current list: konbini and PayPay were turned off.
    const later = new Date(now.getTime() + PAYMENT_METHODS_MAX_AGE_MS + 1);
    expect((await offeredPaymentMethods(deps, 'tea', later))?.map((method) => method.type)).toEqual(['credit_card']);
    expect(listed()).toBe(before + 2);

    // KOMOJU unreachable: the last list of the same account, not nothing.
    fake.failNext(3, 503);
    expect((await offeredPaymentMethods(deps, 'tea', new Date(later.getTime() + PAYMENT_METHODS_MAX_AGE_MS + 1)))?.map((method) => method.type)).toEqual(['credit_card']);
  });

  it('offers the sandbox’s documented set when no KOMOJU account is configured', async () => {
    await prisma.merchant.create({ data: { id: 'sandbox-shop', name: 'Sandbox shop' } });
    const methods = await offeredPaymentMethods({ prisma, config: configFor(null) }, 'sandbox-shop', new Date());
    expect(methods?.map((method) => method.type)).toEqual(['credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay']);
    expect(methods?.map((method) => method.names.ja)).not.toContain('LINE Pay');
  });
});
