import { notOfferedText, offeredMethodsText, paymentTypesText } from '../link-card.js';
import { PAYMENT_TYPES, isPaymentType, parsePaymentTypes, paymentTypeWord, typesNotOffered } from '../payment-types.js';
import { choice, type LinkField } from './link-field.js';
import { fixedBySubscription } from './subscription-fixed.js';

// Paid after checkout at a store, ATM or bank: what "card and mobile wallets" leaves out.
const PAID_LATER: readonly string[] = ['konbini', 'bank_transfer', 'pay_easy'];

/** The KOMOJU payment methods the link offers; none chosen: all of the shop's. Only what the shop's account lists. */
export const paymentTypesField: LinkField<'paymentTypes'> = {
  id: 'paymentTypes',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:paymentTypes.ask', { methods: offeredMethodsText(ctx) }),
  choices: (ctx) => {
    const offered = ctx.membership?.paymentMethods?.map((method) => method.type).filter(isPaymentType) ?? PAYMENT_TYPES;
    const paidAtOnce = offered.filter((type) => !PAID_LATER.includes(type));
    return paidAtOnce.length > 0 && paidAtOnce.length < offered.length ? [choice(ctx.t('links:paymentTypes.noKonbini'), paidAtOnce.map(paymentTypeWord).join(' '))] : [];
  },
  parse(answer, ctx, draft) {
    const fixed = fixedBySubscription(ctx, draft);
    if (fixed) return fixed;
    const types = parsePaymentTypes(answer);
    if (!types) return { ok: false, error: ctx.t('links:paymentTypes.invalid') };
    const offered = ctx.membership?.paymentMethods;
    const notOffered = typesNotOffered(types, offered);
    if (offered && notOffered.length > 0) return { ok: false, error: notOfferedText(notOffered, offered, ctx) };
    return { ok: true, changes: { paymentTypes: types } };
  },
  describe: (draft, ctx) => paymentTypesText(draft.paymentTypes ?? [], ctx),
  skip: { changes: () => ({ paymentTypes: [] }), button: false, noneLabel: (ctx) => ctx.t('links:paymentTypes.all') },
  afterIssue: { field: 'paymentTypes', change: (draft) => ({ field: 'paymentTypes', value: draft.paymentTypes ?? [] }) },
};
