import { linkPriceText } from '../links/link-price-text.js';
import { commandButton } from '../conversation/machine.js';
import type { Context, Reply } from '../conversation/types.js';
import { formatCount, formatDateTime, formatPrice, formatStoredPrice } from '../i18n/format.js';
import type { SummaryView } from './effects.js';
import { stateLabel } from './links-carousel.js';
import type { SalesLinkView } from './sales-link-view.js';

/** The exports capability's per-link CSV action. */
const EXPORT_LINK_ACTION = 'exports.link';

/**
 * The Total Sales Summary of one link as a Flex card: the contract's four numbers, money in the
 * link's currency and the merchant's language, and the moment they were read.
 */
export function summaryCard(link: SalesLinkView, summary: SummaryView, ctx: Context): Reply {
  const { t, language } = ctx;
  const amount = formatPrice(summary.capturedAmount, link.currency, language);
  const asOf = t('sales:summary.asOf', { time: formatDateTime(summary.asOf, language) });
  const count = (payments: number) => t('sales:summary.count', { number: formatCount(payments, language) });
  return {
    kind: 'card',
    altText: t('sales:summary.altText', {
      product: link.productName,
      amount,
      captured: summary.capturedPayments,
      pending: summary.pendingPayments,
      refunded: summary.refundedPayments,
    }),
    card: {
      ...(link.testMode ? { badge: t('sales:state.test') } : {}),
      title: link.productName,
      subtitle: amount,
      rows: [
        { label: t('sales:summary.capturedAmount'), value: amount },
        { label: t('sales:summary.capturedPayments'), value: count(summary.capturedPayments) },
        { label: t('sales:summary.pendingPayments'), value: count(summary.pendingPayments) },
        { label: t('sales:summary.refundedPayments'), value: count(summary.refundedPayments) },
        // Never added to the captured amount: a payment method that charged in another currency.
        ...Object.entries(summary.otherCurrencies ?? {}).map(([currency, kept]) => ({ label: t('sales:summary.otherCurrency', { currency }), value: formatStoredPrice(kept, currency, language) })),
        ...(summary.funnel
          ? [
              {
                label: t('sales:summary.funnel'),
                value: t('sales:summary.funnelValue', {
                  views: formatCount(summary.funnel.views, language),
                  presses: formatCount(summary.funnel.presses, language),
                  paid: formatCount(summary.funnel.paid, language),
                }),
              },
            ]
          : []),
        { label: t('sales:list.price'), value: link.price ? linkPriceText(link.price, link.currency, language) : formatPrice(link.amount, link.currency, language) },
        { label: t('sales:list.status'), value: stateLabel(link, ctx) },
      ],
      footnote: `${asOf}\n${t('sales:summary.definitions')}`,
      buttons: [
        { ...commandButton(t('sales:buttons.transactions'), 'sales.transactions', [link.id, '1']), style: 'primary' },
        { ...commandButton(t('sales:buttons.qr'), 'sales.qr', [link.id]), style: 'secondary' },
        { ...commandButton(t('sales:buttons.links'), 'links'), style: 'link' },
        // The CSV holds buyers' emails: the owner's (exports/chat.ts); staff never see it.
        ...(ctx.membership?.role === 'owner' ? [{ ...commandButton(t('exports:buttons.export'), EXPORT_LINK_ACTION, [link.id]), style: 'link' as const }] : []),
      ],
    },
  };
}
