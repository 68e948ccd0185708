// Concurrent deliveries: the provider may redeliver while we are still processing, and events of
// one payment may be handled by several instances at once. One effect each, whatever the timing.
import { describe, expect, it } from 'vitest';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import { deliver, fixtureId, komojuEvent, seedCheckout, seedLink } from '../../support/ledger-fixtures.js';
import type { PaymentState } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const ROUNDS = 5;

describe.each(await databaseKinds())('concurrent ledger writes on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);

  async function newPayment(): Promise<{ linkId: string; state: PaymentState }> {
    const { linkId } = await seedLink(prisma);
    const { checkoutId, sessionId } = await seedCheckout(prisma, linkId);
    return { linkId, state: { id: fixtureId('pay'), status: 'pending', amount: 1000, session: sessionId, metadata: { linkId, checkoutId } } };
  }

  it('the same event delivered concurrently has one effect', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { linkId, state } = await newPayment();
      const event = komojuEvent('payment.captured', { ...state, status: 'captured' });
      const results = await Promise.all(Array.from({ length: 4 }, () => deliver(prisma, event)));
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(results.filter((result) => result.payment?.becameCaptured)).toHaveLength(1);
      expect(await prisma.providerEvent.count({ where: { id: event.id } })).toBe(1);
      expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 1000, capturedPayments: 1, pendingPayments: 0 });
    }
  });

  it('different events of one new payment delivered concurrently merge into its final state, capture signalled once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { linkId, state } = await newPayment();
      const partial = { id: fixtureId('rf'), amount: 400 };
      const rest = { id: fixtureId('rf'), amount: 600 };
      const events = [
        komojuEvent('payment.authorized', { ...state, status: 'authorized' }),
        komojuEvent('payment.captured', { ...state, status: 'captured' }),
        komojuEvent('payment.refund.created', { ...state, status: 'captured', refunds: [partial] }),
        komojuEvent('payment.refunded', { ...state, status: 'refunded', refunds: [partial, rest] }),
      ];
      const results = await Promise.all(events.map((event) => deliver(prisma, event)));
      expect(results.filter((result) => result.payment?.becameCaptured)).toHaveLength(1);
      expect(await prisma.payment.findUniqueOrThrow({ where: { id: state.id } })).toMatchObject({ status: 'refunded', amountRefunded: 1000, linkId });
      expect(await prisma.refund.count({ where: { paymentId: state.id } })).toBe(2);
      expect(await getLinkSummary(prisma, linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 1, pendingPayments: 0 });
    }
  });
});
