import { z } from 'zod';
import { linkDraftSchema } from '../link-draft.js';

export const LINK_DIALOG_STEPS = [
  'amount',
  'name',
  'description',
  'image',
  'language',
  'status',
  'usageLimit',
  'quantity',
  'buyerAsk',
  'question',
  'afterPayment',
  'paymentTypes',
  'expiry',
  'review',
  'advanced',
] as const;
export type LinkDialogStep = (typeof LINK_DIALOG_STEPS)[number];

/** Fields the merchant can go back and change from the review card / advanced settings. */
export const EDITABLE_STEPS = ['amount', 'name', 'description', 'image', 'language', 'status', 'usageLimit', 'quantity', 'buyerAsk', 'question', 'afterPayment', 'paymentTypes', 'expiry'] as const;
export type EditableStep = (typeof EDITABLE_STEPS)[number];

/** What the Quick flow's "Advanced settings" offer (KOMOJU's accordion), the rest being required. */
export const ADVANCED_STEPS: readonly EditableStep[] = ['description', 'image', 'language', 'usageLimit', 'quantity', 'buyerAsk', 'question', 'afterPayment', 'paymentTypes', 'expiry'];

export function isEditableStep(value: unknown): value is EditableStep {
  return typeof value === 'string' && (EDITABLE_STEPS as readonly string[]).includes(value);
}

/** Bounded so that endless edit loops cannot grow the stored state. */
export const HISTORY_MAX = 20;

export const linkDialogSlotsSchema = z.object({
  /** The shop the link is being made for; a dialog never carries over to another shop. */
  merchantId: z.string().min(1),
  step: z.enum(LINK_DIALOG_STEPS),
  draft: linkDraftSchema,
  /** Steps visited before this one, for `back`. */
  history: z.array(z.enum(LINK_DIALOG_STEPS)).max(HISTORY_MAX),
  /** Quick flow: the merchant asked for the advanced settings before issuing. */
  advanced: z.boolean(),
  /** Create flow: the review card was shown once; every later answer returns to it. */
  reviewed: z.boolean(),
});

export type LinkDialogSlots = z.infer<typeof linkDialogSlotsSchema>;

/** Stored slots as this code understands them; null when they no longer fit (reset politely). */
export function readSlots(slots: Record<string, unknown>): LinkDialogSlots | null {
  const parsed = linkDialogSlotsSchema.safeParse(slots);
  return parsed.success ? parsed.data : null;
}
