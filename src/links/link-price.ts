// Who sets a link's price, and the tip a buyer may add. Pure: the chat and the CLI set these, the
// page shows them, the checkout reads the buyer's choice with readBuyerAmount / readBuyerTip.
//   - fixed: the link's `amount` per unit;
//   - buyer: the buyer chooses a unit amount between `amountMin` and `amountMax` (inclusive), with
//     up to PRESETS_MAX preset amounts offered as buttons; the link's `amount` holds the minimum
//     (the "from" price wherever one number is needed, e.g. the share text).
// Tips: a list of percentages (of the discounted subtotal) or of fixed amounts; "no tip" is always
// offered, and is what the page starts with.
import { z } from 'zod';
import { normalizeText } from '../conversation/normalize.js';
import { maxAmount, type Currency } from '../i18n/currency.js';
import { parseAmount } from './amount.js';

export type PriceMode = 'fixed' | 'buyer';

export const PRESETS_MAX = 4;
export const TIP_OPTIONS_MAX = 4;
/** Separators between listed amounts: spaces, 、，/・, and a comma unless it groups thousands (1,000). */
const LIST_SEPARATOR = /\s*[、，/・]\s*|,(?!\d{3}(?!\d))\s*|\s+/u;

/** A tip of more than half the order is almost surely a typo in the options. */
export const TIP_PERCENT_MAX = 50;

const amountSchema = z.number().int().min(1);

export const amountPresetsSchema = z.array(amountSchema).max(PRESETS_MAX);

export const buyerPriceSchema = z
  .object({ min: amountSchema, max: amountSchema, presets: amountPresetsSchema.default([]) })
  .refine((price) => price.min < price.max, { error: 'the minimum must be below the maximum', path: ['max'] })
  .refine((price) => price.presets.every((preset) => preset >= price.min && preset <= price.max), { error: 'presets must lie within the range', path: ['presets'] });
export type BuyerPrice = z.infer<typeof buyerPriceSchema>;

export const tipOptionsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), values: z.array(z.number().int().min(1).max(TIP_PERCENT_MAX)).min(1).max(TIP_OPTIONS_MAX) }),
  z.object({ kind: z.literal('amount'), values: z.array(amountSchema).min(1).max(TIP_OPTIONS_MAX) }),
]);
export type TipOptions = z.infer<typeof tipOptionsSchema>;

/** A link's price as the page and the checkout read it. */
export type LinkPrice = { mode: 'fixed'; amount: number } | ({ mode: 'buyer' } & BuyerPrice);

export interface StoredPriceFields {
  priceMode: string;
  amount: number;
  amountMin: number | null;
  amountMax: number | null;
  amountPresets: unknown;
}

/** The stored columns as a price; a buyer-chosen link whose range does not read falls back to its fixed amount. */
export function readLinkPrice(link: StoredPriceFields): LinkPrice {
  if (link.priceMode !== 'buyer') return { mode: 'fixed', amount: link.amount };
  const parsed = buyerPriceSchema.safeParse({ min: link.amountMin, max: link.amountMax, presets: link.amountPresets ?? [] });
  return parsed.success ? { mode: 'buyer', ...parsed.data } : { mode: 'fixed', amount: link.amount };
}

