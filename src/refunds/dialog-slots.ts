// What the refund dialogs keep between messages, as schemas: the stored slots are read through
// these, so a shape this code does not know resets the conversation instead of being trusted.
import { z } from 'zod';
import type { RefundPaymentView, RefundRequestFields } from './effects.js';

const refundPaymentViewSchema: z.ZodType<RefundPaymentView> = z.object({
  id: z.string().min(1),
  linkId: z.string().min(1),
  productName: z.string(),
  currency: z.string(),
  amount: z.number().int(),
  total: z.number().int(),
  paymentMethodFee: z.number().int(),
  refundedAmount: z.number().int(),
  left: z.number().int(),
  pendingRequested: z.number().int(),
  feeRequested: z.boolean(),
  status: z.string(),
  state: z.enum(['awaiting', 'unsuccessful', 'captured', 'partially_refunded', 'refunded', 'charged_back']),
  paymentMethod: z.string().nullable(),
  paidAt: z.string(),
  paymentDeadline: z.string().nullable(),
  byRequest: z.boolean(),
  testMode: z.boolean(),
});

export const refundRequestFieldsSchema: z.ZodType<RefundRequestFields> = z.object({
  amount: z.number().int().min(1),
  customerName: z.string().min(1),
  bankName: z.string().min(1),
  branchNumber: z.string().min(1),
  accountType: z.enum(['normal', 'checking', 'savings']),
  accountNumber: z.string().min(1),
  includePaymentMethodFee: z.boolean(),
});

/** The amount question and the cancel confirmation: the payment acted on. */
export const paymentSlotsSchema = z.object({ payment: refundPaymentViewSchema });

/** The refund confirmation: the payment and the amount the owner chose. */
export const refundConfirmSlotsSchema = z.object({ payment: refundPaymentViewSchema, amount: z.number().int().min(1) });

export const REQUEST_STEPS = ['amount', 'name', 'bank', 'branch', 'type', 'account', 'fee', 'confirm'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

/** The bank refund request: the step asked and the answers so far. */
export const requestSlotsSchema = z.object({
  payment: refundPaymentViewSchema,
  step: z.enum(REQUEST_STEPS),
  fields: z.object({
    amount: z.number().int().min(1).optional(),
    customerName: z.string().optional(),
    bankName: z.string().optional(),
    branchNumber: z.string().optional(),
    accountType: z.enum(['normal', 'checking', 'savings']).optional(),
    accountNumber: z.string().optional(),
    includePaymentMethodFee: z.boolean().optional(),
  }),
});
export type RequestSlots = z.infer<typeof requestSlotsSchema>;
