// How many a buyer may buy in one payment. A link's quantity is fixed (min = max; 1 unless the
// merchant says otherwise) or adjustable between min and max. Pure rules, shared by the chat, the
// link rules and the buyer's page.
import { normalizeText } from '../conversation/normalize.js';
import { maxAmount, type Currency } from '../i18n/currency.js';

/** Most units one payment may buy: a chat shop's orders, not a wholesaler's. */
export const QUANTITY_MAX = 99;

export interface QuantityRange {
  min: number;
  max: number;
}

export function isAdjustable(range: QuantityRange): boolean {
  return range.max > range.min;
}

export type QuantityRangeError = 'not_a_range' | 'out_of_range' | 'min_above_max' | 'over_usage_limit' | 'total_too_large';
export type ParsedQuantityRange = { ok: true; range: QuantityRange } | { ok: false; reason: QuantityRangeError };

/**
 * "1-5", "1〜5", "1~5", "1 to 5", "1から5", "1부터 5" → adjustable 1..5; a single number "3" → fixed
 * at 3 ("fixed" words are for the caller). Full-width digits are fine (NFKC).
 */
export function parseQuantityRange(input: string): ParsedQuantityRange {
  const text = normalizeText(input).replace(/\s*(?:個|点|개|pcs?|units?)\s*/giu, '');
  const range = /^(\d{1,3})\s*(?:-|~|〜|～|–|to|から|부터|에서)\s*(\d{1,3})\s*(?:まで|까지)?$/iu.exec(text);
  const single = /^(\d{1,3})$/u.exec(text);
  let parsed: QuantityRange;
  if (range?.[1] && range[2]) parsed = { min: Number(range[1]), max: Number(range[2]) };
  else if (single?.[1]) parsed = { min: Number(single[1]), max: Number(single[1]) };
  else return { ok: false, reason: 'not_a_range' };
  const problem = quantityRangeProblem(parsed);
  return problem ? { ok: false, reason: problem } : { ok: true, range: parsed };
}

/** Why a range cannot be a link's (alone, or with its price and usage limit), or null. */
export function quantityRangeProblem(range: QuantityRange, link?: { amount?: number | undefined; currency?: Currency | undefined; usageLimit?: number | null | undefined }): QuantityRangeError | null {
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max)) return 'not_a_range';
  if (range.min < 1 || range.max > QUANTITY_MAX) return 'out_of_range';
  if (range.min > range.max) return 'min_above_max';
  // A minimum the limit can never hold would make the link unbuyable.
  if (link?.usageLimit !== undefined && link.usageLimit !== null && range.min > link.usageLimit) return 'over_usage_limit';
  if (link?.amount !== undefined && link.currency !== undefined && link.amount * range.max > maxAmount(link.currency)) return 'total_too_large';
  return null;
}

export type BuyerQuantityError = 'not_a_number' | 'below_min' | 'above_max' | 'not_enough_left';
export type BuyerQuantity = { ok: true; quantity: number } | { ok: false; reason: BuyerQuantityError };

/**
 * The quantity a buyer posted, read against what the offer allows now (links/offer-rule.ts). A
 * link whose own quantity is fixed has no field and ignores one. When only one quantity is left to
 * choose (min = max below the link's own maximum) the page has no field either, and an absent field
 * means that quantity; a value posted from a page rendered when more were left is checked, never
 * silently changed. Above `offered.max` is "not enough left" when places, not the link's own
 * maximum (`linkMax`), set that maximum.
 */
export function readBuyerQuantity(raw: unknown, offered: QuantityRange, linkMax: number): BuyerQuantity {
  const text = typeof raw === 'string' ? normalizeText(raw) : '';
  if (!isAdjustable(offered) && (offered.max === linkMax || text === '')) return { ok: true, quantity: offered.min };
  if (!/^\d{1,3}$/.test(text)) return { ok: false, reason: 'not_a_number' };
  const quantity = Number(text);
  if (quantity < offered.min) return { ok: false, reason: 'below_min' };
  if (quantity > offered.max) return { ok: false, reason: offered.max < linkMax && quantity <= linkMax ? 'not_enough_left' : 'above_max' };
  return { ok: true, quantity };
}
