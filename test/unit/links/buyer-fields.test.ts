import { describe, expect, it } from 'vitest';
import { normalizePhone, normalizePostalCode, parseBuyerDetailKinds, parseQuestion, readBuyerDetails } from '../../../src/links/buyer-fields.js';
import { parsePaymentTypes } from '../../../src/links/payment-types.js';

describe('what a link asks, as the merchant types it', () => {
  it.each([
    ['name, phone', ['name', 'phone']],
    ['住所・名前', ['name', 'address']],
    ['이름 전화 이메일', ['name', 'phone', 'email']],
  ])('%j → %j', (typed, kinds) => {
    expect(parseBuyerDetailKinds(typed)).toEqual(kinds);
  });
  it('refuses an unknown word', () => {
    expect(parseBuyerDetailKinds('name, birthday')).toBeNull();
  });
  it('reads a question with choices, or a free one', () => {
    expect(parseQuestion('Size? S / M / L')).toEqual({ ok: true, question: { text: 'Size?', choices: ['S', 'M', 'L'] } });
    expect(parseQuestion('サイズ：S/M/L')).toEqual({ ok: true, question: { text: 'サイズ', choices: ['S', 'M', 'L'] } });
    expect(parseQuestion('Pickup time?')).toEqual({ ok: true, question: { text: 'Pickup time?', choices: [] } });
    expect(parseQuestion('x'.repeat(101))).toEqual({ ok: false, reason: 'too_long' });
    // Dates keep their slash: one choice per line, or slashes that are not between two digits.
    expect(parseQuestion('Pickup date?\n12/12\n\n- 12/13\r\n• 1/2 size')).toEqual({ ok: true, question: { text: 'Pickup date?', choices: ['12/12', '12/13', '1/2 size'] } });
    expect(parseQuestion('受け取り日：\n12/12\n12/13')).toEqual({ ok: true, question: { text: '受け取り日', choices: ['12/12', '12/13'] } });
    expect(parseQuestion('Pickup date? 12/12 / 12/13')).toEqual({ ok: true, question: { text: 'Pickup date?', choices: ['12/12', '12/13'] } });
    expect(parseQuestion('Pickup date? 12/12')).toEqual({ ok: true, question: { text: 'Pickup date? 12/12', choices: [] } });
    expect(parseQuestion(`Which?\n${Array.from({ length: 11 }, (_, index) => `${index + 1}/1`).join('\n')}`)).toEqual({ ok: false, reason: 'too_many_choices' });
  });
  it('reads payment types in three languages', () => {
    expect(parsePaymentTypes('card, PayPay')).toEqual(['credit_card', 'paypay']);
    expect(parsePaymentTypes('カード・コンビニ')).toEqual(['credit_card', 'konbini']);
    expect(parsePaymentTypes('카드 Rakuten Pay')).toEqual(['credit_card', 'rakutenpay']);
    expect(parsePaymentTypes('ペイディ')).toEqual(['paidy']);
    // LINE Pay's Japanese service ended on 30 April 2025: no longer a method to choose.
    expect(parsePaymentTypes('카드 LINE Pay')).toBeNull();
    expect(parsePaymentTypes('cash')).toBeNull();
  });
});

describe("the buyer's answers", () => {
  it('normalises Japanese and Korean phone numbers and postal codes', () => {
    expect(normalizePhone('090-1234-5678')).toBe('09012345678');
    expect(normalizePhone('+82 10 1234 5678')).toBe('+821012345678');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePostalCode('JP', '〒150-0001')).toBe('150-0001');
    expect(normalizePostalCode('JP', '04524')).toBeNull();
    expect(normalizePostalCode('KR', '04524')).toBe('04524');
    expect(normalizePostalCode('KR', '150-0001')).toBeNull();
  });
  it('reports every problem at once', () => {
    const result = readBuyerDetails({ buyerName: '', email: 'nope', answer: 'XL' }, { ask: ['name', 'email'], question: { text: 'Size?', choices: ['S'] } });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'buyerName', reason: 'missing' },
        { field: 'email', reason: 'not_email' },
        { field: 'answer', reason: 'not_a_choice' },
      ],
    });
  });
  it('ignores fields the link does not ask for', () => {
    expect(readBuyerDetails({ buyerName: 'Someone' }, { ask: [], question: null })).toEqual({ ok: true, details: {} });
  });
});