/** A stored value as this code reads it; anything unreadable offers no tip. */
export function readTipOptions(stored: unknown): TipOptions | null {
  if (stored === null || stored === undefined) return null;
  const parsed = tipOptionsSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** The scalar columns a price is stored in (the presets, JSON, are written beside them). */
export function priceColumns(price: LinkPrice): { priceMode: PriceMode; amount: number; amountMin: number | null; amountMax: number | null } {
  if (price.mode === 'fixed') return { priceMode: 'fixed', amount: price.amount, amountMin: null, amountMax: null };
  return { priceMode: 'buyer', amount: price.min, amountMin: price.min, amountMax: price.max };
}

export type PriceRangeError = 'min_above_max' | 'too_large' | 'preset_out_of_range' | 'too_many_presets';

/** Why a buyer-chosen range cannot be a link's in this currency (with its largest quantity), or null. */
export function buyerPriceProblem(price: BuyerPrice, currency: Currency, quantityMax = 1): PriceRangeError | null {
  if (price.min >= price.max) return 'min_above_max';
  if (price.max * quantityMax > maxAmount(currency)) return 'too_large';
  if (price.presets.length > PRESETS_MAX) return 'too_many_presets';
  if (price.presets.some((preset) => preset < price.min || preset > price.max)) return 'preset_out_of_range';
  return null;
}

export type TipOptionsError = 'not_tips' | 'too_many' | 'percent_out_of_range' | 'mixed';

/**
 * "10% 15% 20%", "10, 15, 20 %", "200 500", "¥200 ¥500" → tip options; percentages and amounts do
 * not mix. Amounts are read in the link's currency (a different currency is refused).
 */
export function parseTipOptions(input: string, currency: Currency): { ok: true; tips: TipOptions } | { ok: false; reason: TipOptionsError } {
  const text = normalizeText(input);
  const allPercent = /%\s*$/u.test(text);
  const parts = text.split(LIST_SEPARATOR).filter(Boolean);
  if (parts.length === 0) return { ok: false, reason: 'not_tips' };
  if (parts.length > TIP_OPTIONS_MAX) return { ok: false, reason: 'too_many' };
  const percents = parts.map((part) => /^(\d{1,3})\s*%?$/u.exec(part)).filter((match) => match !== null);
  const marked = parts.filter((part) => part.endsWith('%')).length;
  if (allPercent || marked > 0) {
    if (marked > 0 && marked < parts.length && !allPercent) return { ok: false, reason: 'mixed' };
    if (percents.length !== parts.length) return { ok: false, reason: 'not_tips' };
    const values = percents.map((match) => Number(match[1]));
    if (values.some((value) => value < 1 || value > TIP_PERCENT_MAX)) return { ok: false, reason: 'percent_out_of_range' };
    return { ok: true, tips: { kind: 'percent', values: [...new Set(values)].sort((a, b) => a - b) } };
  }
  const amounts: number[] = [];
  for (const part of parts) {
    const parsed = parseAmount(part, currency);
    if (!parsed.ok || parsed.currency !== currency) return { ok: false, reason: 'not_tips' };
    amounts.push(parsed.amount);
  }
  return { ok: true, tips: { kind: 'amount', values: [...new Set(amounts)].sort((a, b) => a - b) } };
}

export type BuyerAmountError = 'missing' | 'not_a_number' | 'below_min' | 'above_max' | 'other_currency';
export type BuyerAmount = { ok: true; amount: number } | { ok: false; reason: BuyerAmountError };

/** The form's names for the amount: a preset's radio button (or "custom") and the typed amount. */
export const CUSTOM_AMOUNT_CHOICE = 'custom';

/**
 * The unit amount a buyer chose on the page: a preset button (`choice` = its amount) or, when the
 * choice is "custom" or absent, the typed amount (`2000`, `¥2,000`, `２０００`, `12.50`). Checked
 * against the link's range; a preset must be one of the link's.
 */
export function readBuyerAmount(choice: unknown, typed: unknown, price: BuyerPrice, currency: Currency): BuyerAmount {
  const chosen = typeof choice === 'string' ? normalizeText(choice) : '';
  if (chosen !== '' && chosen !== CUSTOM_AMOUNT_CHOICE) {
    const preset = price.presets.find((value) => String(value) === chosen);
    return preset === undefined ? { ok: false, reason: 'not_a_number' } : { ok: true, amount: preset };
  }
  const text = typeof typed === 'string' ? typed : '';
  if (normalizeText(text) === '') return { ok: false, reason: 'missing' };
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) return { ok: false, reason: parsed.reason === 'too_large' ? 'above_max' : 'not_a_number' };
  if (parsed.currency !== currency) return { ok: false, reason: 'other_currency' };
  if (parsed.amount < price.min) return { ok: false, reason: 'below_min' };
  if (parsed.amount > price.max) return { ok: false, reason: 'above_max' };
  return { ok: true, amount: parsed.amount };
}

/**
 * The tip a buyer chose, posted as the option's own value — an amount in the currency's smallest
 * unit ("200") or a percentage ("10%") — never as its position, so an option the owner changed or
 * removed since the page was rendered cannot stand for another one. "none" (or nothing) → null.
 */
export type BuyerTip = { ok: true; value: number | null } | { ok: false; reason: 'not_an_option' };

export const NO_TIP_CHOICE = 'none';

/** The form value of one of the link's tip options. */
export function tipChoiceValue(kind: TipOptions['kind'], value: number): string {
  return kind === 'percent' ? `${value}%` : String(value);
}

export function readBuyerTip(raw: unknown, tips: TipOptions | null): BuyerTip {
  const text = typeof raw === 'string' ? normalizeText(raw) : '';
  if (text === '' || text === NO_TIP_CHOICE || tips === null) return { ok: true, value: null };
  const value = tips.values.find((option) => tipChoiceValue(tips.kind, option) === text);
  return value === undefined ? { ok: false, reason: 'not_an_option' } : { ok: true, value };
}

/** The tip an option adds: a percentage of the discounted subtotal (rounded down) or its amount. */
export function tipOn(discounted: number, kind: TipOptions['kind'], value: number): number {
  return kind === 'percent' ? Math.floor((discounted * value) / 100) : value;
}

export type BuyerPriceInputError = 'not_a_range' | 'other_currency' | PriceRangeError;

/**
 * "500-5000", "¥500〜¥5,000", "500 to 5000: 1000 2000 3000" → a buyer-chosen price in `currency`,
 * the amounts after ":" (or "/") its presets. Checked with buyerPriceProblem.
 */
export function parseBuyerPrice(input: string, currency: Currency, quantityMax = 1): { ok: true; price: BuyerPrice } | { ok: false; reason: BuyerPriceInputError } {
  const text = normalizeText(input);
  const colon = /\s*[:/]\s*/u.exec(text);
  const rangePart = colon ? text.slice(0, colon.index) : text;
  const presetsPart = colon ? text.slice(colon.index + colon[0].length) : '';
  const ends = rangePart
    .split(/\s*(?:-|~|〜|～|–|\bto\b|から|부터)\s*/iu)
    .map((part) => part.replace(/\s*(?:まで|까지)$/u, ''))
    .filter(Boolean);
  if (ends.length !== 2) return { ok: false, reason: 'not_a_range' };
  const amounts: number[] = [];
  for (const part of [...ends, ...presetsPart.split(LIST_SEPARATOR).filter(Boolean)]) {
    const parsed = parseAmount(part, currency);
    if (!parsed.ok) return { ok: false, reason: parsed.reason === 'too_large' ? 'too_large' : 'not_a_range' };
    if (parsed.currency !== currency) return { ok: false, reason: 'other_currency' };
    amounts.push(parsed.amount);
  }
  const [min = 0, max = 0, ...presets] = amounts;
  const price = { min, max, presets: [...new Set(presets)].sort((a, b) => a - b) };
  const problem = buyerPriceProblem(price, currency, quantityMax);
  return problem ? { ok: false, reason: problem } : { ok: true, price };
}
