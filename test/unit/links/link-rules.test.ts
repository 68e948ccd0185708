import { describe, expect, it } from 'vitest';
import { shareUrl } from '../../../src/line/render.js';
import { shareText } from '../../../src/links/link-card.js';
import type { LinkView } from '../../../src/links/link-view.js';
import { isSkipWord, readLanguage, readStatus } from '../../../src/links/dialogs/field-answers.js';
import { parseExpiry, parseUsageLimit } from '../../../src/links/link-limits.js';
import { isSlug, newSlug } from '../../../src/links/slug.js';

const NOW = new Date('2026-11-28T03:00:00.000Z');

describe('usage limit', () => {
  it.each([
    ['10', 10],
    ['１０', 10],
    ['1,000', 1000],
    ['10回', 10],
    ['5 times', 5],
    ['3번', 3],
  ])('reads %j', (input, usageLimit) => {
    expect(parseUsageLimit(input)).toEqual({ ok: true, usageLimit });
  });
  it.each([
    ['0', 'out_of_range'],
    ['1000001', 'out_of_range'],
    ['-3', 'not_a_number'],
    ['2.5', 'not_a_number'],
    ['ten', 'not_a_number'],
    ['', 'not_a_number'],
    ['9'.repeat(10_000), 'not_a_number'],
  ])('refuses %j', (input, reason) => {
    expect(parseUsageLimit(input)).toEqual({ ok: false, reason });
  });
});

describe('expiry', () => {
  it('reads days from now and dates as the end of that day in Japan/Korea time', () => {
    expect(parseExpiry('7', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-05T03:00:00.000Z') });
    expect(parseExpiry('30日', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-28T03:00:00.000Z') });
    expect(parseExpiry('2026-12-31', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-31T14:59:59.999Z') });
    expect(parseExpiry('２０２６年１２月３１日', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-31T14:59:59.999Z') });
    expect(parseExpiry('2026년 12월 31일', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-31T14:59:59.999Z') });
    // Today still counts until midnight in Japan.
    expect(parseExpiry('2026/11/28', NOW)).toMatchObject({ ok: true });
  });
  it.each([
    ['2026-11-27', 'past'],
    ['0', 'past'],
    ['400', 'too_far'],
    ['2028-01-01', 'too_far'],
    ['2026-02-30', 'not_a_date'],
    ['tomorrow', 'not_a_date'],
    ['🙂', 'not_a_date'],
  ])('refuses %j', (input, reason) => {
    expect(parseExpiry(input, NOW)).toEqual({ ok: false, reason });
  });
});

describe('choice words', () => {
  it('reads languages, statuses and skip words in every language and width', () => {
    expect(readLanguage('ＥＮＧＬＩＳＨ')).toBe('en');
    expect(readLanguage('日本語')).toBe('ja');
    expect(readLanguage('한국어')).toBe('ko');
    expect(readLanguage('français')).toBeNull();
    expect(readStatus('有効')).toBe('active');
    expect(readStatus(' Inactive ')).toBe('inactive');
    // The words the buttons and cards show: 受付中 / 停止中, 판매 중 / 판매 중지.
    expect(readStatus('受付中')).toBe('active');
    expect(readStatus('停止中')).toBe('inactive');
    expect(readStatus('판매 중')).toBe('active');
    expect(readStatus('판매중지')).toBe('inactive');
    expect(readStatus('perhaps')).toBeNull();
    for (const word of ['skip', 'スキップ', 'なし', '건너뛰기', 'None']) expect(isSkipWord(word)).toBe(true);
    expect(isSkipWord('skipping rope')).toBe(false);
  });
});

describe('slug', () => {
  it('is URL-safe, 96 random bits, and never repeats in practice', () => {
    const slugs = new Set(Array.from({ length: 10_000 }, () => newSlug()));
    expect(slugs.size).toBe(10_000);
    for (const slug of slugs) {
      expect(isSlug(slug)).toBe(true);
      expect(Buffer.from(slug, 'base64url')).toHaveLength(12);
    }
    expect(isSlug('../../etc/passwd')).toBe(false);
  });
});

describe('share text', () => {
  const url = `https://payments.example-coffee-roasters.co.jp/l/${'s'.repeat(22)}`;
  const link = (productName: string): LinkView => ({
    id: 'l1',
    slug: 's'.repeat(22),
    productName,
    amount: 1500,
    currency: 'JPY',
    description: '',
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
    url,
    qrUrl: `${url}.png`,
    createdAt: '2026-11-28T00:00:00.000Z',
  });

  it('keeps the issued card’s Share URI within LINE’s 1000 characters, falling back to the URL', () => {
    const short = shareText(link('Tシャツ'));
    expect(short).toContain('Tシャツ');
    expect(short).toContain(url);
    const long = shareText(link('限'.repeat(80)));
    expect(long).toBe(url);
    expect(shareUrl(long).length).toBeLessThanOrEqual(1000);
  });
});
