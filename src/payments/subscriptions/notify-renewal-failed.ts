// Tells a subscription link's creator that a renewal could not be charged. Called once per
// subscription.failed event (its first delivery); the push's retry key is derived from the failed
// payment (or the event), so a retried push is not delivered twice.
import type { Prisma } from '../../db/database.js';
import type { LineBotClient } from '@line/bot-sdk';
import { isLanguage, translator } from '../../i18n/i18n.js';
import { formatStoredPrice } from '../../i18n/format.js';
import { pushOnce, retryKeyFor } from '../../line/line-client.js';
import type { Logger } from '../../logger.js';

export interface RenewalFailedDeps {
  prisma: Prisma;
  line: LineBotClient;
  log: Logger;
}

export type RenewalFailedOutcome = 'sent' | 'notices_off' | 'no_recipient' | 'failed';

export async function notifyRenewalFailed(
  deps: RenewalFailedDeps,
  failure: { subscriptionId: string; paymentId: string | null; eventId: string },
): Promise<RenewalFailedOutcome> {
  const { prisma, line, log } = deps;
  const subscription = await prisma.subscription.findUnique({
    where: { id: failure.subscriptionId },
    include: { link: { select: { id: true, productName: true, merchantId: true, createdByUserId: true } } },
  });
  if (!subscription) return 'no_recipient';
  const { link } = subscription;
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId: link.merchantId, userId: link.createdByUserId } },
    include: { user: { select: { language: true } } },
  });
  if (!member) return 'no_recipient';
  if (!member.notices) return 'notices_off';
  const language = isLanguage(member.user.language) ? member.user.language : 'ja';
  const t = translator(language, 'pages');
  const text = t('notice.renewalFailed', { product: link.productName, amount: formatStoredPrice(subscription.amount, subscription.currency, language) });
  try {
    await pushOnce(line, link.createdByUserId, [{ type: 'text', text }], retryKeyFor('renewal-failed-notice', failure.paymentId ?? failure.eventId));
    log.info({ subscriptionId: subscription.id, linkId: link.id }, 'renewal failed notice sent');
    return 'sent';
  } catch (error) {
    log.error({ subscriptionId: subscription.id, linkId: link.id, err: error }, 'renewal failed notice could not be pushed');
    return 'failed';
  }
}
