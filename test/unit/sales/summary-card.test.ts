import { describe, expect, it } from 'vitest';
import type { Card, Reply } from '../../../src/conversation/types.js';
import { summaryCard } from '../../../src/sales/summary-card.js';
import { transactionsReply } from '../../../src/sales/transactions.js';
import { context, salesLink } from './sales-fixtures.js';

const summary = { capturedAmount: 123456, capturedPayments: 1234, pendingPayments: 2, refundedPayments: 1, asOf: '2026-11-28T08:05:00.000Z' };

function cardOf(reply: Reply): Card {
  if (reply.kind !== 'card') throw new Error(`expected a card, got ${reply.kind}`);
  return reply.card;
}

describe('summaryCard', () => {
  it('shows the four numbers, in the link currency, and the time they are as of', () => {
    const reply = summaryCard(salesLink(), summary, context('en'));
    const card = cardOf(reply);
    expect(card.title).toBe('Coffee Beans');
    expect(card.rows.slice(0, 4)).toEqual([
      { label: 'Captured amount', value: '¥123,456' },
      { label: 'Captured payments', value: '1,234' },
      { label: 'Pending payments', value: '2' },
      { label: 'Refunded payments', value: '1' },
    ]);
    expect(card.footnote).toContain('As of Nov 28, 2026, 5:05 PM');
    expect(reply.kind === 'card' && reply.altText).toContain('¥123,456');
    expect(card.badge).toBeUndefined();
  });

  it.each([
    ['ja', '売上金額', '$1,234.56', /2026\/11\/28 17:05 時点/],
    // The day period depends on the ICU data Node ships (오후 or PM).
    ['ko', '매출 금액', 'US$1,234.56', /2026\. 11\. 28\. \S+ 5:05 기준/],
  ] as const)('in %s', (language, label, amount, asOf) => {
    const card = cardOf(summaryCard(salesLink({ currency: 'USD', amount: 1250 }), summary, context(language)));
    expect(card.rows[0]).toEqual({ label, value: amount });
    expect(card.footnote).toMatch(asOf);
  });

  it('shows money kept in another currency on its own row, never in the captured amount', () => {
    const card = cardOf(summaryCard(salesLink(), { ...summary, otherCurrencies: { USD: 680 } }, context('en')));
    expect(card.rows[0]).toEqual({ label: 'Captured amount', value: '¥123,456' });
    expect(card.rows[4]).toEqual({ label: 'Also kept in USD', value: '$6.80' });
  });

  it('marks a test link', () => {
    expect(cardOf(summaryCard(salesLink({ testMode: true }), summary, context('en'))).badge).toBe('TEST');
  });
});

describe('transactionsReply', () => {
  const transactions = [
    { id: 'p2', state: 'partially_refunded' as const, amount: 1500, refundedAmount: 500, at: '2026-11-28T01:00:00.000Z' },
    { id: 'p1', state: 'unsuccessful' as const, amount: 1500, refundedAmount: 0, at: '2026-11-27T01:00:00.000Z' },
  ];

  it('lists time, status, amount, refunded amount and payment id, with a next page button', () => {
    const reply = transactionsReply({ link: salesLink(), page: 1, transactions, hasMore: true }, context('en'));
    const card = cardOf(reply);
    expect(card.rows).toEqual([
      { label: 'Nov 28, 2026, 10:00 AM', value: 'Partly refunded · ¥1,500 · refunded ¥500\nPayment ID p2' },
      { label: 'Nov 27, 2026, 10:00 AM', value: 'Not completed · ¥1,500\nPayment ID p1' },
    ]);
    const next = card.buttons[0]?.action;
    expect(next?.type === 'command' && [next.action, next.args]).toEqual(['sales.transactions', ['link1', '2']]);
    expect(reply.kind === 'card' && reply.quickReplies).toHaveLength(1);
  });

  it("shows each payment in its own currency, an awaiting payment's deadline and a fraud mark", () => {
    const card = cardOf(
      transactionsReply(
        {
          link: salesLink(),
          page: 1,
          transactions: [
            { id: 'p3', state: 'awaiting', amount: 1190, refundedAmount: 0, at: '2026-11-28T01:00:00.000Z', deadline: '2026-12-01T14:59:00.000Z' },
            { id: 'p4', state: 'captured', amount: 680, currency: 'USD', refundedAmount: 0, at: '2026-11-28T01:00:00.000Z', fraud: true },
          ],
          hasMore: false,
        },
        context('en'),
      ),
    );
    expect(card.rows.map((entry) => entry.value)).toEqual([
      'Awaiting payment · ¥1,190\nPay by Dec 1, 2026, 11:59 PM\nPayment ID p3',
      'Paid · $6.80\n⚠ KOMOJU marked this payment as fraud\nPayment ID p4',
    ]);
  });

  it("numbers a subscription's payments and marks a failed renewal, in ja and ko", () => {
    const subscription = {
      link: salesLink({ billingInterval: 'month' }),
      page: 1,
      transactions: [
        { id: 'p6', state: 'unsuccessful' as const, amount: 1200, refundedAmount: 0, at: '2026-11-28T01:00:00.000Z', subscriptionPayment: 0 },
        { id: 'p5', state: 'captured' as const, amount: 1200, refundedAmount: 0, at: '2026-11-27T01:00:00.000Z', subscriptionPayment: 2 },
      ],
      hasMore: false,
    };
    expect(cardOf(transactionsReply(subscription, context('ja'))).rows.map((entry) => entry.value.split('\n')[1])).toEqual(['定期購入のお支払い（未回収）', '定期購入 2回目のお支払い']);
    expect(cardOf(transactionsReply(subscription, context('ko'))).rows.map((entry) => entry.value.split('\n')[1])).toEqual(['정기 결제 (결제 안 됨)', '정기 결제 2회차']);
  });

  it('has no next page on the last one and says when there are none', () => {
    const last = cardOf(transactionsReply({ link: salesLink(), page: 2, transactions, hasMore: false }, context('ko')));
    // The owner also gets Refund / cancel (a partly refunded payment has money left); staff do not.
    expect(last.buttons.map((button) => button.label)).toEqual(['매출 요약', '환불·취소']);
    const staff = cardOf(transactionsReply({ link: salesLink(), page: 2, transactions, hasMore: false }, context('ko', { merchantId: 'm1', merchantName: 'Cafe', role: 'staff' })));
    expect(staff.buttons.map((button) => button.label)).toEqual(['매출 요약']);
    const empty = transactionsReply({ link: salesLink(), page: 1, transactions: [], hasMore: false }, context('ja'));
    expect(empty.kind === 'text' && empty.text).toBe('「Coffee Beans」の取引はまだありません。');
  });
});
