// What the new-code dialog keeps between questions, one schema per question: the stored slots are
// read through these, so a shape this code does not know resets the conversation instead of being
// trusted.
import { z } from 'zod';
import { discountOffSchema } from './discount-rule.js';
import type { CodeDraft, LinkChoice } from './effects.js';

/** Asking the code: nothing answered yet. */
export const codeSlotsSchema = z.strictObject({});

/** Asking what it takes off: the code. */
export const offSlotsSchema = z.object({ code: z.string().min(1) });

/** Asking the expiry: the code and what it takes off. */
export const expirySlotsSchema = offSlotsSchema.extend({ off: discountOffSchema });

/** Asking the cap on uses: all but the cap and the links. */
export const capSlotsSchema = expirySlotsSchema.extend({ expiresAt: z.string().nullable() });
export type CapSlots = z.infer<typeof capSlotsSchema>;

const codeDraftSchema: z.ZodType<CodeDraft> = capSlotsSchema.extend({
  usageCap: z.number().int().min(1).nullable(),
  linkIds: z.array(z.string().min(1)),
});
const linkChoiceSchema: z.ZodType<LinkChoice> = z.object({ id: z.string().min(1), productName: z.string() });

/** Picking the links: the complete draft and the links offered. */
export const linkSlotsSchema = z.object({ draft: codeDraftSchema, choices: z.array(linkChoiceSchema) });
export type LinkSlots = z.infer<typeof linkSlotsSchema>;
