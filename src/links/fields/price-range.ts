import type { Context } from '../../conversation/types.js';
import { formatPrice } from '../../i18n/format.js';
import type { LinkDraft } from '../link-draft.js';
import { PRESETS_MAX, parseBuyerPrice } from '../link-price.js';
import { linkPriceText, presetsText } from '../link-price-text.js';
import { choice, type LinkField } from './link-field.js';
import { fixedBySubscription } from './subscription-fixed.js';

/** The draft's buyer-chosen price, when it has one. */
function draftPrice(draft: LinkDraft): { mode: 'buyer'; min: number; max: number; presets: number[] } | null {
  if (draft.amountMin === undefined || draft.amountMin === null || draft.amountMax === undefined || draft.amountMax === null) return null;
  return { mode: 'buyer', min: draft.amountMin, max: draft.amountMax, presets: draft.amountPresets ?? [] };
}

function describePrice(draft: LinkDraft, ctx: Context): string | null {
  const currency = draft.currency ?? 'JPY';
  const price = draftPrice(draft);
  if (!price) return ctx.t('pricing:fixed');
  const presets = presetsText(price, currency, ctx.language);
  const range = linkPriceText(price, currency, ctx.language);
  return presets ? ctx.t('pricing:withPresets', { range, presets }) : range;
}

/**
 * Who sets the price: the link's fixed amount, or the buyer, between a minimum and a maximum, with
 * up to 4 preset amounts as buttons. Fixed once issued, like the amount (buyers may hold the URL).
 */
export const priceRangeField: LinkField<'priceRange'> = {
  id: 'priceRange',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx, draft) => {
    const currency = draft.currency ?? 'JPY';
    return ctx.t('pricing:ask', { max: PRESETS_MAX, example: `${formatPrice(500, currency, ctx.language)}-${formatPrice(5000, currency, ctx.language)}` });
  },
  choices: (ctx) => [choice(ctx.t('pricing:example'), '500-5000: 1000 2000 3000')],
  parse(answer, ctx, draft) {
    const fixed = fixedBySubscription(ctx, draft);
    if (fixed) return fixed;
    const currency = draft.currency ?? 'JPY';
    const parsed = parseBuyerPrice(answer, currency, draft.quantityMax ?? 1);
    if (!parsed.ok) return { ok: false, error: ctx.t(`pricing:errors.${parsed.reason}`, { max: PRESETS_MAX, currency }) };
    // The link's amount is the range's minimum (its "from" price), so the review card's Price agrees.
    return { ok: true, changes: { amount: parsed.price.min, amountMin: parsed.price.min, amountMax: parsed.price.max, amountPresets: parsed.price.presets } };
  },
  describe: describePrice,
  skip: { changes: () => ({ amountMin: null, amountMax: null, amountPresets: [] }), button: false, noneLabel: (ctx) => ctx.t('pricing:fixed') },
};
