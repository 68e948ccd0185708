// Table-driven ledger scenarios: KOMOJU-format events go through the real parser and
// recordProviderEvent; the Total Sales Summary must match the contract's numbers after each step,
// and the same events delivered reversed, or shuffled with duplicates, must end in the same numbers.
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import type { FakeKomojuEvent } from '../../support/fake-komoju.js';
import { EVENT_TYPE_FOR_STATUS, deliver, fixtureId, komojuEvent, seedCheckout, seedLink } from '../../support/ledger-fixtures.js';
import type { PaymentState } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

interface Numbers {
  capturedAmount: number;
  capturedPayments: number;
  pendingPayments: number;
  refundedPayments: number;
}

const none: Numbers = { capturedAmount: 0, capturedPayments: 0, pendingPayments: 0, refundedPayments: 0 };

interface Context {
  linkId: string;
  /** A Pay press: a checkout row with a provider session; returns a payment factory for it. */
  checkout: (options?: { status?: string }) => Promise<(amount?: number) => PaymentState>;
}

interface Step {
  event: FakeKomojuEvent;
  /** The summary right after this step, when delivered in order. */
  after?: Partial<Numbers>;
}

interface Scenario {
  name: string;
  steps(context: Context): Promise<Step[]>;
  expected: Numbers;
}

function event(state: PaymentState, type = EVENT_TYPE_FOR_STATUS[state.status]): FakeKomojuEvent {
  return komojuEvent(type, structuredClone(state));
}

function refund(state: PaymentState, amount: number, chargeback = false): PaymentState {
  const refunds = [...(state.refunds ?? []), { id: fixtureId('rf'), amount, chargeback }];
  const total = refunds.reduce((sum, item) => sum + item.amount, 0);
  // KOMOJU: a partially refunded payment stays `captured`; a full refund makes it `refunded`.
  return { ...state, refunds, status: total >= state.amount && !chargeback ? 'refunded' : state.status };
}

