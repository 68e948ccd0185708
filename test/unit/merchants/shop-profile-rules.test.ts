import { describe, expect, it } from 'vitest';
import { SHOP_TEXT_FIELDS, checkShopValue, isLegalNoticeComplete, missingLegalItems, shopCurrency, shopProfileFields } from '../../../src/merchants/shop-profile-rules.js';

const EMPTY = { ...(Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, null])) as Record<(typeof SHOP_TEXT_FIELDS)[number], null>), country: null };

describe('shop profile values', () => {
  it('cleans text (NFKC, invisibles, spaces) and keeps line breaks only where they belong', () => {
    expect(checkShopValue('displayName', '  Ｃａｆé\u200b  Momo ')).toEqual({ ok: true, value: 'Café Momo' });
    expect(checkShopValue('returnsPolicy', 'Returns within 7 days.\r\nUnopened only.')).toEqual({ ok: true, value: 'Returns within 7 days.\nUnopened only.' });
    expect(checkShopValue('legalAddress', 'Tokyo\nShibuya')).toEqual({ ok: true, value: 'Tokyo Shibuya' });
  });
  it('refuses empty, too long, and values of the wrong kind', () => {
    expect(checkShopValue('legalName', '   ')).toEqual({ ok: false, reason: 'empty' });
    expect(checkShopValue('displayName', 'あ'.repeat(81))).toEqual({ ok: false, reason: 'too_long' });
    expect(checkShopValue('displayName', 'あ'.repeat(80)).ok).toBe(true);
    expect(checkShopValue('legalPhone', 'call me')).toEqual({ ok: false, reason: 'not_phone' });
    expect(checkShopValue('legalPhone', '＋８１ ３ １２３４ ５６７８')).toEqual({ ok: true, value: '+81 3 1234 5678' });
    expect(checkShopValue('legalEmail', 'shop@example.com').ok).toBe(true);
    expect(checkShopValue('legalEmail', '02-123-4567')).toEqual({ ok: false, reason: 'not_email' });
    expect(checkShopValue('businessNumber', '１２３４５６７８９０')).toEqual({ ok: true, value: '123-45-67890' });
    expect(checkShopValue('businessNumber', '123-45-6789')).toEqual({ ok: false, reason: 'not_business_number' });
    expect(checkShopValue('legalUrl', 'javascript:alert(1)')).toEqual({ ok: false, reason: 'not_url' });
    expect(checkShopValue('legalUrl', 'https://shop.example/tokushoho')).toEqual({ ok: true, value: 'https://shop.example/tokushoho' });
  });
});

describe('the legal notice', () => {
  it('needs what 特定商取引法 lists for a Japanese seller (運営統括責任者 may be disclosed on request), or a URL to the shop’s own page', () => {
    expect(missingLegalItems(EMPTY)).toEqual(['legalName', 'legalAddress', 'legalPhone', 'legalEmail', 'extraCharges', 'deliveryTiming', 'returnsPolicy']);
    const typed = { ...EMPTY, country: 'JP' as const, legalName: 'a', legalAddress: 'b', legalPhone: '03-1234-5678', legalEmail: 'a@b.jp', extraCharges: 'c', returnsPolicy: 'd', deliveryTiming: 'e' };
    expect(isLegalNoticeComplete(typed)).toBe(true);
    expect(isLegalNoticeComplete({ ...typed, deliveryTiming: null })).toBe(false);
    expect(isLegalNoticeComplete({ ...EMPTY, legalUrl: 'https://shop.example/legal' })).toBe(true);
  });

  it('needs what 전자상거래법 lists for a Korean seller (통신판매업 신고번호 is exempt for small sellers)', () => {
    const korean = { ...EMPTY, country: 'KR' as const };
    expect(missingLegalItems(korean)).toEqual(['legalName', 'legalResponsible', 'legalAddress', 'legalPhone', 'legalEmail', 'businessNumber']);
    expect(missingLegalItems({ ...korean, legalName: 'a', legalResponsible: 'b', legalAddress: 'c', legalPhone: '02-123-4567', legalEmail: 'a@b.kr', businessNumber: '123-45-67890' })).toEqual([]);
  });

  it('offers each country its fields within LINE’s 13 quick replies (one is Done), and a currency only to Korea', () => {
    for (const country of ['JP', 'KR'] as const) expect(shopProfileFields(country).length).toBeLessThanOrEqual(12);
    expect(shopProfileFields('JP')).not.toContain('currency');
    expect(shopProfileFields('KR')).toContain('currency');
    expect(shopCurrency({ country: 'KR', currency: null })).toBe('KRW');
    expect(shopCurrency({ country: 'KR', currency: 'JPY' })).toBe('JPY');
    // A Japanese shop prices in yen whatever is stored.
    expect(shopCurrency({ country: 'JP', currency: 'KRW' })).toBe('JPY');
    expect(shopCurrency({ country: null, currency: null })).toBe('JPY');
  });
});
