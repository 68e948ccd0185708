// `payments.awaiting` and `payments.expired`: a payment that awaits payment (konbini, bank
// transfer, Pay-easy: authorized with a deadline) gets its own notice with the deadline; if it then
// expires unpaid, the creator is told that too. Each event is recorded once per payment, and the
// worker runs a payment's events in order, so the expired notice follows the awaiting one. Paid
// later, the payment gets the capture notice instead (notify-capture.ts). awaitingNoticeSentAt /
// expiredNoticeSentAt record when each went out.
import type { DomainEvent, HandlerDeps } from '../events/domain-events.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import { translator } from '../i18n/i18n.js';
import { notifyLinkCreator } from '../links/notify-link-creator.js';
import { PAYMENTS_HANDLERS } from './notify-capture.js';
import { namedPaymentMethod, wasCaptured } from './payment-status.js';

type FollowUp = 'awaiting' | 'expired';

/**
 * The date the notice names: the deadline while awaiting; once expired, when it really expired, that
 * is when we heard (a provider may expire a payment before its deadline; a late webhook after it).
 */
function noticeTime(kind: FollowUp, deadline: Date | null, heardAt: Date): Date {
  if (kind === 'awaiting') return deadline ?? heardAt;
  return deadline && deadline < heardAt ? deadline : heardAt;
}

async function notifyFollowUp(event: DomainEvent<'payments.awaiting' | 'payments.expired'>, deps: HandlerDeps, kind: FollowUp): Promise<void> {
  const { prisma } = deps;
  const { paymentId, linkId } = event.payload;
  const payment = await prisma.payment.findUnique({ where: { id: paymentId }, include: { link: { select: { productName: true } } } });
  // Read now, not when recorded: a payment paid since is news for the capture notice instead.
  if (!payment?.link || payment.linkId !== linkId || wasCaptured(payment.status, payment.capturedAt)) return;
  if (kind === 'awaiting' && payment.status !== 'authorized') return;
  const productName = payment.link.productName;
  const outcome = await notifyLinkCreator(deps, event, {
    linkId,
    handlers: PAYMENTS_HANDLERS,
    key: event.type,
    async compose({ language, notices }) {
      if (!notices) return [];
      const t = translator(language, 'pages');
      const methods = translator(language, 'refunds');
      const known = namedPaymentMethod(payment.paymentMethod);
      return [
        t(`notice.${kind}`, {
          product: productName,
          amount: formatStoredPrice(payment.total ?? payment.amount, payment.currency, language),
          method: known ? methods(`method.${known}`) : (payment.paymentMethod ?? methods('method.unknown')),
          deadline: formatDateTime(noticeTime(kind, payment.paymentDeadline, event.createdAt).toISOString(), language),
        }),
      ];
    },
  });
  if (outcome === 'sent') {
    await prisma.payment.update({ where: { id: paymentId }, data: kind === 'awaiting' ? { awaitingNoticeSentAt: new Date() } : { expiredNoticeSentAt: new Date() } });
  }
}

export function notifyAwaiting(event: DomainEvent<'payments.awaiting'>, deps: HandlerDeps): Promise<void> {
  return notifyFollowUp(event, deps, 'awaiting');
}

export function notifyExpiredUnpaid(event: DomainEvent<'payments.expired'>, deps: HandlerDeps): Promise<void> {
  return notifyFollowUp(event, deps, 'expired');
}
