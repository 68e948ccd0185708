import { parseBillingInterval, subscriptionRules } from '../billing.js';
import { choice, type LinkField } from './link-field.js';

/**
 * One-time payments, or a subscription billed every week / month / year (links/billing.ts). A
 * subscription is card only, one unit per subscriber, at a fixed price with no tip and no usage
 * limit, so choosing one sets those too. Fixed once issued, like the price: subscribers signed up to what the page said.
 */
export const billingField: LinkField<'billing'> = {
  id: 'billing',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:billing.ask'),
  choices: (ctx) => [
    choice(ctx.t('links:billing.values.once'), 'once'),
    choice(ctx.t('links:billing.values.week'), 'week'),
    choice(ctx.t('links:billing.values.month'), 'month'),
    choice(ctx.t('links:billing.values.year'), 'year'),
  ],
  parse(answer, ctx, draft) {
    const interval = parseBillingInterval(answer);
    if (interval === undefined) return { ok: false, error: ctx.t('links:billing.invalid') };
    if (interval === null) return { ok: true, changes: { billingInterval: null } };
    const rules = subscriptionRules(interval, { paymentTypes: draft.paymentTypes ?? [], quantityMin: draft.quantityMin ?? 1, quantityMax: draft.quantityMax ?? 1 });
    // A subscription bills the fixed price every period: no buyer-chosen range, no tip.
    return { ok: true, changes: { billingInterval: interval, ...rules, usageLimit: null, amountMin: null, amountMax: null, amountPresets: [], tipOptions: null } };
  },
  // Unanswered is one-time: what the link will be.
  describe: (draft, ctx) => ctx.t(`links:billing.values.${draft.billingInterval ?? 'once'}`),
  skip: { changes: () => ({ billingInterval: null }), button: false, noneLabel: (ctx) => ctx.t('links:billing.values.once') },
};
