// Tells a link's creator that money came in: product, amount and the link's new captured total,
// plus a line when this payment filled the link's usage limit. Sent at most once per payment:
// Payment.noticeSentAt is claimed before the push, and the push carries an X-Line-Retry-Key
// derived from the payment, so a retried push is not delivered twice either.
// A payment that awaits payment (konbini, bank transfer, Pay-easy: authorized, not captured) gets
// its own notice with the deadline, once (awaitingNoticeSentAt); if it then expires unpaid, the
// creator is told that too, once (expiredNoticeSentAt). Paid later, it gets the capture notice.
import type { LineBotClient, messagingApi } from '@line/bot-sdk';
import type { Prisma } from '../db/database.js';
import { isLanguage, translator } from '../i18n/i18n.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import { pushOnce, retryKeyFor } from '../line/line-client.js';
import type { Logger } from '../logger.js';
import { buyerDetailLines, readStoredBuyerDetails } from '../links/buyer-fields.js';
import { ledgerState, namedPaymentMethod, wasCaptured } from './payment-status.js';
import { getLinkSummary } from './summary.js';
import { readBillingInterval } from '../links/billing.js';
import type { Language } from '../i18n/i18n.js';

/**
 * A subscription's payment: its first ("new subscription") or its n-th ("renewed"), n counting
 * the subscription's payments captured up to this one.
 */
async function subscriptionPaymentText(
  prisma: Prisma,
  payment: { id: string; capturedAt: Date | null; subscription: { id: string; interval: string } },
  values: { product: string; amount: string; total: string },
  language: Language,
): Promise<string> {
  const t = translator(language, 'pages');
  const capturedAt = payment.capturedAt ?? new Date();
  const count = await prisma.payment.count({
    where: {
      subscriptionId: payment.subscription.id,
      capturedAt: { not: null },
      OR: [{ capturedAt: { lt: capturedAt } }, { capturedAt, id: { lte: payment.id } }],
    },
  });
  if (count > 1) return t('notice.renewed', { ...values, count });
  const every = t(`subscription.every.${readBillingInterval(payment.subscription.interval) ?? 'month'}`, { price: values.amount });
  return t('notice.subscribed', { ...values, every });
}
import { choiceLines, readCheckoutChoices } from './checkout-choices.js';

export interface NoticeDeps {
  prisma: Prisma;
  line: LineBotClient;
  log: Logger;
}

export type NoticeOutcome = 'sent' | 'already_sent' | 'not_captured' | 'notices_off' | 'no_recipient' | 'failed';

/**
 * Whether this payment is the one that filled the link's usage limit: the limit-th of the link's
 * counted payments (captured, not fully refunded, not charged back — as the summary counts them)
 * in capture order. Exactly one payment holds that place, so the news goes out once however many
 * over-limit payments follow; a refund that reopens the link lets a later capture fill it again.
 */
async function filledUsageLimit(prisma: Prisma, payment: { id: string; linkId: string; capturedAt: Date | null }, usageLimit: number): Promise<boolean> {
  const { capturedAt } = payment;
  if (capturedAt === null) return false;
  const capturedUpToThis = await prisma.payment.findMany({
    where: {
      linkId: payment.linkId,
      OR: [{ capturedAt: { lt: capturedAt } }, { capturedAt, id: { lte: payment.id } }],
    },
    select: { id: true, status: true, capturedAt: true, amount: true, total: true, amountRefunded: true, refunds: { select: { amount: true, chargeback: true } } },
  });
  let rank = 0;
  let counts = false;
  for (const row of capturedUpToThis) {
    const refundTotal = row.refunds.reduce((sum, refund) => sum + refund.amount, 0);
    const state = ledgerState({
      status: row.status,
      capturedAt: row.capturedAt,
      amount: row.total ?? row.amount,
      refundedAmount: Math.max(row.amountRefunded, refundTotal),
      chargeback: row.refunds.some((refund) => refund.chargeback),
    });
    if (state !== 'captured' && state !== 'partially_refunded') continue;
    rank += 1;
    if (row.id === payment.id) counts = true;
  }
  return counts && rank === usageLimit;
}

