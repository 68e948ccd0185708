// A link's transactions: newest first, paged, with refunded amounts and chargebacks as recorded.
import { beforeAll, describe, expect, it } from 'vitest';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { databaseKinds } from '../../support/databases.js';
import { deliver, fixtureId, komojuEvent, seedCheckout, seedLink } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('listTransactions on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);
  let linkId: string;
  const ids = { captured: fixtureId('pay'), partly: fixtureId('pay'), charged: fixtureId('pay'), failed: fixtureId('pay'), awaiting: fixtureId('pay') };

  beforeAll(async () => {
    ({ linkId } = await seedLink(prisma));
    const other = await seedLink(prisma);
    const pay = async (id: string, type: string, state: object) => {
      const { sessionId } = await seedCheckout(prisma, linkId);
      await deliver(prisma, komojuEvent(type, { id, amount: 1000, session: sessionId, metadata: {}, status: 'captured', ...state }));
    };
    await pay(ids.captured, 'payment.captured', {});
    await pay(ids.partly, 'payment.refund.created', { refunds: [{ id: fixtureId('rf'), amount: 300 }] });
    await pay(ids.charged, 'payment.updated', { refunds: [{ id: fixtureId('rf'), amount: 1000, chargeback: true }] });
    await pay(ids.failed, 'payment.failed', { status: 'failed' });
    await pay(ids.awaiting, 'payment.authorized', { status: 'authorized' });
    await deliver(prisma, komojuEvent('payment.captured', { id: fixtureId('pay'), amount: 5, session: null, metadata: { linkId: other.linkId }, status: 'captured' }));
    // Recording is faster than the clock's resolution: give each a distinct, known time.
    for (const [index, id] of Object.values(ids).entries()) {
      await prisma.payment.update({ where: { id }, data: { createdAt: new Date(Date.UTC(2026, 10, 28, 3, 0, index)) } });
    }
  });

  it('lists the link’s payments newest first with their refunded amount and chargeback flag', async () => {
    const page = await listTransactions(prisma, linkId, { page: 1, pageSize: 10 });
    expect(page).toMatchObject({ page: 1, pageSize: 10, total: 5, hasMore: false });
    expect(page.items.map(({ paymentId, status, state, amount, refundedAmount, chargeback }) => ({ paymentId, status, state, amount, refundedAmount, chargeback }))).toEqual([
      { paymentId: ids.awaiting, status: 'authorized', state: 'awaiting', amount: 1000, refundedAmount: 0, chargeback: false },
      { paymentId: ids.failed, status: 'failed', state: 'unsuccessful', amount: 1000, refundedAmount: 0, chargeback: false },
      { paymentId: ids.charged, status: 'captured', state: 'charged_back', amount: 1000, refundedAmount: 1000, chargeback: true },
      { paymentId: ids.partly, status: 'captured', state: 'partially_refunded', amount: 1000, refundedAmount: 300, chargeback: false },
      { paymentId: ids.captured, status: 'captured', state: 'captured', amount: 1000, refundedAmount: 0, chargeback: false },
    ]);
    const captured = page.items.at(-1);
    expect(captured?.occurredAt.toISOString()).toBe('2026-11-28T01:00:00.000Z');
    expect(page.items[0]?.occurredAt.toISOString()).toBe('2026-11-28T03:00:04.000Z');
  });

  it('pages', async () => {
    const first = await listTransactions(prisma, linkId, { page: 1, pageSize: 2 });
    const third = await listTransactions(prisma, linkId, { page: 3, pageSize: 2 });
    expect(first.items.map((item) => item.paymentId)).toEqual([ids.awaiting, ids.failed]);
    expect(first.hasMore).toBe(true);
    expect(third.items.map((item) => item.paymentId)).toEqual([ids.captured]);
    expect(third.hasMore).toBe(false);
  });

  it('rejects a page size out of range', async () => {
    await expect(listTransactions(prisma, linkId, { page: 1, pageSize: 1000 })).rejects.toThrow();
  });
});