const scenarios: Scenario[] = [
  {
    name: 'partial refund, then full refund',
    async steps({ checkout }) {
      const payment = (await checkout())(1000);
      const captured = { ...payment, status: 'captured' as const };
      const partly = refund(captured, 300);
      const fully = refund(partly, 700);
      return [
        { event: event(captured), after: { capturedAmount: 1000, capturedPayments: 1 } },
        { event: event(partly, 'payment.refund.created'), after: { capturedAmount: 700, capturedPayments: 1, refundedPayments: 0 } },
        { event: event(fully, 'payment.refunded'), after: { capturedAmount: 0, capturedPayments: 0, refundedPayments: 1 } },
      ];
    },
    expected: { ...none, refundedPayments: 1 },
  },
  {
    name: 'chargeback after a partial refund',
    async steps({ checkout }) {
      const payment = (await checkout())(5000);
      const captured = { ...payment, status: 'captured' as const };
      const partly = refund(captured, 1000);
      const chargedBack = refund(partly, 4000, true);
      return [
        { event: event(captured) },
        { event: event(partly, 'payment.refund.created'), after: { capturedAmount: 4000, capturedPayments: 1 } },
        { event: event(chargedBack, 'payment.updated'), after: { capturedAmount: 0, capturedPayments: 0, refundedPayments: 0 } },
      ];
    },
    expected: none,
  },
  {
    name: 'a full chargeback that flips the status to refunded is still not a refund',
    async steps({ checkout }) {
      const payment = (await checkout())(2000);
      const captured = { ...payment, status: 'captured' as const };
      const chargedBack = { ...refund(captured, 2000, true), status: 'refunded' as const };
      return [{ event: event(captured) }, { event: event(chargedBack, 'payment.refunded') }];
    },
    expected: none,
  },
  {
    name: 'a refunded payment whose event lists no refunds counts as fully refunded',
    async steps({ checkout }) {
      const payment = (await checkout())(1000);
      return [{ event: event({ ...payment, status: 'captured' }) }, { event: event({ ...payment, status: 'refunded' }) }];
    },
    expected: { ...none, refundedPayments: 1 },
  },
  {
    name: "a chargeback listed in refunds while the event's amount_refunded still says 0",
    async steps({ checkout }) {
      const payment = (await checkout())(1000);
      const captured = { ...payment, status: 'captured' as const };
      return [{ event: event(captured) }, { event: event({ ...refund(captured, 1000, true), amountRefunded: 0 }, 'payment.updated') }];
    },
    expected: none,
  },
  {
    name: 'duplicated webhooks (same event redelivered, and the same state in new events)',
    async steps({ checkout }) {
      const payment = (await checkout())(1500);
      const captured = event({ ...payment, status: 'captured' });
      return [
        { event: captured, after: { capturedAmount: 1500, capturedPayments: 1 } },
        { event: captured, after: { capturedAmount: 1500, capturedPayments: 1 } },
        { event: event({ ...payment, status: 'captured' }), after: { capturedAmount: 1500, capturedPayments: 1 } },
      ];
    },
    expected: { ...none, capturedAmount: 1500, capturedPayments: 1 },
  },
  {
    name: 'late authorized after captured does not undo the capture',
    async steps({ checkout }) {
      const payment = (await checkout())(800);
      return [
        { event: event({ ...payment, status: 'captured' }), after: { capturedPayments: 1 } },
        { event: event({ ...payment, status: 'authorized' }), after: { capturedPayments: 1, pendingPayments: 0 } },
        { event: event({ ...payment, status: 'pending' }, 'payment.updated'), after: { capturedPayments: 1 } },
      ];
    },
    expected: { ...none, capturedAmount: 800, capturedPayments: 1 },
  },
  {
    name: 'failed card, then a retry in the same session is captured',
    async steps({ checkout }) {
      const newPayment = await checkout();
      return [
        { event: event({ ...newPayment(1200), status: 'failed' }), after: { pendingPayments: 1, capturedPayments: 0 } },
        { event: event({ ...newPayment(1200), status: 'captured' }), after: { pendingPayments: 0, capturedPayments: 1 } },
      ];
    },
    expected: { ...none, capturedAmount: 1200, capturedPayments: 1 },
  },
  {
    name: 'failed payment, then the buyer pressed Pay again and paid',
    async steps({ checkout }) {
      const first = await checkout();
      const second = await checkout();
      return [
        { event: event({ ...first(1200), status: 'failed' }), after: { pendingPayments: 2 } },
        { event: event({ ...second(1200), status: 'captured' }), after: { pendingPayments: 1, capturedPayments: 1 } },
      ];
    },
    expected: { ...none, capturedAmount: 1200, capturedPayments: 1, pendingPayments: 1 },
  },
  {
    name: 'abandoned checkouts are pending; a checkout the provider refused is not an attempt',
    async steps({ checkout }) {
      await checkout();
      await checkout();
      await checkout({ status: 'expired' });
      await checkout({ status: 'error' });
      const paid = (await checkout())(900);
      return [{ event: event({ ...paid, status: 'captured' }) }];
    },
    expected: { ...none, capturedAmount: 900, capturedPayments: 1, pendingPayments: 3 },
  },
  {
    name: 'konbini: authorized stays pending until paid',
    async steps({ checkout }) {
      const payment = (await checkout())(3000);
      return [
        { event: event({ ...payment, status: 'pending' }, 'payment.updated'), after: { pendingPayments: 1 } },
        { event: event({ ...payment, status: 'authorized' }), after: { pendingPayments: 1, capturedPayments: 0 } },
        { event: event({ ...payment, status: 'captured' }), after: { pendingPayments: 0, capturedPayments: 1, capturedAmount: 3000 } },
      ];
    },
    expected: { ...none, capturedAmount: 3000, capturedPayments: 1 },
  },
  {
    name: 'konbini: authorized, then expired unpaid, stays pending',
    async steps({ checkout }) {
      const payment = (await checkout())(3000);
      return [
        { event: event({ ...payment, status: 'authorized' }), after: { pendingPayments: 1 } },
        { event: event({ ...payment, status: 'expired' }), after: { pendingPayments: 1 } },
      ];
    },
    expected: { ...none, pendingPayments: 1 },
  },
  {
    name: 'several payments: captured, partly refunded, fully refunded, charged back, failed',
    async steps({ checkout }) {
      const a = { ...(await checkout())(1000), status: 'captured' as const };
      const b = { ...(await checkout())(2000), status: 'captured' as const };
      const c = { ...(await checkout())(3000), status: 'captured' as const };
      const d = { ...(await checkout())(4000), status: 'captured' as const };
      const e = { ...(await checkout())(5000), status: 'failed' as const };
      const bPartly = refund(b, 500);
      const cFully = refund(c, 3000);
      const dCharged = refund(d, 4000, true);
      return [a, b, c, d, e]
        .map((state) => ({ event: event(state) }))
        .concat([{ event: event(bPartly, 'payment.refund.created') }, { event: event(cFully, 'payment.refunded') }, { event: event(dCharged, 'payment.updated') }]);
    },
    expected: { capturedAmount: 1000 + 1500, capturedPayments: 2, pendingPayments: 1, refundedPayments: 1 },
  },
  {
    name: 'found through metadata when the session id is absent, and through the session id alone',
    async steps({ linkId, checkout }) {
      const viaMetadata = { ...(await checkout())(700), session: null, status: 'captured' as const };
      const viaSession = { ...(await checkout())(300), metadata: {}, status: 'captured' as const };
      const withoutCheckout = { id: fixtureId('pay'), status: 'captured' as const, amount: 100, session: null, metadata: { linkId } };
      const unpaidWithoutCheckout = { id: fixtureId('pay'), status: 'failed' as const, amount: 100, session: null, metadata: { linkId } };
      return [viaMetadata, viaSession, withoutCheckout, unpaidWithoutCheckout].map((state) => ({ event: event(state) }));
    },
    expected: { ...none, capturedAmount: 1100, capturedPayments: 3, pendingPayments: 1 },
  },
];

