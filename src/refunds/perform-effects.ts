import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../db/database.js';
import type { EffectEnv, Performers } from '../effect-env.js';
import { membershipOf } from '../merchants/authorization.js';
import { listTransactions } from '../payments/list-transactions.js';
import { ledgerState } from '../payments/payment-status.js';
import { attemptVisible, decideByReading, findAttempt, isDefiniteRefusal, knownIds, recordAttempt, settleAttempt } from '../payments/money-back-attempts.js';
import { ProviderError, type PaymentSnapshot } from '../payments/provider.js';
import { cancelPayment, findLedgerPayment, needsRefundRequest, providerForPayment, refundPayment, type MoneyBackRefusal } from '../payments/refund-payment.js';
import type { RefundEffect, RefundEffectResult, RefundPaymentView, RefundRefusal, RefundRequestFields } from './effects.js';
import { checkRefundRequestFields } from './refund-request-fields.js';

/**
 * Bank refund request statuses that no longer hold money back: failed to send, declined by KOMOJU,
 * or completed (KOMOJU then counts the money in the payment's refunded amount). Every other status
 * (ours: sending, unknown, requested; KOMOJU's pending and any it adds) still holds it.
 */
const SETTLED_REQUEST_STATUSES = ['failed', 'notDone', 'declined', 'rejected', 'cancelled', 'canceled', 'completed', 'refunded'];

/** What the payment's open bank refund requests hold back (fee included where asked), `except` one key. */
async function openRequests(prisma: Pick<Prisma, 'refundRequest'>, paymentId: string, paymentMethodFee: number, except?: string): Promise<{ held: number; feeRequested: boolean }> {
  const rows = await prisma.refundRequest.findMany({
    where: { paymentId, status: { notIn: SETTLED_REQUEST_STATUSES }, ...(except ? { idempotencyKey: { not: except } } : {}) },
    select: { amount: true, includePaymentMethodFee: true },
  });
  const feeRequested = rows.some((row) => row.includePaymentMethodFee);
  return { held: rows.reduce((sum, row) => sum + row.amount + (row.includePaymentMethodFee ? paymentMethodFee : 0), 0), feeRequested };
}

/** Payments of one transactions page the owner may act on. */
const LIST_PAGE_SIZE = 10;

const refused = (refusal: RefundRefusal): RefundEffectResult => ({ type: 'refunds.refused', ...refusal });

/** The payment as the dialogs show it, only when it was paid through one of `merchantId`'s links. */
async function loadPaymentView(prisma: Prisma, paymentId: string, merchantId: string): Promise<RefundPaymentView | null> {
  const row = await prisma.payment.findUnique({
    where: { id: paymentId },
    include: { link: { select: { id: true, merchantId: true, productName: true, testMode: true } }, refunds: { select: { amount: true, chargeback: true } } },
  });
  if (!row?.link || row.link.merchantId !== merchantId) return null;
  const refundedAmount = Math.max(
    row.amountRefunded,
    row.refunds.reduce((sum, refund) => sum + refund.amount, 0),
  );
  const chargeback = row.refunds.some((refund) => refund.chargeback);
  const total = row.total ?? row.amount;
  const open = await openRequests(prisma, row.id, row.paymentMethodFee);
  return {
    id: row.id,
    linkId: row.link.id,
    productName: row.link.productName,
    currency: row.currency,
    amount: row.amount,
    total,
    paymentMethodFee: row.paymentMethodFee,
    refundedAmount,
    left: Math.max(0, total - refundedAmount),
    pendingRequested: open.held,
    feeRequested: open.feeRequested,
    status: row.status,
    state: ledgerState({ status: row.status, capturedAt: row.capturedAt, amount: total, refundedAmount, chargeback }),
    paymentMethod: row.paymentMethod,
    paidAt: (row.capturedAt ?? row.createdAt).toISOString(),
    paymentDeadline: row.paymentDeadline?.toISOString() ?? null,
    byRequest: needsRefundRequest(row.paymentMethod),
    testMode: row.link.testMode,
  };
}

function fromMoneyBack(refusal: MoneyBackRefusal): RefundEffectResult {
  switch (refusal.reason) {
    case 'notFound':
    case 'alreadyRefunded':
    case 'needsRefundRequest':
      return refused({ reason: refusal.reason });
    case 'notCaptured':
    case 'notCancellable':
      return refused({ reason: refusal.reason, status: refusal.status });
    case 'tooMuch':
      return refused({ reason: 'tooMuch', left: refusal.left, currency: refusal.currency });
    case 'provider':
      return refused({ reason: 'provider', message: refusal.message });
    case 'unknown':
      throw new Error('an unknown outcome is answered by its performer');
  }
}

