import { z } from 'zod';
import { LANGUAGES } from '../i18n/i18n.js';
import { SUPPORTED_CURRENCIES } from '../i18n/currency.js';
import { BUYER_DETAIL_KINDS, questionSchema } from './buyer-fields.js';
import { paymentTypesSchema } from './payment-types.js';
import { billingIntervalSchema } from './billing.js';
import { amountPresetsSchema, tipOptionsSchema } from './link-price.js';

/**
 * A link being written in chat. It lives in the dialog's stored slots (JSON), so it is
 * re-validated with this schema whenever it is read back.
 */
export const linkDraftSchema = z.object({
  amount: z.number().int().positive().optional(),
  currency: z.enum(SUPPORTED_CURRENCIES).optional(),
  productName: z.string().optional(),
  description: z.string().optional(),
  imageId: z.string().nullable().optional(),
  imageUrl: z.string().nullable().optional(),
  language: z.enum(LANGUAGES).optional(),
  status: z.enum(['active', 'inactive']).optional(),
  usageLimit: z.number().int().positive().nullable().optional(),
  /** Quantity a buyer may choose (links/quantity.ts); unset: fixed at 1. */
  quantityMin: z.number().int().positive().optional(),
  quantityMax: z.number().int().positive().optional(),
  /** What the page asks the buyer before Pay (links/buyer-fields.ts). */
  buyerAsk: z.array(z.enum(BUYER_DETAIL_KINDS)).optional(),
  question: questionSchema.nullable().optional(),
  /** Shown on the return page once paid; '' for none. */
  afterPaymentMessage: z.string().optional(),
  /** KOMOJU payment types offered; empty: all of the account's. */
  paymentTypes: paymentTypesSchema.optional(),
  /** ISO 8601. */
  expiresAt: z.string().nullable().optional(),
  /** A subscription's period (links/billing.ts); null or unset: one-time payments. */
  billingInterval: billingIntervalSchema.optional(),
  /** A price the buyer chooses between these (links/link-price.ts); null or unset: the fixed amount. */
  amountMin: z.number().int().positive().nullable().optional(),
  amountMax: z.number().int().positive().nullable().optional(),
  amountPresets: amountPresetsSchema.optional(),
  /** Tips the page offers; null or unset: none. */
  tipOptions: tipOptionsSchema.nullable().optional(),
});

export type LinkDraft = z.infer<typeof linkDraftSchema>;

/** A draft with everything a link needs; what the create effect carries. */
export type CompleteLinkDraft = LinkDraft & Required<Pick<LinkDraft, 'amount' | 'currency' | 'productName'>>;

export function isComplete(draft: LinkDraft): draft is CompleteLinkDraft {
  return draft.amount !== undefined && draft.currency !== undefined && draft.productName !== undefined;
}
