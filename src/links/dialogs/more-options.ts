import { commandButton } from '../../conversation/machine.js';
import type { Card, Context, Reply } from '../../conversation/types.js';
import type { LinkDraft } from '../link-draft.js';
import { afterPaymentField } from '../fields/after-payment.js';
import { amountField } from '../fields/amount.js';
import { billingField } from '../fields/billing.js';
import { buyerAskField } from '../fields/buyer-ask.js';
import { descriptionField } from '../fields/description.js';
import { expiryField } from '../fields/expiry.js';
import { imageField } from '../fields/image.js';
import { languageField } from '../fields/language.js';
import type { AnyLinkField } from '../fields/link-fields.js';
import { nameField } from '../fields/name.js';
import { paymentTypesField } from '../fields/payment-types.js';
import { priceRangeField } from '../fields/price-range.js';
import { quantityField } from '../fields/quantity.js';
import { questionField } from '../fields/question.js';
import { statusField } from '../fields/status.js';
import { tipsField } from '../fields/tips.js';
import { usageLimitField } from '../fields/usage-limit.js';
import { editButtons, fieldRows } from './draft-card.js';

/**
 * The review card's "More options": every field of a link on one of a few short cards, each with
 * its Edit buttons, so the review card itself carries only what is set and a few buttons.
 * Every field is on exactly one card (test/unit/links/dialogs/create-dialog.test.ts checks it).
 */
export const MORE_OPTIONS_GROUPS = [
  { id: 'product', fields: [nameField, descriptionField, imageField, languageField] },
  { id: 'price', fields: [amountField, priceRangeField, tipsField, quantityField] },
  { id: 'buyer', fields: [buyerAskField, questionField] },
  { id: 'payment', fields: [paymentTypesField, billingField] },
  { id: 'availability', fields: [statusField, usageLimitField, expiryField] },
  { id: 'afterPayment', fields: [afterPaymentField] },
] as const satisfies readonly { id: string; fields: readonly AnyLinkField[] }[];

/** The carousel "More options" opens; each Edit returns to the review card once answered. */
export function moreOptionsReply(draft: LinkDraft, dialogId: string, ctx: Context): Reply {
  const cards: Card[] = MORE_OPTIONS_GROUPS.map((group) => ({
    title: ctx.t(`links:more.groups.${group.id}`),
    rows: fieldRows(draft, group.fields, ctx),
    buttons: editButtons(group.fields, dialogId, ctx),
  }));
  return {
    kind: 'carousel',
    altText: ctx.t('links:more.altText'),
    cards,
    quickReplies: [
      commandButton(ctx.t('links:buttons.save'), 'links.save', [], dialogId),
      commandButton(ctx.t('links:buttons.backToReview'), 'links.review', [], dialogId),
      commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId),
    ],
  };
}
