import { clip } from '../../i18n/format.js';
import { AFTER_PAYMENT_MAX, validateAfterPaymentMessage } from '../product-name.js';
import { PREVIEW_MAX } from './description.js';
import type { LinkField } from './link-field.js';

/** The message buyers see on the return page once paid. */
export const afterPaymentField: LinkField<'afterPayment'> = {
  id: 'afterPayment',
  askedByCreate: false,
  advanced: true,
  freeText: true,
  question: (ctx) => ctx.t('links:afterPayment.ask', { max: AFTER_PAYMENT_MAX }),
  choices: () => [],
  parse(answer, ctx) {
    const message = validateAfterPaymentMessage(answer);
    if (!message.ok) return { ok: false, error: ctx.t('links:afterPayment.tooLong', { max: AFTER_PAYMENT_MAX }) };
    return { ok: true, changes: { afterPaymentMessage: message.text } };
  },
  describe: (draft, ctx) => (draft.afterPaymentMessage ? clip(draft.afterPaymentMessage, PREVIEW_MAX) : ctx.t('links:values.none')),
  skip: { changes: (draft) => ({ afterPaymentMessage: draft.afterPaymentMessage ?? '' }), button: true, noneLabel: (ctx) => ctx.t('links:values.none') },
  afterIssue: { field: 'afterPaymentMessage', change: (draft) => ({ field: 'afterPaymentMessage', value: draft.afterPaymentMessage ?? '' }) },
};
