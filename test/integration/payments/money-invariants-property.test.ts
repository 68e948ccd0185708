// Property: whatever KOMOJU and the network do, the money adds up. For random links whose card
// and konbini payments go through random lives — captured at once, or awaiting at the store and
// then paid, expired, or cancelled by the owner; charged back — refunded in full or in part
// through OUR paths (`payment:refund` with its --request-id, or the chat's refund performer with
// its dialog: the confirmation a refund stands for), repeated under the same confirmation,
// double-pressed, with KOMOJU's answer lost after it acted (the connection cut: as if we died
// right after KOMOJU acted), lost with KOMOJU then unreachable (the outcome stays unknown until
// the scheduled `refunds.outcomeCheckDue` re-read runs through the server's domain-event worker),
// or failing before it acted and retried under the same key; and whose webhooks arrive late, out
// of order and redelivered. Only the other side of the wire is fake: test/support/fake-komoju.ts
// holds KOMOJU's truth and what it did. After every run:
//   - every KOMOJU payment of the link is in the ledger once, with KOMOJU's status and refunds;
//   - refunded never exceeds what was captured, in the ledger and at KOMOJU;
//   - the link's Total Sales Summary equals the contract's definitions applied to KOMOJU's payments;
//   - no confirmation refunded twice at KOMOJU;
//   - no outcome left unknown once the scheduled re-reads ran.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineClient } from '../../../src/line/line-client.js';
import { createKomojuProvider } from '../../../src/payments/komoju/komoju-client.js';
import { cancelPayment } from '../../../src/payments/refund-payment.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { refundPerformers } from '../../../src/refunds/perform-effects.js';
import { createLogger } from '../../../src/logger.js';
import { runAdminInProcess } from '../../support/admin-cli.js';
import { fixtureId, seedLink } from '../../support/buyer-fixtures.js';
import { databaseKinds } from '../../support/databases.js';
import type { FakeKomojuEvent, FakeKomojuPayment } from '../../support/fake-komoju.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_invariants_0123456789';
const WEBHOOK_SECRET = 'whsec_invariants_0123456789';
const REFUND_PATH = /^\/api\/v1\/payments\/[^/]+\/refund$/;
const CANCEL_PATH = /^\/api\/v1\/payments\/[^/]+\/cancel$/;
// Runs per database: the file stays under a minute on a quiet CI machine (each run logs its time).
// MONEY_PROPERTY_RUNS=200 explores deeper locally.
const NUM_RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? 12);

/**
 * What happens to one call to KOMOJU: nothing odd; its answer lost once (the client's retry under
 * the same key gets KOMOJU's first answer); lost for good after KOMOJU acted (the read right after
 * decides); lost for good and KOMOJU unreachable for the read (unknown until the scheduled
 * re-read); KOMOJU failing before acting once (the retry under the same key acts), or every time
 * (nothing done, but a 5xx does not say so: unknown until re-read).
 */
type Fault = 'none' | 'lostOnce' | 'lost' | 'lostUnread' | 'failedBefore' | 'failedThrice';

interface PaymentPlan {
  method: 'card' | 'konbini';
  amount: number;
  tax: number;
  /** The refund decisions the owner may confirm for it: null = all that is left, else a share of the total. */
  confirmations: (number | null)[];
  /** Its first webhook arrived before anything else happened (else it is one of the late ones). */
  announced: boolean;
}

type Step =
  | { kind: 'refund'; payment: number; confirmation: number; via: 'cli' | 'chat'; fault: Fault; doubleTap: boolean }
  | { kind: 'cancel'; payment: number; fault: Fault }
  | { kind: 'komoju'; payment: number; action: 'capture' | 'expire' | 'chargeback' }
  | { kind: 'deliver'; pick: number; redeliverLater: boolean }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'outcomeCheck' };

const fault: fc.Arbitrary<Fault> = fc.constantFrom<Fault>('none', 'none', 'none', 'none', 'lostOnce', 'lost', 'lostUnread', 'failedBefore', 'failedThrice');

