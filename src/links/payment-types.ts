// Which of KOMOJU's payment types a link's checkout offers (the session's `payment_types`). Empty
// means every type the shop's KOMOJU account has enabled. Pure.
import { z } from 'zod';
import { normalizeText } from '../conversation/normalize.js';

/**
 * KOMOJU payment type ids (its type_slug) a link may restrict to, as typed words know them. Which
 * of them a shop can offer is its KOMOJU account's list (links/payment-methods.ts); LINE Pay is not
 * here: its Japanese service ended on 30 April 2025.
 */
export const PAYMENT_TYPES = ['credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay', 'merpay', 'rakutenpay', 'aupay', 'paidy'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

export const paymentTypesSchema = z.array(z.enum(PAYMENT_TYPES)).max(PAYMENT_TYPES.length);

const WORDS: Record<PaymentType, readonly string[]> = {
  credit_card: ['card', 'cards', 'credit', 'creditcard', 'credit_card', 'カード', 'クレジットカード', 'クレジット', '카드', '신용카드'],
  konbini: ['konbini', 'conbini', 'convenience', 'コンビニ', 'コンビニ払い', '편의점'],
  bank_transfer: ['bank', 'banktransfer', 'bank_transfer', '銀行振込', '銀行', '振込', '계좌이체', '은행'],
  pay_easy: ['payeasy', 'pay-easy', 'pay_easy', 'ペイジー', '페이지'],
  paypay: ['paypay', 'ペイペイ', '페이페이'],
  merpay: ['merpay', 'メルペイ', '메르페이'],
  rakutenpay: ['rakutenpay', 'rakuten', '楽天ペイ', '楽天', '라쿠텐페이'],
  aupay: ['aupay', 'au', 'au_pay', 'auペイ'],
  paidy: ['paidy', 'ペイディ', 'ペイディー', '페이디'],
};

/** "card, paypay", "カード・PayPay", "카드 페이페이" → the types, in a fixed order; null if a word is unknown. */
export function parsePaymentTypes(input: string): PaymentType[] | null {
  const words = normalizeText(input)
    .toLowerCase()
    .replace(/\b(au|pay|rakuten)\s+pay\b/g, '$1pay')
    .split(/[\s,、，・/]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  const chosen = new Set<PaymentType>();
  for (const word of words) {
    const type = PAYMENT_TYPES.find((candidate) => WORDS[candidate].includes(word));
    if (!type) return null;
    chosen.add(type);
  }
  return PAYMENT_TYPES.filter((type) => chosen.has(type));
}

/** A stored value as this code reads it: types no longer offered (LINE Pay) dropped; anything unreadable offers every type. */
export function readPaymentTypes(stored: unknown): PaymentType[] {
  const parsed = z.array(z.string()).safeParse(stored ?? []);
  return parsed.success ? PAYMENT_TYPES.filter((type) => parsed.data.includes(type)) : [];
}

export function isPaymentType(value: string): value is PaymentType {
  return (PAYMENT_TYPES as readonly string[]).includes(value);
}

/** The word `parsePaymentTypes` reads for a type ("card", "paypay"…), for a button's typed value. */
export function paymentTypeWord(type: PaymentType): string {
  return WORDS[type][0]!;
}

/** The chosen types the account does not list; none when the account's list is unknown. */
export function typesNotOffered(chosen: readonly PaymentType[], offered: readonly { type: string }[] | null | undefined): PaymentType[] {
  if (!offered) return [];
  return chosen.filter((type) => !offered.some((method) => method.type === type));
}
