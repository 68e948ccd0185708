// `subscriptions.renewalFailed`: tells a subscription link's creator that a renewal could not be
// charged. The event is recorded once per failure (the failed payment, or the provider's event),
// and the push is keyed by the event (notify-link-creator.ts), so a retry is not delivered twice.
import type { DomainEvent, HandlerDeps } from '../../events/domain-events.js';
import { formatStoredPrice } from '../../i18n/format.js';
import { translator } from '../../i18n/i18n.js';
import { notifyLinkCreator } from '../../links/notify-link-creator.js';
import { PAYMENTS_HANDLERS } from '../notify-capture.js';

export async function notifyRenewalFailed(event: DomainEvent<'subscriptions.renewalFailed'>, deps: HandlerDeps): Promise<void> {
  const subscription = await deps.prisma.subscription.findUnique({
    where: { id: event.payload.subscriptionId },
    select: { amount: true, currency: true, linkId: true, link: { select: { productName: true } } },
  });
  if (!subscription) return;
  await notifyLinkCreator(deps, event, {
    linkId: subscription.linkId,
    handlers: PAYMENTS_HANDLERS,
    key: event.type,
    async compose({ language, notices }) {
      if (!notices) return [];
      const t = translator(language, 'pages');
      return [t('notice.renewalFailed', { product: subscription.link.productName, amount: formatStoredPrice(subscription.amount, subscription.currency, language) })];
    },
  });
}
