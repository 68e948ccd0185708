// What the sales capability (the merchant's links chat) asks the outer layer to do, and what
// comes back. Types only: perform-effects.ts does the work.
import type { NameMatch } from './find-links-by-name.js';
import type { SalesLinkView } from './sales-link-view.js';
import type { ShopTimeZone } from './shop-day.js';
import type { TransactionView } from './transactions.js';

/** Links per carousel page: LINE shows at most 12 bubbles, the 12th is kept for "more". */
export const LINKS_PAGE_SIZE = 11;
export const TRANSACTIONS_PAGE_SIZE = 10;
/** The links listed on the today card (each gets a Summary button). */
export const TODAY_TOP_LINKS = 3;

/** The shop's day at a glance (sales/shop-today.ts reads it; the today card and the digest show it). */
export interface TodayView {
  zone: ShopTimeZone;
  /** ISO 8601: the moment it was read. */
  asOf: string;
  /** The shop's local date, YYYY-MM-DD, and its weekday (0 = Sunday). */
  day: string;
  weekday: number;
  currency: string;
  capturedAmount: number;
  capturedPayments: number;
  /** The same weekday a week ago, from its midnight up to the same local time as now. */
  lastWeekAmount: number;
  lastWeekPayments: number;
  awaitingPayments: number;
  /** Awaiting payments whose deadline is within the next 24 hours. */
  awaitingDueSoon: number;
  refunds: number;
  refundedAmount: number;
  topLinks: { linkId: string; productName: string; amount: number; payments: number }[];
  /** Captured today in other currencies than `currency`, by currency. */
  otherCurrencies: Record<string, number>;
}

/** The four contract numbers; `asOf` is ISO 8601 (results are plain JSON). */
export interface SummaryView {
  capturedAmount: number;
  capturedPayments: number;
  pendingPayments: number;
  refundedPayments: number;
  /** Money kept in currencies other than the link's (a payment method that charged in another). */
  otherCurrencies?: Record<string, number>;
  asOf: string;
  /** How the page converts: views (people, not crawlers), Pay presses (checkouts opened), payments captured. */
  funnel?: { views: number; presses: number; paid: number };
}

/** What a command typed with a product name does with that link (`refund Coffee`, `deactivate Coffee`, …). */
export type LinkPurpose = 'summary' | 'refund' | 'cancel' | 'deactivate' | 'activate' | 'transactions' | 'qr' | 'edit' | 'duplicate';

/** Why an action on a link was refused. 'notFound' also covers another shop's link: it leaks nothing. */
export type SalesRefusal = 'notFound' | 'notMember' | 'notOwner';

/*
 * Every effect names the merchant the user acted for (ctx.membership at the time) and is
 * re-authorised when performed: the user must still be a member there and the link must belong
 * to that merchant. Postback data is signed, but a button can outlive a membership.
 */
export type SalesEffect =
  | { type: 'sales.listLinks'; merchantId: string; page: number }
  /** `purpose`: what the typed command does with the link found (absent: its summary). */
  | { type: 'sales.findLinkByName'; merchantId: string; name: string; purpose?: LinkPurpose }
  | { type: 'sales.loadSummary'; merchantId: string; linkId: string }
  /** `today` (and `summary` with no name): the shop's day so far at `at` (the conversation's clock, ISO). */
  | { type: 'sales.loadToday'; merchantId: string; at: string; withChart: boolean }
  /** `digest 21:00` / `digest off`: the member's daily digest time in local minutes after midnight, or off (null). */
  | { type: 'sales.setDigest'; merchantId: string; minutes: number | null; at: string }
  | { type: 'sales.loadLink'; merchantId: string; linkId: string; purpose: 'qr' | 'edit' | 'duplicate' }
  | { type: 'sales.setStatus'; merchantId: string; linkId: string; status: 'active' | 'inactive' }
  /** `page` is 1-based. */
  | { type: 'sales.listTransactions'; merchantId: string; linkId: string; page: number };

export type SalesEffectResult =
  | { type: 'sales.linksListed'; page: number; links: SalesLinkView[]; hasMore: boolean }
  | { type: 'sales.nameMatched'; query: string; match: NameMatch; purpose?: LinkPurpose }
  /** `chartUrl`: the signed URL of the link's sales picture (an image message after the card). */
  | { type: 'sales.summaryLoaded'; link: SalesLinkView; summary: SummaryView; chartUrl?: string }
  | { type: 'sales.todayLoaded'; today: TodayView; chartUrl: string | null }
  /** `nextAt`: ISO time of the next digest (null when off). */
  | { type: 'sales.digestSet'; minutes: number | null; nextAt: string | null }
  /** `imageId`: the link's photo, for a duplicate to reuse. */
  | { type: 'sales.linkLoaded'; purpose: 'qr' | 'edit' | 'duplicate'; link: SalesLinkView; imageId?: string | null }
  | { type: 'sales.statusChanged'; link: SalesLinkView }
  | { type: 'sales.transactionsListed'; link: SalesLinkView; page: number; transactions: TransactionView[]; hasMore: boolean }
  | { type: 'sales.refused'; reason: SalesRefusal };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    sales: { effect: SalesEffect; result: SalesEffectResult };
  }
}
