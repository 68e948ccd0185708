// What the Pay form's page showed the buyer: the link's price (fixed, or the range and presets),
// its tip options and currency, as the page was rendered — signed into the form's token (the page
// signs it with pages/form-token.ts, the app's form HMAC), so a post cannot claim other prices. At
// the press the buyer's choices are priced under these AND under the link's terms now; when the
// owner changed the price, a preset or the tips in between and the money differs, nothing is
// charged: the page is shown again with the new total. The live total on the page (its script)
// computes from the same prices, so "what the buyer saw" is the total of their choices under them.
import { z } from 'zod';
import type { Link } from '../generated/prisma/client.js';
import type { LinkPrice, TipOptions } from '../links/link-price.js';
import { readBuyerAmount, readBuyerTip, tipOn } from '../links/link-price.js';
import type { OpenOffer } from '../links/offer-rule.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import type { ReadCheckoutForm } from './read-checkout-form.js';

export interface ShownPrices {
  price: LinkPrice;
  tips: TipOptions | null;
  currency: string;
}

const amount = z.number().int().min(1);
const shownSchema = z.object({
  p: z.discriminatedUnion('mode', [z.object({ mode: z.literal('fixed'), amount }), z.object({ mode: z.literal('buyer'), min: amount, max: amount, presets: z.array(amount) })]),
  t: z.union([z.object({ kind: z.enum(['percent', 'amount']), values: z.array(amount).min(1) }), z.null()]),
  c: z.string().min(3).max(3),
});

export function shownPricesOf(link: Pick<Link, 'currency'>, offer: Pick<OpenOffer, 'price' | 'tips'>): ShownPrices {
  return { price: offer.price, tips: offer.tips, currency: link.currency };
}

/** The prices as the form token's payload (base64url JSON, keys in one order: equal prices, equal text). */
export function encodeShownPrices(shown: ShownPrices): string {
  const { price, tips } = shown;
  const p = price.mode === 'fixed' ? { mode: price.mode, amount: price.amount } : { mode: price.mode, min: price.min, max: price.max, presets: price.presets };
  const t = tips ? { kind: tips.kind, values: tips.values } : null;
  return Buffer.from(JSON.stringify({ p, t, c: shown.currency })).toString('base64url');
}

/** The prices a (verified) token's payload names; null when it names none (a page from before they were signed). */
export function decodeShownPrices(payload: string | null): ShownPrices | null {
  if (payload === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = shownSchema.safeParse(json);
  return parsed.success ? { price: parsed.data.p, tips: parsed.data.t, currency: parsed.data.c } : null;
}

/**
 * Whether Pay would now charge other money than the page showed for the buyer's choices: the
 * unit price or the tip of the order read now (`read`, against the offer now) differ from the
 * same choices under `shown`, or what was accepted then is refused now. A page that showed no
 * signed prices counts as changed (shown again, with its prices signed). A choice that was
 * wrong under the shown prices too is the buyer's own, reported at its field as usual.
 */
export function pricesChangedSince(shown: ShownPrices | null, link: Pick<Link, 'currency'>, offer: OpenOffer, form: Record<string, unknown>, read: ReadCheckoutForm): boolean {
  if (shown === null) return true;
  if (encodeShownPrices(shownPricesOf(link, offer)) === encodeShownPrices(shown)) return false;
  if (shown.currency !== link.currency || !isSupportedCurrency(shown.currency)) return true;
  const unit = shown.price.mode === 'fixed' ? ({ ok: true, amount: shown.price.amount } as const) : readBuyerAmount(form.amountChoice, form.customAmount, shown.price, shown.currency);
  const tip = readBuyerTip(form.tip, shown.tips);
  if (!unit.ok || !tip.ok) return false;
  if (!read.ok) return read.problems.some((problem) => problem.field === 'amount' || problem.field === 'tip');
  const { order } = read;
  if (unit.amount !== order.unitAmount) return true;
  const seenTip = shown.tips && tip.value !== null ? tipOn(order.amount.subtotal - order.amount.discount, shown.tips.kind, tip.value) : 0;
  return seenTip !== order.amount.tip;
}