type RefundPerformer<T extends RefundEffect['type']> = (effect: Extract<RefundEffect, { type: T }>, env: EffectEnv) => Promise<RefundEffectResult>;

/** Only the shop's owner gives money back: checked again here, whatever button was pressed. */
function forOwner<T extends RefundEffect['type']>(perform: RefundPerformer<T>): RefundPerformer<T> {
  return async (effect, env) => {
    const membership = await membershipOf(env.prisma, env.userId, effect.merchantId);
    if (!membership) return refused({ reason: 'notMember' });
    if (membership.role !== 'owner') return refused({ reason: 'notOwner' });
    return perform(effect, env);
  };
}

/** One request per confirmation: the dialog and the payment name it. */
function requestKey(dialogId: string, paymentId: string): string {
  return `refund-request-${createHash('sha256').update(`${dialogId}\n${paymentId}`).digest('hex').slice(0, 40)}`;
}

export const refundPerformers: Performers<RefundEffect, RefundEffectResult> = {
  'refunds.listPayments': forOwner(async (effect, env) => {
    const link = await env.prisma.link.findFirst({ where: { id: effect.linkId, merchantId: effect.merchantId }, select: { id: true, productName: true } });
    if (!link) return refused({ reason: 'notFound' });
    const page = Math.max(1, Math.floor(effect.page));
    const listed = await listTransactions(env.prisma, link.id, { page, pageSize: LIST_PAGE_SIZE });
    const views = await Promise.all(listed.items.map((item) => loadPaymentView(env.prisma, item.paymentId, effect.merchantId)));
    const payments = views.filter(
      (view): view is RefundPaymentView => view !== null && (view.state === 'awaiting' || (view.left > 0 && (view.state === 'captured' || view.state === 'partially_refunded'))),
    );
    return { type: 'refunds.paymentsListed', linkId: link.id, page, productName: link.productName, payments };
  }),
  'refunds.loadPayment': forOwner(async (effect, env) => {
    const payment = await loadPaymentView(env.prisma, effect.paymentId, effect.merchantId);
    if (!payment) return refused({ reason: 'notFound' });
    return { type: 'refunds.paymentLoaded', purpose: effect.purpose, payment };
  }),
  'refunds.refund': forOwner(async (effect, env) => {
    const before = await loadPaymentView(env.prisma, effect.paymentId, effect.merchantId);
    if (!before) return refused({ reason: 'notFound' });
    // Keyed on the confirmation (its dialog id, carried by the button), the payment and the
    // amount: a retried or re-run effect reads what the first run did instead of refunding again.
    const outcome = await refundPayment(env, { paymentId: effect.paymentId, amount: effect.amount, merchantId: effect.merchantId, confirmation: effect.dialogId, requestedBy: env.userId });
    if (!outcome.ok && outcome.reason === 'unknown') return { type: 'refunds.unknown', what: 'refund', payment: before, amount: effect.amount };
    if (!outcome.ok) return fromMoneyBack(outcome);
    const refundedAmount = outcome.payment.amountRefunded;
    return {
      type: 'refunds.refunded',
      payment: { ...before, refundedAmount, left: Math.max(0, outcome.payment.total - refundedAmount), status: outcome.payment.status },
      amount: outcome.amount,
      full: outcome.full,
    };
  }),
  'refunds.cancel': forOwner(async (effect, env) => {
    const before = await loadPaymentView(env.prisma, effect.paymentId, effect.merchantId);
    if (!before) return refused({ reason: 'notFound' });
    const outcome = await cancelPayment(env, { paymentId: effect.paymentId, merchantId: effect.merchantId, requestedBy: env.userId });
    if (!outcome.ok && outcome.reason === 'unknown') return { type: 'refunds.unknown', what: 'cancel', payment: before, amount: before.total };
    if (!outcome.ok) return fromMoneyBack(outcome);
    return { type: 'refunds.cancelled', payment: { ...before, status: outcome.payment.status } };
  }),
  'refunds.request': forOwner(async (effect, env) => {
    const { prisma } = env;
    const view = await loadPaymentView(prisma, effect.paymentId, effect.merchantId);
    const ledger = await findLedgerPayment(prisma, effect.paymentId, effect.merchantId);
    if (!view || !ledger) return refused({ reason: 'notFound' });
    const fields = checkRefundRequestFields(effect.fields);
    if (!fields) return refused({ reason: 'notFound' });
    const provider = await providerForPayment(env, ledger);
    if (!provider) return refused({ reason: 'notFound' });
    const idempotencyKey = requestKey(effect.dialogId, effect.paymentId);
    const requested: RefundEffectResult = { type: 'refunds.requested', payment: view, amount: fields.amount };
    const setStatus = (status: string) => prisma.refundRequest.updateMany({ where: { idempotencyKey }, data: { status } });

    let current: PaymentSnapshot;
    try {
      current = await provider.getPayment(ledger.id);
    } catch (error) {
      if (error instanceof ProviderError) return refused({ reason: 'provider', message: error.message });
      throw error;
    }
    let attempt = await findAttempt(prisma, idempotencyKey);
    if (attempt && (attempt.outcome === 'sending' || attempt.outcome === 'unknown' || attempt.outcome === 'done')) {
      // The same confirmation again (a retry after a crash or a lost answer): what did the first do?
      if (attempt.outcome === 'done' || attemptVisible(attempt, current)) {
        await settleAttempt(prisma, attempt.id, 'done');
        await prisma.refundRequest.updateMany({ where: { idempotencyKey, status: { in: ['sending', 'unknown'] } }, data: { status: 'requested' } });
        return requested;
      }
    } else {
      if (current.status === 'refunded') return refused({ reason: 'alreadyRefunded' });
      if (current.status !== 'captured') return refused({ reason: 'notCaptured', status: current.status });
      const decided = await holdRequest(prisma, { ledgerId: ledger.id, merchantId: effect.merchantId, userId: env.userId, currency: view.currency, current, fields, idempotencyKey });
      if (!decided.ok) return refused({ reason: 'tooMuch', left: decided.left, currency: current.currency });
      attempt = {
        id: idempotencyKey,
        kind: 'request',
        paymentId: ledger.id,
        merchantId: effect.merchantId,
        requestedBy: env.userId,
        amount: fields.amount,
        knownBefore: knownIds('request', current),
        outcome: 'sending',
      };
      await recordAttempt(prisma, attempt);
    }
    try {
      await provider.requestRefund(ledger.id, { ...fields, idempotencyKey });
    } catch (error) {
      if (isDefiniteRefusal(error)) {
        await settleAttempt(prisma, attempt.id, 'refused');
        await setStatus('failed');
        return refused({ reason: 'provider', message: (error as Error).message });
      }
      if (!(error instanceof ProviderError)) throw error;
      const decided = await decideByReading(env, provider, attempt, error);
      if (!decided.done) {
        await setStatus('unknown');
        return { type: 'refunds.unknown', what: 'request', payment: view, amount: fields.amount };
      }
    }
    await settleAttempt(prisma, attempt.id, 'done');
    await setStatus('requested');
    env.log.info({ paymentId: ledger.id, amount: fields.amount }, 'refund request filed with the provider');
    return requested;
  }),
};