function shuffledWithDuplicates<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const out = [...items, ...items.filter(() => random() < 0.5)];
  for (let index = out.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other]!, out[index]!];
  }
  return out;
}

async function numbers(prisma: PrismaClient, linkId: string): Promise<Numbers> {
  const { capturedAmount, capturedPayments, pendingPayments, refundedPayments } = await getLinkSummary(prisma, linkId);
  return { capturedAmount, capturedPayments, pendingPayments, refundedPayments };
}

async function setUp(prisma: PrismaClient, scenario: Scenario): Promise<{ linkId: string; steps: Step[] }> {
  const { linkId } = await seedLink(prisma);
  const context: Context = {
    linkId,
    async checkout(options) {
      const { checkoutId, sessionId } = await seedCheckout(prisma, linkId, options);
      return (amount = 1000) => ({ id: fixtureId('pay'), status: 'pending', amount, session: sessionId, metadata: { linkId, checkoutId } });
    },
  };
  return { linkId, steps: await scenario.steps(context) };
}

describe.each(await databaseKinds())('ledger scenarios on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);

  describe.each(scenarios)('$name', (scenario) => {
    it('in order: the numbers after every step', async () => {
      const { linkId, steps } = await setUp(prisma, scenario);
      for (const [index, step] of steps.entries()) {
        await deliver(prisma, step.event);
        if (step.after) expect({ step: index, ...(await numbers(prisma, linkId)) }).toMatchObject({ step: index, ...step.after });
      }
      expect(await numbers(prisma, linkId)).toEqual(scenario.expected);
    });

    it('reversed: the same end result', async () => {
      const { linkId, steps } = await setUp(prisma, scenario);
      for (const step of [...steps].reverse()) await deliver(prisma, step.event);
      expect(await numbers(prisma, linkId)).toEqual(scenario.expected);
    });

    it('shuffled with redeliveries: the same end result', async () => {
      const { linkId, steps } = await setUp(prisma, scenario);
      for (const step of shuffledWithDuplicates(steps, scenario.name.length)) await deliver(prisma, step.event);
      expect(await numbers(prisma, linkId)).toEqual(scenario.expected);
    });
  });
});
