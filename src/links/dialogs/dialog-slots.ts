import { z } from 'zod';
import { linkDraftSchema } from '../link-draft.js';
import { LINK_FIELDS, type LinkFieldId } from '../fields/link-fields.js';

const FIELD_IDS = LINK_FIELDS.map((field) => field.id) as [LinkFieldId, ...LinkFieldId[]];

/** A dialog step: a field being asked, the review card (create) or the Advanced settings (quick). */
const linkDialogStepSchema = z.enum([...FIELD_IDS, 'review', 'advanced']);
export type LinkDialogStep = z.infer<typeof linkDialogStepSchema>;

/** Bounded so that endless edit loops cannot grow the stored state. */
export const HISTORY_MAX = 20;

const linkDialogSlotsSchema = z.object({
  /** The shop the link is being made for; a dialog never carries over to another shop. */
  merchantId: z.string().min(1),
  step: linkDialogStepSchema,
  draft: linkDraftSchema,
  /** Steps visited before this one, for `back`. */
  history: z.array(linkDialogStepSchema).max(HISTORY_MAX),
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
