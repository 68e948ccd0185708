// What we asked the provider to give back, recorded before the call (MoneyBackAttempt), and how an
// outcome we did not hear is decided: by reading the payment at the provider, never by asking
// again under a new key. Shared by refund-payment.ts (refunds, cancels) and the refund request
// performer (src/refunds/perform-effects.ts).
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';
import { recordDomainEvents } from '../events/domain-events.js';
import { ProviderError } from './provider.js';
import type { PaymentProvider, PaymentSnapshot } from './provider.js';

export type MoneyBackKind = 'refund' | 'cancel' | 'request';
export type AttemptOutcome = 'sending' | 'done' | 'refused' | 'unknown' | 'notDone';

export interface MoneyBackAttempt {
  id: string;
  kind: MoneyBackKind;
  paymentId: string;
  merchantId: string | null;
  requestedBy: string | null;
  amount: number | null;
  knownBefore: string[];
  outcome: AttemptOutcome;
}

/** How long after a lost answer the provider is read again (its own processing ends long before). */
const OUTCOME_CHECK_AFTER_MS = 2 * 60 * 1000;

export async function findAttempt(prisma: Prisma, id: string): Promise<MoneyBackAttempt | null> {
  const row = await prisma.moneyBackAttempt.findUnique({ where: { id } });
  if (!row) return null;
  return {
    id: row.id,
    kind: row.kind as MoneyBackKind,
    paymentId: row.paymentId,
    merchantId: row.merchantId,
    requestedBy: row.requestedBy,
    amount: row.amount,
    knownBefore: Array.isArray(row.knownBefore) ? row.knownBefore.filter((id): id is string => typeof id === 'string') : [],
    outcome: row.outcome as AttemptOutcome,
  };
}

/** Records (or re-arms, after a refusal) the attempt before its provider call. */
export async function recordAttempt(prisma: Prisma, attempt: Omit<MoneyBackAttempt, 'outcome'>): Promise<void> {
  const data = { ...attempt, outcome: 'sending', resolvedAt: null };
  await prisma.moneyBackAttempt.upsert({ where: { id: attempt.id }, create: data, update: data });
}

export async function settleAttempt(prisma: Prisma, id: string, outcome: Exclude<AttemptOutcome, 'sending' | 'unknown'>): Promise<void> {
  await prisma.moneyBackAttempt.updateMany({ where: { id }, data: { outcome, resolvedAt: new Date() } });
}

/** Marks the outcome unknown and schedules the read that will decide it (and tell the merchant). */
async function markUnknown(prisma: Prisma, attempt: Pick<MoneyBackAttempt, 'id' | 'paymentId' | 'merchantId'>, now = new Date()): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.moneyBackAttempt.updateMany({ where: { id: attempt.id, outcome: { in: ['sending', 'unknown'] } }, data: { outcome: 'unknown' } });
    await recordDomainEvents(tx, [
      {
        type: 'refunds.outcomeCheckDue',
        dedupeKey: `refunds.outcomeCheckDue:${attempt.id}`,
        subjectId: attempt.paymentId,
        merchantId: attempt.merchantId,
        payload: { attemptId: attempt.id },
        notBefore: new Date(now.getTime() + OUTCOME_CHECK_AFTER_MS),
      },
    ]);
  });
}

/**
 * The provider refused the request itself (a 4xx other than 409): nothing was done. Anything else
 * (no answer, a timeout, a 5xx, a 409 while the first call is still running, an answer we could
 * not read) leaves the outcome unknown.
 */
export function isDefiniteRefusal(error: unknown): boolean {
  return error instanceof ProviderError && error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 409;
}

/** What the payment, as the provider has it now, says the attempt did: done, or not (yet) visible. */
export function attemptVisible(attempt: Pick<MoneyBackAttempt, 'kind' | 'amount' | 'knownBefore'>, payment: PaymentSnapshot): boolean {
  const before = new Set(attempt.knownBefore);
  switch (attempt.kind) {
    case 'refund':
      return payment.refunds.some((refund) => !before.has(refund.id) && !refund.chargeback && refund.amount === attempt.amount);
    case 'request':
      return (payment.refundRequests ?? []).some((request) => !before.has(request.id));
    case 'cancel':
      return payment.status === 'cancelled';
  }
}

/** The ids `attemptVisible` compares against, read before the call. */
export function knownIds(kind: MoneyBackKind, payment: PaymentSnapshot): string[] {
  if (kind === 'refund') return payment.refunds.map((refund) => refund.id);
  if (kind === 'request') return (payment.refundRequests ?? []).map((request) => request.id);
  return [];
}

/**
 * After a call whose answer we did not get: reads the payment; the attempt visible → done, else
 * the outcome stays unknown and a later read is scheduled (never a second call under another key).
 */
export async function decideByReading(
  deps: { prisma: Prisma; log: Logger },
  provider: PaymentProvider,
  attempt: MoneyBackAttempt,
  lost: unknown,
): Promise<{ done: true; payment: PaymentSnapshot } | { done: false; message: string }> {
  let payment: PaymentSnapshot | null = null;
  try {
    payment = await provider.getPayment(attempt.paymentId);
  } catch (error) {
    deps.log.warn({ paymentId: attempt.paymentId, err: error }, 'could not read the payment after a lost answer');
  }
  if (payment && attemptVisible(attempt, payment)) {
    await settleAttempt(deps.prisma, attempt.id, 'done');
    return { done: true, payment };
  }
  await markUnknown(deps.prisma, attempt);
  deps.log.warn({ paymentId: attempt.paymentId, kind: attempt.kind, attemptId: attempt.id }, 'provider answer lost; outcome unknown until read again');
  return { done: false, message: lost instanceof Error ? lost.message : String(lost) };
}
