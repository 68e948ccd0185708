import { USAGE_LIMIT_MAX, parseUsageLimit } from '../link-limits.js';
import { isNoLimitWord } from './field-words.js';
import type { LinkField } from './link-field.js';
import { fixedBySubscription } from './subscription-fixed.js';

/** How many payments (units) the link takes in all (owner only once issued). */
export const usageLimitField: LinkField<'usageLimit'> = {
  id: 'usageLimit',
  askedByCreate: true,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:usageLimit.ask'),
  choices: () => [],
  parse(answer, ctx, draft) {
    if (isNoLimitWord(answer)) return { ok: true, changes: { usageLimit: null } };
    const fixed = fixedBySubscription(ctx, draft);
    if (fixed) return fixed;
    const limit = parseUsageLimit(answer);
    if (!limit.ok) return { ok: false, error: ctx.t(`links:usageLimit.errors.${limit.reason}`, { max: USAGE_LIMIT_MAX }) };
    // quantity.ts's rule seen from this side: a limit below the smallest purchase would make the link unbuyable.
    const quantityMin = draft.quantityMin ?? 1;
    if (limit.usageLimit < quantityMin) return { ok: false, error: ctx.t('links:usageLimit.errors.below_quantity', { min: quantityMin }) };
    return { ok: true, changes: { usageLimit: limit.usageLimit } };
  },
  describe(draft, ctx) {
    if (draft.usageLimit === undefined) return null;
    return draft.usageLimit === null ? ctx.t('links:values.noLimit') : ctx.t('links:card.usageLimitValue', { count: draft.usageLimit });
  },
  skip: { changes: () => ({ usageLimit: null }), button: false, noneLabel: (ctx) => ctx.t('links:values.noLimit') },
  afterIssue: { field: 'usageLimit', change: (draft) => ({ field: 'usageLimit', value: draft.usageLimit ?? null }) },
};
