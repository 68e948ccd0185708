// Property: for random links (several checkouts, several payments each, payments without a
// checkout, payments of no link) whose payments go through random lifecycles (failures, konbini
// awaiting or expiring, captures, partial and full refunds, chargebacks), delivering every event
// in a random order with random redeliveries gives exactly the summary a tiny reference model
// computes from each payment's FINAL state with the contract's definitions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaymentStatus } from '../../../src/payments/provider.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import type { FakeKomojuEvent } from '../../support/fake-komoju.js';
import { EVENT_TYPE_FOR_STATUS, deliver, fixtureId, komojuEvent, seedCheckout, seedLink } from '../../support/ledger-fixtures.js';
import type { PaymentState } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

interface Lifecycle {
  amount: number;
  // How the buyer's attempt ends before any refund.
  outcome: 'failed' | 'expired' | 'cancelled' | 'pending' | 'authorized' | 'captured';
  viaAuthorized: boolean;
  // Refund requests as fractions of the amount, applied in order until nothing is left.
  refunds: { share: number; chargeback: boolean }[];
  // Unconfirmed at KOMOJU: whether a chargeback covering the rest flips the status to refunded.
  chargebackFlipsStatus: boolean;
  // How the event finds its link: session id and metadata, only one of them.
  reference: 'both' | 'session' | 'metadata';
}

interface LinkPlan {
  checkouts: { abandoned: boolean; refused: boolean; payments: Lifecycle[] }[];
  withoutCheckout: Lifecycle[];
  ofNoLink: Lifecycle[];
}

const oneIn = (n: number) => fc.integer({ min: 1, max: n }).map((draw) => draw === 1);

const lifecycle: fc.Arbitrary<Lifecycle> = fc.record({
  amount: fc.integer({ min: 1, max: 100_000 }),
  outcome: fc.constantFrom('failed', 'expired', 'cancelled', 'pending', 'authorized', 'captured', 'captured', 'captured'),
  viaAuthorized: fc.boolean(),
  refunds: fc.array(fc.record({ share: fc.double({ min: 0.01, max: 1, noNaN: true }), chargeback: oneIn(4) }), { maxLength: 3 }),
  chargebackFlipsStatus: fc.boolean(),
  reference: fc.constantFrom('both', 'session', 'metadata'),
});

const linkPlan: fc.Arbitrary<LinkPlan> = fc.record({
  checkouts: fc.array(fc.record({ abandoned: oneIn(4), refused: oneIn(10), payments: fc.array(lifecycle, { maxLength: 3 }) }), { maxLength: 5 }),
  withoutCheckout: fc.array(lifecycle, { maxLength: 2 }),
  ofNoLink: fc.array(lifecycle, { maxLength: 1 }),
});

/** The snapshots KOMOJU would send, in the order they happen; the last one is the final state. */
function snapshots(plan: Lifecycle, base: Omit<PaymentState, 'status' | 'amount'>): { state: PaymentState; type: string }[] {
  const start: PaymentState = { ...base, amount: plan.amount, status: 'pending' };
  const out: { state: PaymentState; type: string }[] = [{ state: start, type: 'payment.updated' }];
  if (plan.viaAuthorized && plan.outcome !== 'pending') out.push({ state: { ...start, status: 'authorized' }, type: 'payment.authorized' });
  if (plan.outcome !== 'pending' && plan.outcome !== 'authorized') out.push({ state: { ...start, status: plan.outcome }, type: EVENT_TYPE_FOR_STATUS[plan.outcome] });
  else if (plan.outcome === 'authorized' && !plan.viaAuthorized) out.push({ state: { ...start, status: 'authorized' }, type: 'payment.authorized' });
  if (plan.outcome !== 'captured') return out;

  let refunds: NonNullable<PaymentState['refunds']> = [];
  let status: PaymentStatus = 'captured';
  for (const request of plan.refunds) {
    const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);
    const amount = Math.min(plan.amount - refunded, Math.max(1, Math.round(plan.amount * request.share)));
    if (amount <= 0) break;
    refunds = [...refunds, { id: fixtureId('rf'), amount, chargeback: request.chargeback }];
    const full = refunded + amount >= plan.amount;
    if (full && (!request.chargeback || plan.chargebackFlipsStatus)) status = 'refunded';
    out.push({ state: { ...start, status, refunds }, type: full && status === 'refunded' ? 'payment.refunded' : 'payment.refund.created' });
  }
  return out;
}

