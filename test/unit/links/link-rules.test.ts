import { describe, expect, it } from 'vitest';
import { shareUrl } from '../../../src/line/render.js';
import { shareText } from '../../../src/links/link-card.js';
import type { LinkView } from '../../../src/links/link-view.js';
import { isSkipWord, readLanguage, readStatus } from '../../../src/links/fields/field-words.js';
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
    ['3個', 3],
    ['3回', 3],
    ['3개', 3],
    ['３', 3],
    ['３個まで', 3],
    ['5개까지', 5],
    ['up to 5 payments', 5],
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
  // NOW is Saturday 2026-11-28, noon in Japan; every day below ends at 23:59:59.999 Japan time.
  const endOf = (day: string) => new Date(`${day}T23:59:59.999+09:00`);
  it.each([
    ['12月31日', '2026-12-31'],
    ['12/31', '2026-12-31'],
    ['１２／３１', '2026-12-31'],
    ['2026/12/31', '2026-12-31'],
    ['12월 31일', '2026-12-31'],
    ['Dec 31', '2026-12-31'],
    ['31 December 2026', '2026-12-31'],
    ['12/31まで', '2026-12-31'],
    ['1/15', '2027-01-15'],
    ['1月15日', '2027-01-15'],
    ['11/27', '2027-11-27'],
    ['11/28', '2026-11-28'],
    ['明日', '2026-11-29'],
    ['あした', '2026-11-29'],
    ['明後日', '2026-11-30'],
    ['내일', '2026-11-29'],
    ['모레', '2026-11-30'],
    ['tomorrow', '2026-11-29'],
    ['Tomorrow', '2026-11-29'],
    ['today', '2026-11-28'],
    ['来週金曜', '2026-12-04'],
    ['来週の金曜日', '2026-12-04'],
    ['金曜', '2026-12-04'],
    ['再来週月曜', '2026-12-07'],
    ['next friday', '2026-12-04'],
    ['Next Fri', '2026-12-04'],
    ['friday', '2026-12-04'],
    ['sunday', '2026-11-29'],
    ['next monday', '2026-11-30'],
    ['다음 주 금요일', '2026-12-04'],
    ['다음주 금요일', '2026-12-04'],
    ['금요일', '2026-12-04'],
    ['土曜', '2026-11-28'],
    ['月末', '2026-11-30'],
    ['来月末', '2026-12-31'],
    ['월말', '2026-11-30'],
    ['다음 달 말', '2026-12-31'],
    ['end of next month', '2026-12-31'],
  ])('reads %j as the end of %s in Japan', (input, day) => {
    expect(parseExpiry(input, NOW)).toEqual({ ok: true, expiresAt: endOf(day) });
  });
  it('reads weeks and "days later" as counted from now', () => {
    expect(parseExpiry('2週間', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-12T03:00:00.000Z') });
    expect(parseExpiry('3일 후', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-01T03:00:00.000Z') });
    expect(parseExpiry('in 3 days', NOW)).toEqual({ ok: true, expiresAt: new Date('2026-12-01T03:00:00.000Z') });
  });
  it.each([
    ['2026-11-27', 'past'],
    ['0', 'past'],
    ['400', 'too_far'],
    ['2028-01-01', 'too_far'],
    ['2026-02-30', 'not_a_date'],
    ['13/45', 'not_a_date'],
    ['someday', 'not_a_date'],
    ['来週', 'not_a_date'],
    ['🙂', 'not_a_date'],
    ['今週金曜', 'past'],
    ['this friday', 'past'],
    ['이번 주 금요일', 'past'],
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
