// What the sales chart says, in the merchant's language and the link's currency (the drawing is
// sales-chart.ts): the four summary numbers and the money kept per day.
import { formatCount, formatDateTime, formatStoredPrice } from '../i18n/format.js';
import type { Language, Translate } from '../i18n/i18n.js';
import type { DailyAmount, ShopSales } from '../payments/daily-captured.js';
import type { LinkSummary } from '../payments/summary.js';
import type { SalesChartView } from './sales-chart.js';

function bars(days: DailyAmount[]): SalesChartView['bars'] {
  // A date under every 7th bar from the newest, so today is always labelled.
  const labelled = (index: number) => (days.length - 1 - index) % 7 === 0;
  return days.map((day, index) => ({ amount: day.amount, label: labelled(index) ? `${Number(day.day.slice(5, 7))}/${Number(day.day.slice(8, 10))}` : '' }));
}

/** The whole shop: money kept per day over all its links, the total, and its top 3 links. */
export function shopChartView(shopName: string, sales: ShopSales, asOf: Date, language: Language, t: Translate<'sales'>): SalesChartView {
  const price = (amount: number) => formatStoredPrice(amount, sales.currency, language);
  return {
    language,
    title: shopName,
    subtitle: t('chart.shopSubtitle', { count: sales.days.length, days: sales.days.length }),
    figures: [{ label: t('summary.capturedAmount'), value: price(sales.capturedAmount) }, ...sales.topLinks.map((link) => ({ label: link.productName, value: price(link.capturedAmount) }))],
    bars: bars(sales.days),
    maxLabel: price(Math.max(0, ...sales.days.map((day) => day.amount))),
    footnote: t('chart.footnote', { time: formatDateTime(asOf.toISOString(), language), currency: sales.currency }),
  };
}

export function salesChartView(link: { productName: string; currency: string }, summary: LinkSummary, days: DailyAmount[], language: Language, t: Translate<'sales'>): SalesChartView {
  const price = (amount: number) => formatStoredPrice(amount, link.currency, language);
  const max = Math.max(0, ...days.map((day) => day.amount));
  return {
    language,
    title: link.productName,
    subtitle: t('chart.subtitle', { count: days.length, days: days.length }),
    figures: [
      { label: t('summary.capturedAmount'), value: price(summary.capturedAmount) },
      { label: t('summary.capturedPayments'), value: formatCount(summary.capturedPayments, language) },
      { label: t('summary.pendingPayments'), value: formatCount(summary.pendingPayments, language) },
      { label: t('summary.refundedPayments'), value: formatCount(summary.refundedPayments, language) },
    ],
    bars: bars(days),
    maxLabel: price(max),
    footnote: t('chart.footnote', { time: formatDateTime(summary.asOf.toISOString(), language), currency: link.currency }),
  };
}