interface Numbers {
  capturedAmount: number;
  capturedPayments: number;
  pendingPayments: number;
  refundedPayments: number;
}

/** The contract's definitions applied to final states, independently of the database code. */
function referenceSummary(checkouts: { refused: boolean; finals: PaymentState[] }[], withoutCheckout: PaymentState[]): Numbers {
  const result: Numbers = { capturedAmount: 0, capturedPayments: 0, pendingPayments: 0, refundedPayments: 0 };
  const captured = (payment: PaymentState) => payment.status === 'captured' || payment.status === 'refunded';
  for (const payment of [...checkouts.flatMap((checkout) => checkout.finals), ...withoutCheckout]) {
    if (!captured(payment)) continue;
    const refunds = payment.refunds ?? [];
    if (refunds.some((refund) => refund.chargeback)) continue;
    const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);
    if (payment.status === 'refunded' || refunded >= payment.amount) result.refundedPayments++;
    else {
      result.capturedPayments++;
      result.capturedAmount += payment.amount - refunded;
    }
  }
  result.pendingPayments = checkouts.filter((checkout) => !checkout.refused && !checkout.finals.some(captured)).length + withoutCheckout.filter((payment) => !captured(payment)).length;
  return result;
}

describe.each(await databaseKinds())('ledger property on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);

  it('any order and repetition of the events gives the reference model’s four numbers', async () => {
    await fc.assert(
      fc.asyncProperty(linkPlan, fc.gen(), async (plan, draw) => {
        const { linkId } = await seedLink(prisma);
        const events: FakeKomojuEvent[] = [];
        const checkouts: { refused: boolean; finals: PaymentState[] }[] = [];
        const addPayments = (lifecycles: Lifecycle[], base: (plan: Lifecycle) => Omit<PaymentState, 'status' | 'amount'>) =>
          lifecycles.map((plan) => {
            const steps = snapshots(plan, base(plan));
            for (const step of steps) events.push(komojuEvent(step.type, step.state));
            return steps[steps.length - 1]!.state;
          });

        for (const checkout of plan.checkouts) {
          // A refused checkout never had a session, so no payment; an abandoned one has none either.
          const refused = checkout.refused;
          const { checkoutId, sessionId } = await seedCheckout(prisma, linkId, refused ? { sessionId: null, status: 'error' } : {});
          const lifecycles = refused || checkout.abandoned ? [] : checkout.payments;
          const finals = addPayments(lifecycles, (payment) => ({
            id: fixtureId('pay'),
            session: payment.reference === 'metadata' ? null : sessionId,
            // The cast widens the two shapes to the one the fixture takes; without it tsc refuses `{}`.
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
            metadata: payment.reference === 'session' ? {} : ({ linkId, checkoutId } as Record<string, string>),
          }));
          checkouts.push({ refused, finals });
        }
        const withoutCheckout = addPayments(plan.withoutCheckout, () => ({ id: fixtureId('pay'), session: null, metadata: { linkId } }));
        addPayments(plan.ofNoLink, () => ({ id: fixtureId('pay'), session: fixtureId('sess'), metadata: {} }));

        const redelivered = draw(fc.subarray, events);
        const delivery = draw(fc.shuffledSubarray, [...events, ...redelivered], { minLength: events.length + redelivered.length });
        for (const event of delivery) await deliver(prisma, event);

        const { capturedAmount, capturedPayments, pendingPayments, refundedPayments } = await getLinkSummary(prisma, linkId);
        expect({ capturedAmount, capturedPayments, pendingPayments, refundedPayments }).toEqual(referenceSummary(checkouts, withoutCheckout));
      }),
      { numRuns: 30 },
    );
    // ~5 s on an idle machine; the margin is for busy shared CI runners.
  }, 120_000);
});
