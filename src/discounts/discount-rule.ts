// What a discount code is and what it takes off. Pure: the chat and the CLI create codes with these
// rules, the checkout applies them (payments/checkout-amount.ts).
import { z } from 'zod';
import { normalizeText } from '../conversation/normalize.js';
import { parseAmount } from '../links/amount.js';
import { isSupportedCurrency, type Currency } from '../i18n/currency.js';

const CODE_MIN_LENGTH = 3;
const CODE_MAX_LENGTH = 20;
const PERCENT_OFF_MAX = 99;
export const USAGE_CAP_MAX = 1_000_000;

/**
 * The key a code is stored and matched under: no invisibles, NFKC (so `ｓｐｒｉｎｇ１０` is
 * `spring10`), upper case, no spaces. Buyers type codes in any case and width.
 */
export function codeKey(text: string): string {
  return normalizeText(text).replace(/\s+/gu, '').toUpperCase();
}

export type CodeTextError = 'too_short' | 'too_long' | 'bad_characters';

/** A code as an owner may name it: 3–20 letters, digits, `-` or `_` once folded (SPRING10, 春セール-10 no). */
export function checkCodeText(text: string): { ok: true; code: string; key: string } | { ok: false; reason: CodeTextError } {
  const code = normalizeText(text).replace(/\s+/gu, '');
  const key = code.toUpperCase();
  if (key.length < CODE_MIN_LENGTH) return { ok: false, reason: 'too_short' };
  if (key.length > CODE_MAX_LENGTH) return { ok: false, reason: 'too_long' };
  if (!/^[A-Z0-9_-]+$/.test(key)) return { ok: false, reason: 'bad_characters' };
  return { ok: true, code, key };
}

/** What a code takes off: a percentage of the subtotal, or a fixed amount in one currency. */
export type DiscountOff = { kind: 'percent'; percent: number } | { kind: 'amount'; amount: number; currency: Currency };

export const discountOffSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: z.number().int().min(1).max(PERCENT_OFF_MAX) }),
  z.object({ kind: z.literal('amount'), amount: z.number().int().min(1), currency: z.string().refine(isSupportedCurrency) }),
]);

export type DiscountOffError = 'not_an_offer' | 'percent_out_of_range' | 'amount_invalid';

/** "10%", "１０％", "10 %" → 10 % off; "500", "¥500", "5 USD" → that amount off (default currency JPY). */
export function parseDiscountOff(input: string, defaultCurrency: Currency = 'JPY'): { ok: true; off: DiscountOff } | { ok: false; reason: DiscountOffError } {
  const text = normalizeText(input);
  const percent = /^(\d{1,3})\s*(?:%|パーセント|퍼센트|percent)\s*(?:off|オフ|引き|割引|할인)?$/iu.exec(text);
  if (percent?.[1]) {
    const value = Number(percent[1]);
    if (value < 1 || value > PERCENT_OFF_MAX) return { ok: false, reason: 'percent_out_of_range' };
    return { ok: true, off: { kind: 'percent', percent: value } };
  }
  const amount = parseAmount(text.replace(/\s*(?:off|オフ|引き|割引|할인)$/iu, ''), defaultCurrency);
  if (!amount.ok) return { ok: false, reason: amount.reason === 'not_a_number' || amount.reason === 'empty' ? 'not_an_offer' : 'amount_invalid' };
  return { ok: true, off: { kind: 'amount', amount: amount.amount, currency: amount.currency } };
}

/** The stored columns as an offer; null when they do not read (never applied). */
export function readDiscountOff(code: { percentOff: number | null; amountOff: number | null; currency: string | null }): DiscountOff | null {
  const parsed = discountOffSchema.safeParse(code.percentOff !== null ? { kind: 'percent', percent: code.percentOff } : { kind: 'amount', amount: code.amountOff, currency: code.currency });
  return parsed.success ? parsed.data : null;
}

/**
 * What a code takes off a subtotal: a percentage rounded DOWN to the currency's smallest unit (the
 * buyer never gets more than the stated percentage), or the fixed amount. null when the code cannot
 * apply: a fixed amount in another currency than the link's.
 */
export function discountOn(subtotal: number, currency: Currency, off: DiscountOff): number | null {
  if (off.kind === 'percent') return Math.floor((subtotal * off.percent) / 100);
  return off.currency === currency ? off.amount : null;
}
