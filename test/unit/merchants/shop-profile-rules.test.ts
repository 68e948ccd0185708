import { describe, expect, it } from 'vitest';
import { checkShopValue, isLegalNoticeComplete, missingLegalItems } from '../../../src/merchants/shop-profile-rules.js';

const EMPTY = { legalName: null, legalAddress: null, legalPhone: null, legalResponsible: null, returnsPolicy: null, deliveryTiming: null, legalUrl: null };

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
    expect(checkShopValue('contact', 'shop@example.com').ok).toBe(true);
    expect(checkShopValue('contact', '02-123-4567').ok).toBe(true);
    expect(checkShopValue('contact', 'instagram')).toEqual({ ok: false, reason: 'not_contact' });
    expect(checkShopValue('legalUrl', 'javascript:alert(1)')).toEqual({ ok: false, reason: 'not_url' });
    expect(checkShopValue('legalUrl', 'https://shop.example/tokushoho')).toEqual({ ok: true, value: 'https://shop.example/tokushoho' });
  });
});

describe('the legal notice', () => {
  it('is complete with all six items, or with a URL to the shop’s own page', () => {
    expect(missingLegalItems(EMPTY)).toEqual(['legalName', 'legalAddress', 'legalPhone', 'legalResponsible', 'returnsPolicy', 'deliveryTiming']);
    const typed = { ...EMPTY, legalName: 'a', legalAddress: 'b', legalPhone: '03-1234-5678', legalResponsible: 'c', returnsPolicy: 'd', deliveryTiming: 'e' };
    expect(isLegalNoticeComplete(typed)).toBe(true);
    expect(isLegalNoticeComplete({ ...typed, deliveryTiming: null })).toBe(false);
    expect(isLegalNoticeComplete({ ...EMPTY, legalUrl: 'https://shop.example/legal' })).toBe(true);
  });
});