type FollowUp = 'awaiting' | 'expired';

/** The awaiting-payment notice, or the expired-unpaid one after it; each claimed once before the push. */
async function notifyFollowUp(deps: NoticeDeps, paymentId: string, kind: FollowUp): Promise<NoticeOutcome> {
  const { prisma, line, log } = deps;
  const claimed =
    kind === 'awaiting'
      ? await prisma.payment.updateMany({
          where: { id: paymentId, status: 'authorized', capturedAt: null, awaitingNoticeSentAt: null, linkId: { not: null } },
          data: { awaitingNoticeSentAt: new Date() },
        })
      : await prisma.payment.updateMany({
          // Only payments the creator was told were awaiting: an abandoned card attempt is no news.
          where: { id: paymentId, status: 'expired', awaitingNoticeSentAt: { not: null }, expiredNoticeSentAt: null, linkId: { not: null } },
          data: { expiredNoticeSentAt: new Date() },
        });
  if (claimed.count === 0) return 'already_sent';
  const payment = await prisma.payment.findUniqueOrThrow({
    where: { id: paymentId },
    include: { link: { select: { id: true, productName: true, merchantId: true, createdByUserId: true } } },
  });
  const link = payment.link;
  if (!link) return 'no_recipient';
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId: link.merchantId, userId: link.createdByUserId } },
    include: { user: { select: { language: true } } },
  });
  if (!member) return 'no_recipient';
  if (!member.notices) return 'notices_off';
  const language = isLanguage(member.user.language) ? member.user.language : 'ja';
  const t = translator(language, 'pages');
  const methods = translator(language, 'refunds');
  const known = namedPaymentMethod(payment.paymentMethod);
  const deadline = formatDateTime((payment.paymentDeadline ?? payment.updatedAt).toISOString(), language);
  const text = t(`notice.${kind}`, {
    product: link.productName,
    amount: formatStoredPrice(payment.total ?? payment.amount, payment.currency, language),
    method: known ? methods(`method.${known}`) : (payment.paymentMethod ?? methods('method.unknown')),
    deadline,
  });
  try {
    await pushOnce(line, link.createdByUserId, [{ type: 'text', text }], retryKeyFor(`${kind}-notice`, paymentId));
    log.info({ paymentId, linkId: link.id, kind }, 'payment follow-up notice sent');
    return 'sent';
  } catch (error) {
    await prisma.payment.update({ where: { id: paymentId }, data: kind === 'awaiting' ? { awaitingNoticeSentAt: null } : { expiredNoticeSentAt: null } });
    log.error({ paymentId, linkId: link.id, kind, err: error }, 'payment follow-up notice could not be pushed');
    return 'failed';
  }
}

