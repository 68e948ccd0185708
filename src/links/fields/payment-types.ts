import { paymentTypesText } from '../link-card.js';
import { parsePaymentTypes } from '../payment-types.js';
import { choice, type LinkField } from './link-field.js';
import { fixedBySubscription } from './subscription-fixed.js';

/** The KOMOJU payment methods the link offers; none chosen: all of the shop's. */
export const paymentTypesField: LinkField<'paymentTypes'> = {
  id: 'paymentTypes',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:paymentTypes.ask'),
  choices: (ctx) => [choice(ctx.t('links:paymentTypes.noKonbini'), 'card paypay linepay merpay rakutenpay aupay')],
  parse(answer, ctx, draft) {
    const fixed = fixedBySubscription(ctx, draft);
    if (fixed) return fixed;
    const types = parsePaymentTypes(answer);
    return types ? { ok: true, changes: { paymentTypes: types } } : { ok: false, error: ctx.t('links:paymentTypes.invalid') };
  },
  describe: (draft, ctx) => paymentTypesText(draft.paymentTypes ?? [], ctx),
  skip: { changes: () => ({ paymentTypes: [] }), button: false, noneLabel: (ctx) => ctx.t('links:paymentTypes.all') },
  afterIssue: { field: 'paymentTypes', change: (draft) => ({ field: 'paymentTypes', value: draft.paymentTypes ?? [] }) },
};
