// The domain events recording a payment writes in the same transaction: each fact once, whatever
// the order, duplication or source (webhook, return-page re-read) of the news, and never again when
// an old snapshot is re-read later.
import { describe, expect, it } from 'vitest';
import { parseKomojuPayment } from '../../../src/payments/komoju/komoju-client.js';
import { recordPaymentSnapshot } from '../../../src/payments/record-payment-event.js';
import { databaseKinds } from '../../support/databases.js';
import { deliver, fixtureId, komojuEvent, komojuPayment, seedCheckout, seedLink, type PaymentState } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('payment facts recorded as domain events on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);

  async function newPayment(amount = 1000): Promise<{ linkId: string; merchantId: string; state: PaymentState }> {
    const { linkId, merchantId } = await seedLink(prisma);
    const { checkoutId, sessionId } = await seedCheckout(prisma, linkId);
    return { linkId, merchantId, state: { id: fixtureId('pay'), status: 'pending', amount, session: sessionId, metadata: { linkId, checkoutId } } };
  }

  async function factsOf(paymentId: string) {
    const rows = await prisma.domainEvent.findMany({ where: { subjectId: paymentId }, orderBy: { dedupeKey: 'asc' } });
    return rows.map(({ type, dedupeKey, merchantId, payload, status }) => ({ type, dedupeKey, merchantId, payload, status }));
  }

  it('records the first capture once, with its link and merchant, however often and in whatever order the news comes', async () => {
    const { linkId, merchantId, state } = await newPayment();
    const captured = { ...state, status: 'captured' as const };
    await deliver(prisma, komojuEvent('payment.captured', captured));
    await deliver(prisma, komojuEvent('payment.captured', captured));
    await deliver(prisma, komojuEvent('payment.authorized', { ...state, status: 'authorized' }));
    // The buyer's return page re-reads the provider and records the same snapshot.
    await recordPaymentSnapshot(prisma, parseKomojuPayment(komojuPayment(captured)), { provider: 'komoju' });
    expect(await factsOf(state.id)).toEqual([{ type: 'payments.captured', dedupeKey: `payments.captured:${state.id}`, merchantId, payload: { paymentId: state.id, linkId }, status: 'pending' }]);
  });

  it('records awaiting (with its deadline) for a konbini payment, then expired — not for a card attempt that expires', async () => {
    const { linkId, state } = await newPayment();
    const authorized = komojuEvent('payment.authorized', { ...state, status: 'authorized' });
    await deliver(prisma, { ...authorized, data: { ...komojuPayment({ ...state, status: 'authorized' }), payment_deadline: '2026-12-10T14:59:59Z' } });
    await deliver(prisma, komojuEvent('payment.authorized', { ...state, status: 'authorized' }));
    await deliver(prisma, komojuEvent('payment.expired', { ...state, status: 'expired' }));
    expect((await factsOf(state.id)).map(({ type, payload }) => ({ type, payload }))).toEqual([
      { type: 'payments.awaiting', payload: { paymentId: state.id, linkId, deadline: '2026-12-10T14:59:59.000Z' } },
      { type: 'payments.expired', payload: { paymentId: state.id, linkId } },
    ]);

    const card = await newPayment();
    await deliver(prisma, komojuEvent('payment.updated', card.state));
    await deliver(prisma, komojuEvent('payment.expired', { ...card.state, status: 'expired' }));
    expect(await factsOf(card.state.id)).toEqual([]);
  });

  it('records each new refund once (partial, then the rest in full), a chargeback once, and a cancellation', async () => {
    const { linkId, state } = await newPayment(1000);
    const captured = { ...state, status: 'captured' as const };
    const partial = { id: fixtureId('rf'), amount: 300 };
    const rest = { id: fixtureId('rf'), amount: 700 };
    await deliver(prisma, komojuEvent('payment.captured', captured));
    await deliver(prisma, komojuEvent('payment.refund.created', { ...captured, refunds: [partial] }));
    await deliver(prisma, komojuEvent('payment.refund.created', { ...captured, refunds: [partial] }));
    await deliver(prisma, komojuEvent('payment.refunded', { ...state, status: 'refunded', refunds: [partial, rest] }));
    const facts = (await factsOf(state.id)).filter((fact) => fact.type === 'payments.refunded').map((fact) => fact.payload);
    expect(facts).toEqual(
      expect.arrayContaining([
        { paymentId: state.id, linkId, refundId: partial.id, amount: 300, full: false },
        { paymentId: state.id, linkId, refundId: rest.id, amount: 700, full: true },
      ]),
    );
    expect(facts).toHaveLength(2);

    const disputed = await newPayment(500);
    const chargeback = { id: fixtureId('cb'), amount: 500 };
    await deliver(prisma, komojuEvent('payment.captured', { ...disputed.state, status: 'captured' }));
    await deliver(prisma, komojuEvent('payment.updated', { ...disputed.state, status: 'captured', refunds: [chargeback] }));
    await deliver(prisma, komojuEvent('payment.updated', { ...disputed.state, status: 'captured', refunds: [{ ...chargeback, chargeback: true }] }));
    await deliver(prisma, komojuEvent('payment.updated', { ...disputed.state, status: 'captured', refunds: [{ ...chargeback, chargeback: true }] }));
    expect((await factsOf(disputed.state.id)).map((fact) => fact.type)).toEqual(['payments.captured', `payments.chargeback`, 'payments.refunded']);

    const cancelled = await newPayment();
    await deliver(prisma, komojuEvent('payment.authorized', { ...cancelled.state, status: 'authorized' }));
    await deliver(prisma, komojuEvent('payment.cancelled', { ...cancelled.state, status: 'cancelled' }));
    await deliver(prisma, komojuEvent('payment.cancelled', { ...cancelled.state, status: 'cancelled' }));
    expect((await factsOf(cancelled.state.id)).map((fact) => fact.type)).toEqual(['payments.cancelled']);
  });

  it('records nothing again when an old snapshot is re-read after its events were pruned', async () => {
    const { state } = await newPayment();
    const captured = { ...state, status: 'captured' as const, refunds: [{ id: fixtureId('rf'), amount: 100 }] };
    await deliver(prisma, komojuEvent('payment.captured', captured));
    expect(await factsOf(state.id)).toHaveLength(2);
    await prisma.domainEvent.deleteMany({ where: { subjectId: state.id } });
    await recordPaymentSnapshot(prisma, parseKomojuPayment(komojuPayment(captured)), { provider: 'komoju' });
    expect(await factsOf(state.id)).toEqual([]);
  });

  it('records no fact for a payment of no known link, and all of them once its link becomes known', async () => {
    const { linkId, state } = await newPayment();
    const orphan = { ...state, status: 'captured' as const, session: null, metadata: {} };
    await deliver(prisma, komojuEvent('payment.captured', orphan));
    expect(await factsOf(state.id)).toEqual([]);
    await deliver(prisma, komojuEvent('payment.captured', { ...orphan, metadata: { linkId } }));
    expect((await factsOf(state.id)).map((fact) => fact.type)).toEqual(['payments.captured']);
  });
});
