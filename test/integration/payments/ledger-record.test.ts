// What recordProviderEvent / recordPaymentSnapshot store: the merged payment row, refunds,
// dedupe by event id, the once-only capture signal, unknown payments, and merchant scoping.
import { describe, expect, it } from 'vitest';
import { parseKomojuPayment } from '../../../src/payments/komoju/komoju-client.js';
import { recordPaymentSnapshot } from '../../../src/payments/record-payment-event.js';
import { databaseKinds } from '../../support/databases.js';
import { deliver, fixtureId, komojuEvent, komojuPayment, seedCheckout, seedLink } from '../../support/ledger-fixtures.js';
import type { PaymentState } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('recording payment events on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);

  async function newPayment(amount = 1000): Promise<{ linkId: string; merchantId: string; checkoutId: string; state: PaymentState }> {
    const { linkId, merchantId } = await seedLink(prisma);
    const { checkoutId, sessionId } = await seedCheckout(prisma, linkId);
    return { linkId, merchantId, checkoutId, state: { id: fixtureId('pay'), status: 'pending', amount, session: sessionId, metadata: { linkId, checkoutId } } };
  }

  it('stores the payment against its link and checkout, keeping the status monotonic', async () => {
    const { linkId, checkoutId, state } = await newPayment();
    await deliver(prisma, komojuEvent('payment.captured', { ...state, status: 'captured' }));
    await deliver(prisma, komojuEvent('payment.authorized', { ...state, status: 'authorized' }));
    const row = await prisma.payment.findUniqueOrThrow({ where: { id: state.id } });
    expect(row).toMatchObject({ linkId, checkoutId, sessionId: state.session, status: 'captured', amount: 1000, currency: 'JPY', provider: 'komoju' });
    expect(row.capturedAt?.toISOString()).toBe('2026-11-28T01:00:00.000Z');
  });

  it('unites refunds from events in any order and keeps the largest refunded total', async () => {
    const { state } = await newPayment(1000);
    const first = { id: fixtureId('rf'), amount: 300 };
    const second = { id: fixtureId('rf'), amount: 200, chargeback: true };
    await deliver(prisma, komojuEvent('payment.updated', { ...state, status: 'captured', refunds: [first, second] }));
    await deliver(prisma, komojuEvent('payment.refund.created', { ...state, status: 'captured', refunds: [first] }));
    const row = await prisma.payment.findUniqueOrThrow({ where: { id: state.id }, include: { refunds: { orderBy: { amount: 'desc' } } } });
    expect(row.amountRefunded).toBe(500);
    expect(row.refunds.map(({ id, amount, chargeback }) => ({ id, amount, chargeback }))).toEqual([
      { id: first.id, amount: 300, chargeback: false },
      { id: second.id, amount: 200, chargeback: true },
    ]);
  });

  it('ignores a redelivered event id, and stores the event once', async () => {
    const { state } = await newPayment();
    const event = komojuEvent('payment.captured', { ...state, status: 'captured' });
    const first = await deliver(prisma, event);
    const again = await deliver(prisma, event);
    expect(first.duplicate).toBe(false);
    expect(first.payment?.becameCaptured).toBe(true);
    expect(again).toEqual({ duplicate: true, payment: null });
    expect(await prisma.providerEvent.findMany({ where: { id: event.id }, select: { type: true, paymentId: true } })).toEqual([{ type: 'payment.captured', paymentId: state.id }]);
  });

  it('signals the capture exactly once, whichever event shows it first', async () => {
    const { state } = await newPayment();
    const refunded = { ...state, status: 'refunded' as const, refunds: [{ id: fixtureId('rf'), amount: 1000 }] };
    const signals = [];
    for (const event of [
      komojuEvent('payment.authorized', { ...state, status: 'authorized' }),
      komojuEvent('payment.refunded', refunded),
      komojuEvent('payment.captured', { ...state, status: 'captured' }),
      komojuEvent('payment.captured', { ...state, status: 'captured' }),
    ]) {
      signals.push((await deliver(prisma, event)).payment?.becameCaptured);
    }
    expect(signals).toEqual([false, true, false, false]);
  });

  it('stores a payment of no known link with linkId null and reports it', async () => {
    const state: PaymentState = { id: fixtureId('pay'), status: 'captured', amount: 400, session: fixtureId('sess'), metadata: { linkId: 'l_nope' } };
    const recorded = await deliver(prisma, komojuEvent('payment.captured', state));
    expect(recorded.payment).toEqual({ paymentId: state.id, linkId: null, becameCaptured: true, unknownLink: true, foreignPayment: false });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: state.id } })).toMatchObject({ linkId: null, status: 'captured' });
  });

  it('ping carries no payment', async () => {
    const recorded = await deliver(prisma, { id: fixtureId('ev'), type: 'ping', resource: 'event', data: {}, created_at: '2026-11-28T00:00:00Z', reason: null });
    expect(recorded).toEqual({ duplicate: false, payment: null });
  });

  it('keeps nothing when recording fails, so the redelivery is processed rather than deduplicated', async () => {
    const { state } = await newPayment();
    // Too large for the amount column: the payment insert fails inside the transaction.
    const event = komojuEvent('payment.captured', { ...state, status: 'captured', amount: 2 ** 31 });
    await expect(deliver(prisma, event)).rejects.toThrow();
    expect(await prisma.providerEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await prisma.payment.count({ where: { id: state.id } })).toBe(0);
  });

  it('re-reading the payment from the API merges like an event does', async () => {
    const { linkId, state } = await newPayment(600);
    await deliver(prisma, komojuEvent('payment.refunded', { ...state, status: 'refunded', refunds: [{ id: fixtureId('rf'), amount: 600 }] }));
    const stale = parseKomojuPayment(komojuPayment({ ...state, status: 'captured' }));
    const recorded = await recordPaymentSnapshot(prisma, stale, { provider: 'komoju' });
    expect(recorded).toEqual({ paymentId: state.id, linkId, becameCaptured: false, unknownLink: false, foreignPayment: false });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: state.id } })).toMatchObject({ status: 'refunded', amountRefunded: 600 });
  });

  describe('with a merchant-authenticated event (merchant brings its own KOMOJU account)', () => {
    it('links payments of its own links', async () => {
      const { linkId, merchantId, state } = await newPayment();
      const recorded = await deliver(prisma, komojuEvent('payment.captured', { ...state, status: 'captured' }), merchantId);
      expect(recorded.payment).toMatchObject({ linkId, unknownLink: false, foreignPayment: false });
      expect(await prisma.providerEvent.findFirstOrThrow({ where: { paymentId: state.id } })).toMatchObject({ merchantId });
    });

    it("does not attach a payment to another merchant's link", async () => {
      const { state } = await newPayment();
      const intruder = await seedLink(prisma);
      const recorded = await deliver(prisma, komojuEvent('payment.captured', { ...state, status: 'captured' }), intruder.merchantId);
      expect(recorded.payment).toMatchObject({ linkId: null, unknownLink: true });
    });

    it("does not change another merchant's payment", async () => {
      const { state } = await newPayment();
      await deliver(prisma, komojuEvent('payment.captured', { ...state, status: 'captured' }));
      const intruder = await seedLink(prisma);
      const forged = komojuEvent('payment.refunded', { ...state, status: 'refunded', refunds: [{ id: fixtureId('rf'), amount: 1000 }] });
      const recorded = await deliver(prisma, forged, intruder.merchantId);
      expect(recorded.payment).toMatchObject({ foreignPayment: true, becameCaptured: false });
      expect(await prisma.payment.findUniqueOrThrow({ where: { id: state.id } })).toMatchObject({ status: 'captured', amountRefunded: 0 });
      expect(await prisma.refund.count({ where: { paymentId: state.id } })).toBe(0);
    });
  });
});
