import { maxAmount } from '../../i18n/currency.js';
import { quantityText } from '../link-card.js';
import { QUANTITY_MAX, parseQuantityRange, quantityRangeProblem } from '../quantity.js';
import { choice, type LinkField } from './link-field.js';
import { fixedBySubscription } from './subscription-fixed.js';

/** How many units a buyer takes in one payment: fixed, or a range the buyer chooses from. */
export const quantityField: LinkField<'quantity'> = {
  id: 'quantity',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:quantity.ask', { max: QUANTITY_MAX }),
  choices: (ctx) => [choice(ctx.t('links:quantity.fixedOne'), '1'), choice(ctx.t('links:quantity.upTo', { max: 10 }), '1-10')],
  parse(answer, ctx, draft) {
    const fixed = fixedBySubscription(ctx, draft);
    if (fixed) return fixed;
    const parsed = parseQuantityRange(answer);
    const problem = parsed.ok ? quantityRangeProblem(parsed.range, draft) : parsed.reason;
    if (!parsed.ok || problem) {
      const max = draft.amount && draft.currency ? Math.min(QUANTITY_MAX, Math.floor(maxAmount(draft.currency) / draft.amount)) : QUANTITY_MAX;
      return { ok: false, error: ctx.t(`links:quantity.errors.${problem ?? 'not_a_range'}`, { max, limit: draft.usageLimit ?? 0 }) };
    }
    return { ok: true, changes: { quantityMin: parsed.range.min, quantityMax: parsed.range.max } };
  },
  describe: (draft, ctx) => quantityText({ min: draft.quantityMin ?? 1, max: draft.quantityMax ?? 1 }, ctx),
  skip: { changes: () => ({ quantityMin: 1, quantityMax: 1 }), button: false },
  afterIssue: { field: 'quantity', change: (draft) => ({ field: 'quantity', value: { min: draft.quantityMin ?? 1, max: draft.quantityMax ?? 1 } }) },
};
