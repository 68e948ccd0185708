import { commandButton } from '../conversation/machine.js';
import type { Button, Context, Reply } from '../conversation/types.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import type { LedgerState } from '../payments/payment-status.js';
import type { SalesLinkView } from './sales-link-view.js';
import { buyerDetailLines, type BuyerDetails } from '../links/buyer-fields.js';
import { choiceLines, type CheckoutChoices } from '../payments/checkout-choices.js';

/** The refunds capability's entry point: the payments of this page an owner may refund or cancel. */
const REFUND_CHOOSE_ACTION = 'refunds.choose';
/** The subscriptions capability's entry point: a subscription link's subscribers, to cancel one. */
const SUBSCRIPTIONS_ACTION = 'subscriptions.list';

/** One payment as the chat lists it (plain JSON; `at` is ISO 8601). */
export interface TransactionView {
  id: string;
  state: LedgerState;
  /** What the buyer paid (tax and fee included), in `currency` (the payment's own; the link's when absent). */
  amount: number;
  currency?: string;
  refundedAmount: number;
  at: string;
  /** The short order number the buyer was shown (and may quote). */
  orderNumber?: string;
  /** Units bought; absent means 1. */
  quantity?: number;
  /** What the buyer filled in on the page, while kept (see BUYER_DATA_RETENTION_DAYS). */
  buyerDetails?: BuyerDetails;
  /** The amount the buyer chose, the discount code used and the tip, in the link's currency. */
  choices?: CheckoutChoices;
  /** An awaiting payment's deadline (ISO 8601). */
  deadline?: string;
  /** KOMOJU marked the payment as fraud. */
  fraud?: boolean;
  /** A subscription's n-th captured payment (1: the first); 0: one not captured (a failed renewal). */
  subscriptionPayment?: number;
}

export interface TransactionsPage {
  link: SalesLinkView;
  /** 1-based. */
  page: number;
  transactions: TransactionView[];
  hasMore: boolean;
}

function describe(transaction: TransactionView, link: SalesLinkView, ctx: Context): string {
  const { t, language } = ctx;
  const state = t(`sales:transactions.state.${transaction.state}`);
  const currency = transaction.currency ?? link.currency;
  const amount = formatStoredPrice(transaction.amount, currency, language);
  const line =
    transaction.refundedAmount === 0
      ? t('sales:transactions.line', { state, amount })
      : t('sales:transactions.lineRefunded', { state, amount, refunded: formatStoredPrice(transaction.refundedAmount, currency, language) });
  const notes = [
    ...(transaction.orderNumber ? [t('sales:transactions.orderNumber', { number: transaction.orderNumber })] : []),
    ...(transaction.subscriptionPayment === undefined
      ? []
      : [transaction.subscriptionPayment > 0 ? t('sales:transactions.subscriptionPayment', { count: transaction.subscriptionPayment }) : t('sales:transactions.subscriptionAttempt')]),
    ...((transaction.quantity ?? 1) > 1 ? [t('sales:transactions.quantity', { count: transaction.quantity })] : []),
    ...(transaction.choices
      ? choiceLines(transaction.choices, link.currency, language, {
          chosenAmount: (amount) => t('sales:transactions.chosenAmount', { amount }),
          discount: (code, amount) => t('sales:transactions.discount', { code, amount }),
          tip: (amount) => t('sales:transactions.tip', { amount }),
        })
      : []),
    ...(transaction.buyerDetails ? buyerDetailLines(transaction.buyerDetails, (kind) => t(`links:buyerAsk.kinds.${kind}`)) : []),
    ...(transaction.deadline ? [t('sales:transactions.deadline', { time: formatDateTime(transaction.deadline, language) })] : []),
    ...(transaction.fraud ? [t('sales:transactions.fraud')] : []),
  ];
  // The payment's id, which KOMOJU's dashboard and `payment:refund --payment` take.
  return [line, ...notes, t('sales:transactions.paymentId', { id: transaction.id })].join('\n');
}

/** A page of a link's payments, newest first: time, status, amount and refunded amount. */
export function transactionsReply(listed: TransactionsPage, ctx: Context): Reply {
  const { t } = ctx;
  const { link } = listed;
  const summary = commandButton(t('sales:buttons.summary'), 'summary', [link.id]);
  if (listed.transactions.length === 0) {
    return { kind: 'text', text: t('sales:transactions.empty', { product: link.productName }), quickReplies: [summary] };
  }
  const buttons: Button[] = [];
  const next = commandButton(t('sales:buttons.nextPage'), 'sales.transactions', [link.id, String(listed.page + 1)]);
  if (listed.hasMore) buttons.push({ ...next, style: 'primary' });
  buttons.push({ ...summary, style: listed.hasMore ? 'secondary' : 'primary' });
  // Giving money back is the owner's (refunds/chat.ts); staff never see the button.
  const actionable = listed.transactions.some((transaction) => ['awaiting', 'captured', 'partially_refunded'].includes(transaction.state));
  if (ctx.membership?.role === 'owner' && actionable) {
    buttons.push({ ...commandButton(t('refunds:buttons.choose'), REFUND_CHOOSE_ACTION, [link.id, String(listed.page)]), style: 'secondary' });
  }
  // Cancelling a subscriber is the owner's too (subscriptions/chat.ts).
  if (ctx.membership?.role === 'owner' && link.billingInterval) {
    buttons.push({ ...commandButton(t('subscriptions:buttons.subscriptions'), SUBSCRIPTIONS_ACTION, [link.id]), style: 'secondary' });
  }
  const reply: Reply = {
    kind: 'card',
    altText: t('sales:transactions.altText', { product: link.productName, page: listed.page }),
    card: {
      ...(link.testMode ? { badge: t('sales:state.test') } : {}),
      title: link.productName,
      subtitle: t('sales:transactions.title'),
      rows: listed.transactions.map((transaction) => ({
        label: formatDateTime(transaction.at, ctx.language),
        value: describe(transaction, link, ctx),
      })),
      footnote: t('sales:transactions.page', { page: listed.page }),
      buttons,
    },
  };
  if (listed.hasMore) reply.quickReplies = [next];
  return reply;
}