const paymentPlan: fc.Arbitrary<PaymentPlan> = fc.record({
  method: fc.constantFrom<PaymentPlan['method']>('card', 'card', 'konbini'),
  amount: fc.integer({ min: 100, max: 50_000 }),
  tax: fc.constantFrom(0, 0, 80),
  confirmations: fc.array(fc.option(fc.double({ min: 0.05, max: 0.7, noNaN: true }), { nil: null, freq: 2 }), { minLength: 1, maxLength: 3 }),
  announced: fc.integer({ min: 1, max: 5 }).map((draw) => draw > 1),
});

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('refund' as const), payment: fc.nat(), confirmation: fc.nat(), via: fc.constantFrom<'cli' | 'chat'>('cli', 'chat'), fault, doubleTap: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), payment: fc.nat(), fault }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('komoju' as const), payment: fc.nat(), action: fc.constantFrom<'capture' | 'expire' | 'chargeback'>('capture', 'capture', 'expire', 'chargeback') }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), redeliverLater: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outcomeCheck' as const) }) },
);

const scenario = fc.record({ payments: fc.array(paymentPlan, { minLength: 1, maxLength: 3 }), steps: fc.array(step, { minLength: 3, maxLength: 16 }) });

/** The contract's four numbers from KOMOJU's own payments (a charged-back one counts in none). */
function summaryOfKomoju(payments: FakeKomojuPayment[]) {
  const result = { capturedAmount: 0, capturedPayments: 0, pendingPayments: 0, refundedPayments: 0 };
  for (const payment of payments) {
    if (payment.status !== 'captured' && payment.status !== 'refunded') result.pendingPayments += 1;
    else if (payment.refunds.some((refund) => refund.chargeback)) continue;
    else if (payment.status === 'refunded' || payment.amount_refunded >= payment.total) result.refundedPayments += 1;
    else {
      result.capturedPayments += 1;
      result.capturedAmount += payment.total - payment.amount_refunded;
    }
  }
  return result;
}

/** The webhook KOMOJU sends for a change from `before` to `after` (null: nothing to tell). */
function eventTypeFor(before: FakeKomojuPayment | null, after: FakeKomojuPayment): string | null {
  if (before === null || before.status !== after.status) {
    return after.status === 'pending' ? 'payment.updated' : after.status === 'refunded' ? 'payment.refunded' : `payment.${after.status}`;
  }
  return after.refunds.length > before.refunds.length ? 'payment.refund.created' : null;
}

