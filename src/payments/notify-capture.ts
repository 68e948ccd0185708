// `payments.captured`: tells a link's creator that money came in: product, amount and the link's
// new captured total, the quantity, choices and buyer details, plus a line when this payment filled
// the link's usage limit. The event is recorded once per payment (its first capture), and the push
// is keyed by the event (notify-link-creator.ts), so a retried event is not delivered twice.
// Payment.noticeSentAt records when it went out.
import type { Prisma } from '../db/database.js';
import type { DomainEvent, HandlerDeps } from '../events/domain-events.js';
import { translator, type Language } from '../i18n/i18n.js';
import { formatStoredPrice } from '../i18n/format.js';
import { readBillingInterval } from '../links/billing.js';
import { buyerDetailLines, readStoredBuyerDetails } from '../links/buyer-fields.js';
import { notifyLinkCreator } from '../links/notify-link-creator.js';
import { choiceLines, readCheckoutChoices } from './checkout-choices.js';
import { getLinkSummary } from './summary.js';
import { usageLimitReachedBy } from './usage-limit-reached.js';

/** The payments capability's event handlers' name (logs, retry keys). */
export const PAYMENTS_HANDLERS = 'payments';

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

/**
 * `payments.captured`: the creator hears of the payment (unless notices are off) and, when this
 * payment filled the link's usage limit, that the link closed (even with notices off).
 */
export async function notifyCapture(event: DomainEvent<'payments.captured'>, deps: HandlerDeps): Promise<void> {
  const { prisma } = deps;
  const { paymentId, linkId } = event.payload;
  const payment = await prisma.payment.findUnique({
    where: { id: paymentId },
    include: {
      link: { select: { productName: true, usageLimit: true, currency: true } },
      checkout: { select: { orderNumber: true, quantity: true, buyerDetails: true, chosenAmount: true, discountCode: true, discountAmount: true, tipAmount: true } },
      subscription: { select: { id: true, interval: true } },
    },
  });
  const link = payment?.link;
  if (!payment || !link || payment.linkId !== linkId) return;
  const outcome = await notifyLinkCreator(deps, event, {
    linkId,
    handlers: PAYMENTS_HANDLERS,
    key: event.type,
    async compose(recipient) {
      const { language, notices } = recipient;
      const summary = await getLinkSummary(prisma, linkId);
      const t = translator(language, 'pages');
      const usedUp = await usageLimitReachedBy(prisma, payment.id);
      const texts: string[] = [];
      if (notices) {
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
        // Who to deliver to: the merchant reads it here first (also in the link's transactions), when
        // the shop lets this member read buyers' details.
        const details = recipient.mayReadBuyerDetails ? readStoredBuyerDetails(payment.checkout?.buyerDetails) : null;
        if (details) lines.push(...buyerDetailLines(details, (kind) => t(`notice.buyer.${kind}`)));
        texts.push(lines.join('\n'));
      }
      // Closing the link is news the merchant needs even with payment notices turned off.
      if (usedUp) texts.push(t('notice.usedUp', { product: link.productName, limit: link.usageLimit }));
      return texts;
    },
  });
  if (outcome === 'sent') await prisma.payment.update({ where: { id: paymentId }, data: { noticeSentAt: new Date() } });
}