/**
 * Records the request as sending before KOMOJU is asked, if what it gives back (amount, and the
 * payment-method fee when asked for) fits in what is left after refunds and the other open
 * requests. Decided under a lock on the payment's row, so two dialogs asking at once cannot both
 * take what is left.
 */
async function holdRequest(
  prisma: Prisma,
  request: { ledgerId: string; merchantId: string; userId: string; currency: string; current: PaymentSnapshot; fields: RefundRequestFields; idempotencyKey: string },
): Promise<{ ok: true } | { ok: false; left: number }> {
  const { current, fields } = request;
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Payment" WHERE "id" = ${request.ledgerId} FOR UPDATE`;
    const open = await openRequests(tx, request.ledgerId, current.paymentMethodFee, request.idempotencyKey);
    const includeFee = fields.includePaymentMethodFee && !open.feeRequested;
    const fee = includeFee ? current.paymentMethodFee : 0;
    const available = current.total - current.amountRefunded - open.held;
    if (fields.amount + fee > available) return { ok: false as const, left: Math.max(0, available - fee) };
    await tx.refundRequest.upsert({
      where: { idempotencyKey: request.idempotencyKey },
      create: {
        id: `rrq_${randomBytes(12).toString('hex')}`,
        paymentId: request.ledgerId,
        merchantId: request.merchantId,
        requestedBy: request.userId,
        amount: fields.amount,
        currency: request.currency,
        includePaymentMethodFee: includeFee,
        idempotencyKey: request.idempotencyKey,
        status: 'sending',
      },
      update: { status: 'sending', amount: fields.amount, includePaymentMethodFee: includeFee },
    });
    return { ok: true as const };
  });
}
