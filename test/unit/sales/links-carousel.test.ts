import { describe, expect, it } from 'vitest';
import type { Button, Card, Reply } from '../../../src/conversation/types.js';
import { linksCarousel, salesLinkCard } from '../../../src/sales/links-carousel.js';
import { linkState } from '../../../src/sales/sales-link-view.js';
import { NOW, STAFF, context, salesLink } from './sales-fixtures.js';

function row(card: Card, label: string): string | undefined {
  return card.rows.find((entry) => entry.label === label)?.value;
}

function commandOf(button: Button | undefined): { action: string; args: string[] } | undefined {
  return button?.action.type === 'command' ? { action: button.action.action, args: button.action.args ?? [] } : undefined;
}

describe('linkState', () => {
  it.each([
    [{}, 'active'],
    [{ status: 'inactive' as const }, 'inactive'],
    [{ status: 'inactive' as const, expiresAt: '2020-01-01T00:00:00Z' }, 'inactive'],
    [{ expiresAt: '2026-11-28T03:00:00.000Z' }, 'expired'],
    [{ expiresAt: '2026-11-28T03:00:00.001Z' }, 'active'],
    [{ usageLimit: 3, usedCount: 3 }, 'usedUp'],
    [{ usageLimit: 3, usedCount: 2 }, 'active'],
  ])('%j → %s', (overrides, state) => {
    expect(linkState(salesLink(overrides), NOW)).toBe(state);
  });
});

describe('salesLinkCard', () => {
  it('offers staff no Activate / Deactivate: only owners may switch a link', () => {
    const labels = salesLinkCard(salesLink(), context('en', STAFF)).buttons.map((button) => button.label);
    expect(labels).toEqual(['Summary', 'QR code', 'Share', 'Edit', 'Transactions', 'Duplicate']);
  });

  it('shows product, price, status, captured amount and the seven actions', () => {
    const card = salesLinkCard(salesLink({ capturedAmount: 4500 }), context('en'));
    expect(card.title).toBe('Coffee Beans');
    expect(card.subtitle).toBe('¥1,500');
    expect(row(card, 'Status')).toBe('Active');
    expect(row(card, 'Sales so far')).toBe('¥4,500');
    expect(card.buttons.map((button) => button.label)).toEqual(['Summary', 'QR code', 'Share', 'Deactivate', 'Edit', 'Transactions', 'Duplicate']);
    expect(card.buttons.map(commandOf)).toEqual([
      { action: 'summary', args: ['link1'] },
      { action: 'sales.qr', args: ['link1'] },
      undefined,
      { action: 'sales.setStatus', args: ['link1', 'inactive'] },
      { action: 'sales.edit', args: ['link1'] },
      { action: 'sales.transactions', args: ['link1', '1'] },
      { action: 'sales.duplicate', args: ['link1'] },
    ]);
    const share = card.buttons[2]?.action;
    expect(share?.type === 'share' && share.text).toContain('https://shop.example/l/abcDEF123');
  });

  it('shares just the URL when a long name would make the share URI longer than LINE allows', () => {
    const long = salesLinkCard(salesLink({ productName: 'あ'.repeat(80), url: `https://payments.example-coffee-roasters.co.jp/l/${'s'.repeat(22)}` }), context('ja'));
    const share = long.buttons[2]?.action;
    expect(share).toEqual({ type: 'share', text: `https://payments.example-coffee-roasters.co.jp/l/${'s'.repeat(22)}` });
  });

  it('offers Activate for an inactive link and marks test links', () => {
    const card = salesLinkCard(salesLink({ status: 'inactive', testMode: true }), context('en'));
    expect(row(card, 'Status')).toBe('Inactive · TEST');
    expect(card.buttons[3]?.label).toBe('Activate');
    expect(commandOf(card.buttons[3])).toEqual({ action: 'sales.setStatus', args: ['link1', 'active'] });
  });

  it.each([
    ['ja', '¥1,500', '上限到達'],
    ['ko', '¥1,500', '횟수 소진'],
  ] as const)('speaks %s', (language, price, usedUp) => {
    const card = salesLinkCard(salesLink({ usageLimit: 1, usedCount: 1 }), context(language));
    expect(card.subtitle).toBe(price);
    expect(card.rows.map((entry) => entry.value)).toContain(usedUp);
  });

  it('formats the captured amount in the link currency', () => {
    const card = salesLinkCard(salesLink({ amount: 1250, currency: 'USD', capturedAmount: 2500 }), context('en'));
    expect(card.subtitle).toBe('$12.50');
    expect(row(card, 'Sales so far')).toBe('$25.00');
  });
});

describe('linksCarousel', () => {
  const page = (count: number, hasMore: boolean, pageNumber = 0) => ({
    page: pageNumber,
    pageSize: 11,
    hasMore,
    links: Array.from({ length: count }, (_, index) => salesLink({ id: `l${index}`, productName: `P${index}` })),
  });

  it('adds a twelfth "more" bubble and a quick reply when older links exist', () => {
    const reply = linksCarousel(page(11, true), context('en')) as Extract<Reply, { kind: 'carousel' }>;
    expect(reply.kind).toBe('carousel');
    expect(reply.cards).toHaveLength(12);
    expect(reply.cards[11]?.title).toBe('More links');
    expect(commandOf(reply.cards[11]?.buttons[0])).toEqual({ action: 'links', args: ['1'] });
    expect(commandOf(reply.quickReplies?.[0])).toEqual({ action: 'links', args: ['1'] });
  });

  it('shows the last page without a "more" bubble', () => {
    const reply = linksCarousel(page(3, false, 1), context('en')) as Extract<Reply, { kind: 'carousel' }>;
    expect(reply.cards.map((card) => card.title)).toEqual(['P0', 'P1', 'P2']);
    expect(reply.quickReplies).toBeUndefined();
    expect(reply.altText).toContain('page 2');
  });

  it('answers an empty list with ways to make a link', () => {
    const reply = linksCarousel(page(0, false), context('ja'));
    expect(reply.kind === 'text' && reply.text).toContain('まだ支払いリンクがありません');
    expect(reply.kind === 'text' && reply.quickReplies?.map((button) => button.action)).toEqual([
      { type: 'text', text: 'クイック' },
      { type: 'text', text: '作成' },
    ]);
  });
});