describe.each(await databaseKinds())('money invariants under redelivery, reordering, retries and lost answers on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url },
  }));

  const provider = () => createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url });
  const deliver = async (event: FakeKomojuEvent) => expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, event, WEBHOOK_SECRET)).toBe(200);

  /** Arms the fake for the next call of POST `path`. */
  function arm(what: Fault, path: RegExp): void {
    if (what === 'lostOnce') fake.loseAnswer({ method: 'POST', path, count: 1 });
    if (what === 'lost') fake.loseAnswer({ method: 'POST', path, count: 3 });
    if (what === 'lostUnread') fake.loseAnswer({ method: 'POST', path, count: 3, thenUnreachable: 3 });
    if (what === 'failedBefore' || what === 'failedThrice') fake.failNext(what === 'failedBefore' ? 1 : 3, 503, undefined, 'POST');
  }

  it(
    'every payment once, refunds within captures, the summary equals KOMOJU, nothing made twice',
    async () => {
      const started = Date.now();
      const exitCodes = new Map<number, number>();
      let refundsMade = 0;
      await fc.assert(
        fc.asyncProperty(scenario, fc.gen(), async ({ payments: plans, steps }, draw) => {
          const link = await seedLink(prisma, { amount: 1000, notices: false });
          const ids: string[] = [];
          for (const plan of plans) {
            const session = await provider().createSession({
              amount: plan.amount,
              currency: 'JPY',
              locale: 'en',
              returnUrl: 'http://127.0.0.1:1/return',
              lineItem: { description: 'Tea', amount: plan.amount, quantity: 1 },
              metadata: { linkId: link.linkId },
              idempotencyKey: fixtureId('chk'),
            });
            const payment = fake.completeSession(session.id, plan.method === 'card' ? 'captured' : 'authorized', { tax: plan.tax });
            ids.push(payment.id);
          }
          const known = new Map<string, FakeKomojuPayment | null>(ids.map((id) => [id, null]));
          const pending: FakeKomojuEvent[] = [];
          const delivered: FakeKomojuEvent[] = [];
          /** Queues the webhook KOMOJU sends for each change it made since the last look. */
          const observe = () => {
            for (const id of ids) {
              const now = fake.payment(id);
              const type = eventTypeFor(known.get(id) ?? null, now);
              if (type !== null) pending.push(fake.event(type, id));
              known.set(id, now);
            }
          };
          observe();
          for (const [index, event] of [...pending.entries()].reverse()) {
            if (!plans[index]!.announced) continue;
            pending.splice(index, 1);
            await deliver(event);
            delivered.push(event);
          }
          // The confirmations each payment was refunded under ("cli 0", "chat 1": its own --request-id or dialog).
          const confirmed = plans.map(() => new Set<string>());
          // What a chat dialog showed and the owner confirmed: "all" is the amount left when it asked.
          const dialogAmounts = new Map<string, number>();

          const refund = async (index: number, confirmation: number, via: 'cli' | 'chat') => {
            const share = plans[index]!.confirmations[confirmation]!;
            const payment = fake.payment(ids[index]!);
            const amount = share === null ? null : Math.max(1, Math.floor(payment.total * share));
            if (via === 'chat') {
              const dialogId = `dialog-${index}-${confirmation}`;
              const confirmedAmount = dialogAmounts.get(dialogId) ?? amount ?? payment.total - payment.amount_refunded;
              dialogAmounts.set(dialogId, confirmedAmount);
              const env = {
                prisma,
                line: createLineClient(harness.config.line),
                config: harness.config,
                log: createLogger('silent'),
                userId: link.creatorId,
                idempotencyKey: dialogId,
                paymentMethods: () => Promise.resolve(null),
              };
              await refundPerformers['refunds.refund']({ type: 'refunds.refund', merchantId: link.merchantId, paymentId: payment.id, amount: confirmedAmount, dialogId }, env);
              return;
            }
            const flags: Record<string, string> = { payment: payment.id, 'request-id': `confirm-${confirmation}` };
            if (amount !== null) flags.amount = String(amount);
            const { outcome } = await runAdminInProcess('payment:refund', flags, { config: harness.config, db: database.db });
            exitCodes.set(outcome.exitCode, (exitCodes.get(outcome.exitCode) ?? 0) + 1);
          };

          for (const action of steps) {
            if (action.kind === 'refund') {
              const index = action.payment % ids.length;
              const confirmation = action.confirmation % plans[index]!.confirmations.length;
              confirmed[index]!.add(`${action.via} ${confirmation}`);
              arm(action.fault, REFUND_PATH);
              const once = () => refund(index, confirmation, action.via);
              await (action.doubleTap ? Promise.all([once(), once()]) : once());
            } else if (action.kind === 'cancel') {
              arm(action.fault, CANCEL_PATH);
              await cancelPayment({ prisma, config: harness.config, log: createLogger('silent') }, { paymentId: ids[action.payment % ids.length]! });
            } else if (action.kind === 'komoju') {
              const id = ids[action.payment % ids.length]!;
              const status = fake.payment(id).status;
              if (action.action === 'capture' && status === 'authorized') fake.capture(id);
              if (action.action === 'expire' && (status === 'authorized' || status === 'pending')) fake.expire(id);
              // The buyer's card issuer takes back all that is left.
              const left = fake.payment(id).total - fake.payment(id).amount_refunded;
              if (action.action === 'chargeback' && status === 'captured' && left > 0) fake.refund(id, left, { chargeback: true });
            } else if (action.kind === 'deliver' && pending.length > 0) {
              const [event] = pending.splice(action.pick % pending.length, 1);
              await deliver(event!);
              if (action.redeliverLater) delivered.push(event!);
            } else if (action.kind === 'redeliver' && delivered.length > 0) {
              await deliver(delivered[action.pick % delivered.length]!);
            } else if (action.kind === 'outcomeCheck') {
              await runOutcomeChecks();
            }
            // Faults a step did not use (its call was refused before reaching KOMOJU) end with it.
            fake.clearInjections();
            observe();
          }

          // KOMOJU keeps redelivering until acknowledged, and the scheduled re-reads come due.
          await runOutcomeChecks();
          observe();
          for (const event of draw(fc.shuffledSubarray, [...pending, ...delivered], { minLength: pending.length + delivered.length })) await deliver(event);
          await harness.server.events.idle();

          const komoju = ids.map((id) => fake.payment(id));
          // The refunds KOMOJU made at our request (a chargeback is the card issuer's).
          const made = komoju.map((payment) => payment.refunds.filter((refund) => !refund.chargeback).length);
          refundsMade += made.reduce((sum, count) => sum + count, 0);
          const ledger = await prisma.payment.findMany({ where: { linkId: link.linkId }, include: { refunds: true } });
          // Every KOMOJU payment once, as KOMOJU has it.
          expect(ledger.map((row) => row.id).sort()).toEqual([...ids].sort());
          for (const payment of komoju) {
            const row = ledger.find((candidate) => candidate.id === payment.id)!;
            expect({ status: row.status, amountRefunded: row.amountRefunded, total: row.total }).toEqual({ status: payment.status, amountRefunded: payment.amount_refunded, total: payment.total });
            expect(row.refunds.map((stored) => stored.id).sort()).toEqual(payment.refunds.map((made) => made.id).sort());
            // Refunded never exceeds captured.
            expect(row.amountRefunded).toBeLessThanOrEqual(row.total ?? row.amount);
            expect(payment.amount_refunded).toBeLessThanOrEqual(payment.status === 'captured' || payment.status === 'refunded' ? payment.total : 0);
          }
          // No confirmation refunded twice (a payment cannot be cancelled twice at KOMOJU: cancelled is final).
          made.forEach((count, index) => expect(count).toBeLessThanOrEqual(confirmed[index]!.size));
          // Nothing left unknown once the re-reads ran.
          const open = await prisma.moneyBackAttempt.count({ where: { paymentId: { in: ids }, outcome: { in: ['sending', 'unknown'] } } });
          expect(open).toBe(0);
          const { capturedAmount, capturedPayments, pendingPayments, refundedPayments } = await getLinkSummary(prisma, link.linkId);
          expect({ capturedAmount, capturedPayments, pendingPayments, refundedPayments }).toEqual(summaryOfKomoju(komoju));
        }),
        { numRuns: NUM_RUNS },
      );
      // payment:refund's exit codes: 0 done, 1 provider refusal, 2 refused, 3 not in the ledger yet, 4 unknown.
      console.info(`money invariants on ${kind}: ${NUM_RUNS} runs in ${Date.now() - started} ms, ${refundsMade} refunds made; payment:refund exit codes`, Object.fromEntries(exitCodes));
      // Not vacuous: refunds were made.
      expect(refundsMade).toBeGreaterThan(0);
    },
    Math.max(120_000, NUM_RUNS * 10_000),
  );

  /** The scheduled re-reads of unknown outcomes, due now, run by the server's domain-event worker. */
  async function runOutcomeChecks(): Promise<void> {
    await prisma.domainEvent.updateMany({ where: { type: 'refunds.outcomeCheckDue', status: 'pending' }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await harness.server.events.idle();
  }
});