export async function notifyCapture(deps: NoticeDeps, paymentId: string): Promise<NoticeOutcome> {
  const { prisma, line, log } = deps;
  const current = await prisma.payment.findUnique({ where: { id: paymentId }, select: { status: true, capturedAt: true } });
  if (current && !wasCaptured(current.status, current.capturedAt)) {
    if (current.status === 'authorized') return notifyFollowUp(deps, paymentId, 'awaiting');
    if (current.status === 'expired') return notifyFollowUp(deps, paymentId, 'expired');
  }
  const claimed = await prisma.payment.updateMany({
    where: {
      id: paymentId,
      noticeSentAt: null,
      linkId: { not: null },
      OR: [{ status: { in: ['captured', 'refunded'] } }, { capturedAt: { not: null } }],
    },
    data: { noticeSentAt: new Date() },
  });
  if (claimed.count === 0) {
    const payment = await prisma.payment.findUnique({ where: { id: paymentId }, select: { noticeSentAt: true } });
    return payment?.noticeSentAt ? 'already_sent' : 'not_captured';
  }

  const payment = await prisma.payment.findUniqueOrThrow({
    where: { id: paymentId },
    include: {
      link: { select: { id: true, productName: true, merchantId: true, createdByUserId: true, usageLimit: true, currency: true } },
      checkout: { select: { orderNumber: true, quantity: true, buyerDetails: true, chosenAmount: true, discountCode: true, discountAmount: true, tipAmount: true } },
      subscription: { select: { id: true, interval: true } },
    },
  });
  const link = payment.link;
  if (!link) return 'no_recipient';
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId: link.merchantId, userId: link.createdByUserId } },
    include: { user: { select: { language: true } } },
  });
  if (!member) {
    log.info({ paymentId, linkId: link.id }, 'capture notice: the link creator is no longer a member; nobody to tell');
    return 'no_recipient';
  }

  const summary = await getLinkSummary(prisma, link.id);
  const language = isLanguage(member.user.language) ? member.user.language : 'ja';
  const t = translator(language, 'pages');
  const usedUp =
    link.usageLimit !== null &&
    summary.capturedPayments >= link.usageLimit &&
    (await filledUsageLimit(prisma, { id: payment.id, linkId: link.id, capturedAt: payment.capturedAt }, link.usageLimit));
  const texts: string[] = [];
  if (member.notices) {
    const amount = formatStoredPrice(payment.total ?? payment.amount, payment.currency, language);
    const total = formatStoredPrice(summary.capturedAmount, summary.currency, language);
    const captured = payment.subscription
      ? await subscriptionPaymentText(prisma, { ...payment, subscription: payment.subscription }, { product: link.productName, amount, total }, language)
      : t('notice.captured', { product: link.productName, amount, total });
    const quantity = payment.checkout?.quantity ?? 1;
    const lines = [captured];
    if (payment.checkout?.orderNumber) lines.push(t('notice.orderNumber', { number: payment.checkout.orderNumber }));
    if (quantity > 1) lines.push(t('notice.quantity', { count: quantity }));
    const choices = readCheckoutChoices(payment.checkout);
    if (choices) {
      lines.push(
        ...choiceLines(choices, link.currency, language, {
          chosenAmount: (amount) => t('notice.chosenAmount', { amount }),
          discount: (code, amount) => t('notice.discount', { code, amount }),
          tip: (amount) => t('notice.tip', { amount }),
        }),
      );
    }
    const details = readStoredBuyerDetails(payment.checkout?.buyerDetails);
    // Who to deliver to: the merchant reads it here first (also in the link's transactions).
    if (details) lines.push(...buyerDetailLines(details, (kind) => t(`notice.buyer.${kind}`)));
    texts.push(lines.join('\n'));
  }
  // Closing the link is news the merchant needs even with payment notices turned off.
  if (usedUp) texts.push(t('notice.usedUp', { product: link.productName, limit: link.usageLimit }));
  if (texts.length === 0) return 'notices_off';

  const messages: messagingApi.Message[] = texts.map((text) => ({ type: 'text', text }));
  try {
    await pushOnce(line, link.createdByUserId, messages, retryKeyFor('capture-notice', paymentId));
    log.info({ paymentId, linkId: link.id, usedUp }, 'capture notice sent');
    return 'sent';
  } catch (error) {
    // Give the claim back so the next event or return-page visit for this payment tries again.
    await prisma.payment.update({ where: { id: paymentId }, data: { noticeSentAt: null } });
    log.error({ paymentId, linkId: link.id, err: error }, 'capture notice could not be pushed');
    return 'failed';
  }
}

/**
 * Starts notifyCapture in the background (a webhook must be answered fast, a buyer's page must not
 * wait for LINE); failures are logged, and the notice is retried on the payment's next event.
 */
export function noticeStarter(deps: NoticeDeps): (paymentId: string) => void {
  return (paymentId) => {
    notifyCapture(deps, paymentId).catch((error: unknown) => {
      deps.log.error({ paymentId, err: error }, 'capture notice failed');
    });
  };
}
