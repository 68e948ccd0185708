import type { MatchedCommand } from '../../conversation/commands.js';
import { reply, text } from '../../conversation/machine.js';
import type { Context, Step } from '../../conversation/types.js';
import type { Currency } from '../../i18n/currency.js';
import type { LinkDraft } from '../link-draft.js';
import { subscriptionRules } from '../billing.js';
import { CREATE_QUESTIONS } from '../fields/link-fields.js';
import type { LinkDialogSlots } from './dialog-slots.js';
import type { LinkFlow } from './link-flow.js';
import { ask, linkDialog, startFlow, startLinkDialog } from './link-dialog-engine.js';

export const CREATE_DIALOG = 'links.create';

/**
 * Standard Create: the main fields, the usage limit and the expiry one after another, then a review
 * card of what is set with Save and "More options" (every field, each editable: more-options.ts).
 * Once reviewed, every answer returns to the card.
 */
const createFlow: LinkFlow = {
  name: 'create',
  dialog: CREATE_DIALOG,
  next(slots) {
    if (slots.reviewed) return 'review';
    const index = CREATE_QUESTIONS.findIndex((field) => field.id === slots.step);
    return CREATE_QUESTIONS[index + 1]?.id ?? 'review';
  },
  issuesOnName: () => false,
  questionExtras: () => ({ buttons: [], hint: null }),
  mayEdit: (slots) => slots.step === 'review',
  finish: { action: 'links.save', step: 'review' },
};

export const createLinkDialog = linkDialog(createFlow);

export function startCreateLink(command: MatchedCommand, ctx: Context): Step {
  return startLinkDialog(createFlow, command, ctx);
}

/** What a duplicated link starts from (the source link's own fields). */
export interface DuplicateSource {
  productName: string;
  amount: number;
  currency: Currency;
  description: string;
  language: LinkDraft['language'];
  imageId: string | null;
  imageUrl: string | null;
  /** A subscription link's duplicate bills the same way (card only, one unit, as billing.ts rules). */
  billingInterval?: LinkDraft['billingInterval'];
}

/**
 * "Duplicate" on a link's card: `create` pre-filled with the link's price, description, photo and
 * page language (and a subscription link's billing), asking first for a new name (names stay unique
 * per shop), then the review card.
 * Usage limit and expiry are not copied: a new link starts open, and the owner sets them anew.
 */
export function startDuplicateDialog(source: DuplicateSource, ctx: Context): Step {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  const draft: LinkDraft = {
    amount: source.amount,
    currency: source.currency,
    description: source.description,
    imageId: source.imageId,
    imageUrl: source.imageUrl,
    ...(source.language ? { language: source.language } : {}),
    status: 'active',
    ...(source.billingInterval ? { billingInterval: source.billingInterval, ...subscriptionRules(source.billingInterval, { paymentTypes: [], quantityMin: 1, quantityMax: 1 }) } : {}),
  };
  const slots: LinkDialogSlots = { merchantId: ctx.membership.merchantId, step: 'name', draft, history: [], advanced: false, reviewed: true };
  return startFlow(createFlow, slots, ctx, (turn) => ask(turn, slots, [text(ctx.t('links:duplicate.intro', { name: source.productName }))]));
}
