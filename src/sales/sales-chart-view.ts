// What the sales chart says, in the merchant's language and the link's currency (the drawing is
// sales-chart.ts): the four summary numbers and the money kept per day.
import { formatCount, formatDateTime, formatStoredPrice } from '../i18n/format.js';
import type { Language, Translate } from '../i18n/i18n.js';
import type { DailyAmount } from '../payments/daily-captured.js';
import type { LinkSummary } from '../payments/summary.js';
import type { SalesChartView } from './sales-chart.js';

export function salesChartView(
  link: { productName: string; currency: string },
  summary: LinkSummary,
  days: DailyAmount[],
  language: Language,
  t: Translate<'sales'>,
): SalesChartView {
  const price = (amount: number) => formatStoredPrice(amount, link.currency, language);
  const max = Math.max(0, ...days.map((day) => day.amount));
  // A date under every 7th bar from the newest, so today is always labelled.
  const labelled = (index: number) => (days.length - 1 - index) % 7 === 0;
  return {
    language,
    title: link.productName,
    subtitle: t('chart.subtitle', { days: days.length }),
    figures: [
      { label: t('summary.capturedAmount'), value: price(summary.capturedAmount) },
      { label: t('summary.capturedPayments'), value: formatCount(summary.capturedPayments, language) },
      { label: t('summary.pendingPayments'), value: formatCount(summary.pendingPayments, language) },
      { label: t('summary.refundedPayments'), value: formatCount(summary.refundedPayments, language) },
    ],
    bars: days.map((day, index) => ({ amount: day.amount, label: labelled(index) ? `${Number(day.day.slice(5, 7))}/${Number(day.day.slice(8, 10))}` : '' })),
    maxLabel: price(max),
    footnote: t('chart.footnote', { time: formatDateTime(summary.asOf.toISOString(), language), currency: link.currency }),
  };
}
