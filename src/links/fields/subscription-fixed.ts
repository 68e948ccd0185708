import type { Context } from '../../conversation/types.js';
import type { LinkDraft } from '../link-draft.js';
import type { FieldAnswer } from './link-field.js';

/**
 * A subscription link bills its fixed price for one unit, by card, with no tip and no usage limit
 * (links/billing.ts): an answer to one of those fields is refused with why and what to do, rather
 * than shown on the review card and dropped when the link is made.
 */
export function fixedBySubscription(ctx: Context, draft: LinkDraft): Extract<FieldAnswer, { ok: false }> | null {
  if (!draft.billingInterval) return null;
  return { ok: false, error: ctx.t('links:billing.fixed', { interval: ctx.t(`links:billing.values.${draft.billingInterval}`) }) };
}
