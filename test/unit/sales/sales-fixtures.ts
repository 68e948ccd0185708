import type { Context, Membership } from '../../../src/conversation/types.js';
import type { Language } from '../../../src/i18n/i18n.js';
import type { TodayView } from '../../../src/sales/effects.js';
import type { SalesLinkView } from '../../../src/sales/sales-link-view.js';
import { testContext } from '../../support/context.js';

export const NOW = new Date('2026-11-28T03:00:00.000Z');
const OWNER: Membership = { merchantId: 'm1', merchantName: 'Cafe', role: 'owner' };
export const STAFF: Membership = { merchantId: 'm1', merchantName: 'Cafe', role: 'staff' };

export function context(language: Language = 'en', membership: Membership | null = OWNER): Context {
  return testContext({ now: NOW, language, membership, newDialogId: 'dlg1' });
}

export function salesLink(overrides: Partial<SalesLinkView> = {}): SalesLinkView {
  const slug = overrides.slug ?? 'abcDEF123';
  return {
    id: 'link1',
    slug,
    productName: 'Coffee Beans',
    amount: 1500,
    currency: 'JPY',
    description: 'Fresh roast',
    imageId: null,
    imageUrl: null,
    language: 'ja',
    status: 'active',
    usageLimit: null,
    quantityMin: 1,
    quantityMax: 1,
    buyerFields: { ask: [], question: null },
    afterPaymentMessage: null,
    paymentTypes: [],
    expiresAt: null,
    testMode: false,
    url: `https://shop.example/l/${slug}`,
    qrUrl: `https://shop.example/qr/${slug}.png`,
    createdAt: '2026-11-01T00:00:00.000Z',
    usedCount: 0,
    capturedAmount: 0,
    ...overrides,
  };
}

/** A busy day at the shop (Saturday 2026-11-28, Japan time). */
export function todayView(overrides: Partial<TodayView> = {}): TodayView {
  return {
    zone: 'Asia/Tokyo',
    asOf: NOW.toISOString(),
    day: '2026-11-28',
    weekday: 6,
    currency: 'JPY',
    capturedAmount: 12300,
    capturedPayments: 5,
    lastWeekAmount: 9000,
    lastWeekPayments: 3,
    awaitingPayments: 4,
    awaitingDueSoon: 1,
    refunds: 1,
    refundedAmount: 1500,
    topLinks: [
      { linkId: 'l1', productName: 'Coffee Beans', amount: 9000, payments: 3 },
      { linkId: 'l2', productName: 'Coffee Mug', amount: 3300, payments: 2 },
    ],
    otherCurrencies: {},
    ...overrides,
  };
}
