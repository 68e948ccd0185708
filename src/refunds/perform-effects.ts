import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../db/database.js';
import type { EffectEnv, Performers } from '../effect-env.js';
import { membershipOf } from '../merchants/authorization.js';
import { listTransactions } from '../payments/list-transactions.js';
import { ledgerState } from '../payments/payment-status.js';
import { ProviderError } from '../payments/provider.js';
import {
  cancelPayment,
  findLedgerPayment,
  needsRefundRequest,
  providerForPayment,
  refundPayment,
  type MoneyBackRefusal,
} from '../payments/refund-payment.js';
import type { RefundEffect, RefundEffectResult, RefundPaymentView, RefundRefusal } from './effects.js';
import { checkRefundRequestFields } from './refund-request-fields.js';

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
  const refundedAmount = Math.max(row.amountRefunded, row.refunds.reduce((sum, refund) => sum + refund.amount, 0));
  const chargeback = row.refunds.some((refund) => refund.chargeback);
  const total = row.total ?? row.amount;
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
    const payments = views.filter((view): view is RefundPaymentView => view !== null && (view.state === 'awaiting' || (view.left > 0 && (view.state === 'captured' || view.state === 'partially_refunded'))));
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
    const outcome = await refundPayment(env, { paymentId: effect.paymentId, amount: effect.amount, merchantId: effect.merchantId, scope: effect.dialogId });
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
    const outcome = await cancelPayment(env, { paymentId: effect.paymentId, merchantId: effect.merchantId });
    if (!outcome.ok) return fromMoneyBack(outcome);
    return { type: 'refunds.cancelled', payment: { ...before, status: outcome.payment.status } };
  }),
  'refunds.request': forOwner(async (effect, env) => {
    const { prisma } = env;
    const view = await loadPaymentView(prisma, effect.paymentId, effect.merchantId);
    const ledger = await findLedgerPayment(prisma, effect.paymentId, effect.merchantId);
    if (!view || !ledger) return refused({ reason: 'notFound' });
    const idempotencyKey = requestKey(effect.dialogId, effect.paymentId);
    if (await prisma.refundRequest.findUnique({ where: { idempotencyKey } })) return refused({ reason: 'alreadyRequested' });
    const fields = checkRefundRequestFields(effect.fields);
    if (!fields) return refused({ reason: 'notFound' });
    const provider = await providerForPayment(env, ledger);
    if (!provider) return refused({ reason: 'notFound' });
    try {
      const current = await provider.getPayment(ledger.id);
      if (current.status === 'refunded') return refused({ reason: 'alreadyRefunded' });
      if (current.status !== 'captured') return refused({ reason: 'notCaptured', status: current.status });
      const left = current.total - current.amountRefunded;
      if (fields.amount > left) return refused({ reason: 'tooMuch', left, currency: current.currency });
      await provider.requestRefund(ledger.id, { ...fields, idempotencyKey });
    } catch (error) {
      if (error instanceof ProviderError) return refused({ reason: 'provider', message: error.message });
      throw error;
    }
    await prisma.refundRequest.createMany({
      data: [
        {
          id: `rrq_${randomBytes(12).toString('hex')}`,
          paymentId: ledger.id,
          merchantId: effect.merchantId,
          requestedBy: env.userId,
          amount: fields.amount,
          currency: view.currency,
          includePaymentMethodFee: fields.includePaymentMethodFee,
          idempotencyKey,
        },
      ],
      skipDuplicates: true,
    });
    env.log.info({ paymentId: ledger.id, amount: fields.amount }, 'refund request filed with the provider');
    return { type: 'refunds.requested', payment: view, amount: fields.amount };
  }),
};
