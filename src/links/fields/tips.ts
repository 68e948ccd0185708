import { parseTipOptions, TIP_OPTIONS_MAX, TIP_PERCENT_MAX } from '../link-price.js';
import { tipOptionsText } from '../link-price-text.js';
import { choice, type LinkField } from './link-field.js';
import { fixedBySubscription } from './subscription-fixed.js';

/** Tips the buyer may add on the page (percentages of the total, or amounts); "No tip" is always offered. */
export const tipsField: LinkField<'tips'> = {
  id: 'tips',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('pricing:tipsAsk', { max: TIP_OPTIONS_MAX }),
  choices: (ctx) => [choice(ctx.t('pricing:tipsExample'), '10% 15% 20%')],
  parse(answer, ctx, draft) {
    const fixed = fixedBySubscription(ctx, draft);
    if (fixed) return fixed;
    const parsed = parseTipOptions(answer, draft.currency ?? 'JPY');
    if (!parsed.ok) return { ok: false, error: ctx.t(`pricing:tipErrors.${parsed.reason}`, { max: TIP_OPTIONS_MAX, percent: TIP_PERCENT_MAX }) };
    return { ok: true, changes: { tipOptions: parsed.tips } };
  },
  describe: (draft, ctx) => (draft.tipOptions ? tipOptionsText(draft.tipOptions, draft.currency ?? 'JPY', ctx.language) : ctx.t('pricing:noTips')),
  skip: { changes: () => ({ tipOptions: null }), button: false, noneLabel: (ctx) => ctx.t('pricing:noTips') },
  afterIssue: { field: 'tipOptions', change: (draft) => ({ field: 'tipOptions', value: draft.tipOptions ?? null }) },
};
