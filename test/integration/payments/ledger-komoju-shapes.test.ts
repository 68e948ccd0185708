// The ledger against what KOMOJU really sends (its SDK models): tax and payment-method fees, a
// payment charged in another currency than the link's, `failed` that is not final, and events
// whose data is not a payment or whose type we do not know — acknowledged and stored, never a
// 4xx/5xx that makes KOMOJU retry forever.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { signKomojuBody } from '../../../src/payments/komoju/komoju-webhook.js';
import { createKomojuProvider } from '../../../src/payments/komoju/komoju-client.js';
import { receiveKomojuWebhook } from '../../../src/payments/receive-komoju-webhook.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { databaseKinds } from '../../support/databases.js';
import type { CompleteOptions } from '../../support/fake-komoju.js';
import { fixtureId, seedLink } from '../../support/ledger-fixtures.js';
import { useFakeKomoju, useTestDatabase } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_shapes_0123456789';
const WEBHOOK_SECRET = 'whsec_shapes_0123456789abcdef';

describe.each(await databaseKinds())('ledger against KOMOJU shapes on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma } = useTestDatabase(kind);
  const config = loadConfig({ DATA_DIR: '/nonexistent', APP_SECRET: 'x'.repeat(32), KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET });

  /** Delivers a body the way POST /webhooks/komoju does; resolves to the HTTP status it answers. */
  async function deliver(body: unknown): Promise<number> {
    const raw = JSON.stringify(body);
    const outcome = await receiveKomojuWebhook({ prisma, config, log: createLogger('silent') }, Buffer.from(raw), signKomojuBody(raw, WEBHOOK_SECRET));
    return outcome.status;
  }

  async function pay(linkId: string, status: 'captured' | 'authorized' | 'failed', options: CompleteOptions = {}): Promise<string> {
    const session = await createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url }).createSession({
      amount: 1000,
      currency: 'JPY',
      locale: 'ja',
      returnUrl: 'http://127.0.0.1:1/return',
      lineItem: { description: 'Tea', amount: 1000, quantity: 1 },
      metadata: { linkId },
      idempotencyKey: fixtureId('chk'),
    });
    const payment = fake.completeSession(session.id, status, options);
    expect(await deliver(fake.event(`payment.${status}`, payment.id))).toBe(200);
    return payment.id;
  }

  it('counts what the buyer paid, tax and fee included, and a tax-included refund never goes below zero', async () => {
    const { linkId } = await seedLink(prisma, { amount: 1000 });
    const paymentId = await pay(linkId, 'captured', { tax: 100, paymentMethodFee: 190 });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ amount: 1000, tax: 100, paymentMethodFee: 190, total: 1290, paymentMethod: 'credit_card' });
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 1290, capturedPayments: 1 });

    fake.refund(paymentId, 290);
    expect(await deliver(fake.event('payment.refund.created', paymentId))).toBe(200);
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 1000, capturedPayments: 1, refundedPayments: 0 });
    const [row] = (await listTransactions(prisma, linkId)).items;
    expect(row).toMatchObject({ state: 'partially_refunded', amount: 1000, total: 1290, refundedAmount: 290 });

    fake.refund(paymentId, 1000);
    expect(await deliver(fake.event('payment.refunded', paymentId))).toBe(200);
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 1 });
  });

  it('keeps a payment in the currency it was paid in and never adds it to the link currency', async () => {
    const { linkId } = await seedLink(prisma, { amount: 1000, currency: 'JPY' });
    await pay(linkId, 'captured');
    const converted = await pay(linkId, 'captured', { currency: 'USD', amount: 680 });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: converted } })).toMatchObject({ currency: 'USD', amount: 680 });
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ currency: 'JPY', capturedAmount: 1000, capturedPayments: 2, otherCurrencies: { USD: 680 } });
  });

  it('lets a later successful attempt win over failed, and a late failed never undo it', async () => {
    const { linkId } = await seedLink(prisma);
    const retried = await pay(linkId, 'failed');
    fake.retry(retried, 'captured');
    expect(await deliver(fake.event('payment.captured', retried))).toBe(200);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: retried } })).toMatchObject({ status: 'captured' });

    const konbini = await pay(linkId, 'failed');
    const failedEvent = fake.event('payment.failed', konbini);
    fake.retry(konbini, 'authorized');
    expect(await deliver(fake.event('payment.authorized', konbini))).toBe(200);
    expect(await deliver({ ...failedEvent, id: fixtureId('evt') })).toBe(200);
    const stored = await prisma.payment.findUniqueOrThrow({ where: { id: konbini } });
    expect(stored).toMatchObject({ status: 'authorized', paymentMethod: 'credit_card' });
    expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedPayments: 1, pendingPayments: 1 });
  });

  it('acknowledges and stores a fraud mark, refund-request updates, unknown types and unreadable payment data', async () => {
    const { linkId } = await seedLink(prisma);
    const paymentId = await pay(linkId, 'captured');
    const fraud = { id: fixtureId('evt'), type: 'payment.marked.as.fraud', resource: 'event', data: { id: fixtureId('fr'), payment: paymentId }, created_at: new Date().toISOString() };
    expect(await deliver(fraud)).toBe(200);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ fraud: true });
    expect((await listTransactions(prisma, linkId)).items[0]).toMatchObject({ fraud: true });

    const others = [
      { id: fixtureId('evt'), type: 'refund_request.updated', resource: 'event', data: { id: fixtureId('rr'), status: 'completed', payment: paymentId } },
      { id: fixtureId('evt'), type: 'settlement.created', resource: 'event', data: { id: 'st_1' } },
      { id: fixtureId('evt'), type: 'something.komoju.adds.later', resource: 'event', data: {} },
      { id: fixtureId('evt'), type: 'payment.updated', resource: 'event', data: { id: 'odd', status: 'captured', amount: 1.5, currency: 'USD' } },
    ];
    for (const event of [...others, ...others]) expect(await deliver(event)).toBe(200);
    for (const event of [fraud, ...others]) expect(await prisma.providerEvent.findUnique({ where: { id: event.id } })).toMatchObject({ type: event.type });
    expect(await prisma.payment.findUnique({ where: { id: 'odd' } })).toBeNull();
  });
});
