import { commandButton } from '../conversation/machine.js';
import type { Card, Context, Reply } from '../conversation/types.js';
import { clip, formatCount, formatDateTime, formatStoredPrice } from '../i18n/format.js';
import type { TodayView } from './effects.js';

/** Product names on the card's rows; a button's label is cut to LINE's length by the renderer. */
const NAME_CHARS = 40;

function signed(amount: number, currency: string, ctx: Context): string {
  const money = formatStoredPrice(Math.abs(amount), currency, ctx.language);
  return amount > 0 ? `+${money}` : amount < 0 ? `−${money}` : '±0';
}

/** "Dec 7 (Mon)" in the user's language, from the shop's local date. */
function dateLabel(today: TodayView, ctx: Context): string {
  const [, month = '', day = ''] = today.day.split('-');
  return ctx.t('sales:today.date', { weekday: ctx.t(`sales:today.weekdays.${today.weekday}` as 'sales:today.weekdays.0'), month: Number(month), day: Number(day) });
}

/** The card's body: the day's numbers, then the top links (each with a Summary button). */
function todayCardBody(today: TodayView, ctx: Context): Card {
  const { t, language } = ctx;
  const money = (amount: number) => formatStoredPrice(amount, today.currency, language);
  const payments = (count: number) => t('sales:today.payments', { count, number: formatCount(count, language) });
  const weekday = t(`sales:today.weekdays.${today.weekday}` as 'sales:today.weekdays.0');
  const rows: Card['rows'] = [
    { label: t('sales:today.captured'), value: t('sales:today.amountAndPayments', { amount: money(today.capturedAmount), payments: payments(today.capturedPayments) }) },
    {
      label: t('sales:today.lastWeek', { weekday }),
      value: `${t('sales:today.amountAndPayments', { amount: money(today.lastWeekAmount), payments: payments(today.lastWeekPayments) })}\n${t('sales:today.change', { change: signed(today.capturedAmount - today.lastWeekAmount, today.currency, ctx) })}`,
    },
    ...Object.entries(today.otherCurrencies).map(([currency, amount]) => ({ label: t('sales:today.otherCurrency', { currency }), value: formatStoredPrice(amount, currency, language) })),
    {
      label: t('sales:today.awaiting'),
      value: today.awaitingDueSoon > 0 ? t('sales:today.awaitingDueSoon', { number: formatCount(today.awaitingPayments, language), soon: today.awaitingDueSoon }) : payments(today.awaitingPayments),
    },
    { label: t('sales:today.refunds'), value: t('sales:today.amountAndPayments', { amount: money(today.refundedAmount), payments: payments(today.refunds) }) },
    ...today.topLinks.map((link, index) => ({
      label: t('sales:today.top', { rank: index + 1 }),
      value: `${clip(link.productName, NAME_CHARS)}\n${t('sales:today.amountAndPayments', { amount: money(link.amount), payments: payments(link.payments) })}`,
    })),
  ];
  return {
    title: t('sales:today.title', { date: dateLabel(today, ctx) }),
    subtitle: money(today.capturedAmount),
    rows,
    footnote: `${today.capturedPayments === 0 ? `${t('sales:today.nothing')}\n` : ''}${t('sales:today.footnote', {
      time: formatDateTime(today.asOf, language),
      zone: t(`sales:today.zones.${today.zone}`),
    })}`,
    buttons: [
      ...today.topLinks.map((link) => ({ ...commandButton(link.productName, 'summary', [link.linkId]), style: 'secondary' as const })),
      { ...commandButton(t('sales:today.buttons.refresh'), 'today'), style: 'link' as const },
      { ...commandButton(t('sales:today.buttons.links'), 'links'), style: 'link' as const },
    ],
  };
}

/** The today card as a reply (the `today` command and the daily digest send the same). */
export function todayCard(today: TodayView, ctx: Context): Reply {
  const altText = ctx.t('sales:today.altText', {
    date: dateLabel(today, ctx),
    amount: formatStoredPrice(today.capturedAmount, today.currency, ctx.language),
    number: formatCount(today.capturedPayments, ctx.language),
  });
  return { kind: 'card', altText, card: todayCardBody(today, ctx) };
}
