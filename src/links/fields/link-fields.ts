import { afterPaymentField } from './after-payment.js';
import { amountField } from './amount.js';
import { billingField } from './billing.js';
import { buyerAskField } from './buyer-ask.js';
import { descriptionField } from './description.js';
import { expiryField } from './expiry.js';
import { imageField } from './image.js';
import { languageField } from './language.js';
import type { LinkField } from './link-field.js';
import { nameField } from './name.js';
import { paymentTypesField } from './payment-types.js';
import { quantityField } from './quantity.js';
import { priceRangeField } from './price-range.js';
import { tipsField } from './tips.js';
import { questionField } from './question.js';
import { statusField } from './status.js';
import { usageLimitField } from './usage-limit.js';

/**
 * Every field of a link, in the order the review card, the Advanced settings and the edit menu
 * show them (create asks those marked askedByCreate in this order). A new field is one file here
 * plus its draft key (link-draft.ts), its stored column and its locale texts.
 */
export const LINK_FIELDS = [
  amountField,
  nameField,
  descriptionField,
  imageField,
  languageField,
  statusField,
  usageLimitField,
  quantityField,
  priceRangeField,
  tipsField,
  buyerAskField,
  questionField,
  afterPaymentField,
  paymentTypesField,
  billingField,
  expiryField,
] as const satisfies readonly LinkField[];

/** Any field of the table, its id one of the table's. */
export type AnyLinkField = (typeof LINK_FIELDS)[number];
export type LinkFieldId = AnyLinkField['id'];

export function linkField(id: string | undefined): AnyLinkField | undefined {
  return LINK_FIELDS.find((field) => field.id === id);
}

export const ADVANCED_FIELDS: readonly AnyLinkField[] = LINK_FIELDS.filter((field) => field.advanced);
export const CREATE_QUESTIONS: readonly AnyLinkField[] = LINK_FIELDS.filter((field) => field.askedByCreate);
/** Fields that can change after the link is issued (edit). */
export const EDITABLE_FIELDS: readonly AnyLinkField[] = LINK_FIELDS.filter((field) => field.afterIssue !== undefined);
