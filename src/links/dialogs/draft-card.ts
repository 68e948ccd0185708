import { commandButton } from '../../conversation/machine.js';
import type { Button, Card, Context, Reply } from '../../conversation/types.js';
import type { LinkDraft } from '../link-draft.js';
import { amountField } from '../fields/amount.js';
import { ADVANCED_FIELDS, LINK_FIELDS, type AnyLinkField } from '../fields/link-fields.js';
import { nameField } from '../fields/name.js';

/** Label of a field on cards and Edit buttons. */
export function fieldLabel(field: AnyLinkField, ctx: Context): string {
  return ctx.t(`links:fields.${field.id}`);
}

export function fieldRows(draft: LinkDraft, fields: readonly AnyLinkField[], ctx: Context): Card['rows'] {
  return fields.map((field) => ({ label: fieldLabel(field, ctx), value: field.describe(draft, ctx) ?? ctx.t('links:values.none') }));
}

export function editButtons(fields: readonly AnyLinkField[], dialogId: string, ctx: Context): Button[] {
  return fields.map((field) => ({
    ...commandButton(ctx.t('links:buttons.edit', { field: fieldLabel(field, ctx) }), 'links.edit', [field.id], dialogId),
    style: 'link' as const,
  }));
}

interface DraftReplyParts {
  title: string;
  footnote: string;
  /** Fields shown as rows. */
  shown: readonly AnyLinkField[];
  /** The card's buttons after `finish`. */
  buttons: Button[];
  /** The button that finishes the draft: first on the card, first among the quick replies. */
  finish: Button;
  /** Quick replies after `finish` (back, cancel). */
  exits: Button[];
}

function draftReply(draft: LinkDraft, parts: DraftReplyParts, ctx: Context): Reply {
  const card: Card = {
    title: parts.title,
    subtitle: `${draft.productName ?? ''}  ${amountField.describe(draft, ctx) ?? ''}`.trim(),
    rows: fieldRows(draft, parts.shown, ctx),
    footnote: parts.footnote,
    buttons: [{ ...parts.finish, style: 'primary' }, ...parts.buttons],
  };
  if (draft.imageUrl) card.imageUrl = draft.imageUrl;
  return { kind: 'card', altText: parts.title, card, quickReplies: [parts.finish, ...parts.exits] };
}

/**
 * Whether the merchant gave a field a value of its own: answered, and (for an optional field) not
 * what "none" leaves (no limit, no tip, all payment methods, one-time billing, …).
 */
function isSet(field: AnyLinkField, draft: LinkDraft, ctx: Context): boolean {
  const value = field.describe(draft, ctx);
  if (value === null) return false;
  return !field.skip || value !== field.describe({ ...draft, ...field.skip.changes({}) }, ctx);
}

/**
 * Create flow: what is set, then Save, the two fields most often corrected, and one "More options"
 * button for the rest (more-options.ts), so the card stays short whatever the draft holds.
 */
export function reviewReply(draft: LinkDraft, dialogId: string, ctx: Context): Reply {
  return draftReply(
    draft,
    {
      title: ctx.t('links:review.title'),
      footnote: `${ctx.t('links:review.note')}\n${ctx.t('links:review.moreHint')}`,
      shown: LINK_FIELDS.filter((field) => isSet(field, draft, ctx)),
      buttons: [...editButtons([nameField, amountField], dialogId, ctx), commandButton(ctx.t('links:buttons.more'), 'links.more', [], dialogId)],
      finish: commandButton(ctx.t('links:buttons.save'), 'links.save', [], dialogId),
      exits: [commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId)],
    },
    ctx,
  );
}

/** Quick flow's "Advanced settings": the optional fields, then Issue link. */
export function advancedReply(draft: LinkDraft, dialogId: string, ctx: Context): Reply {
  return draftReply(
    draft,
    {
      title: ctx.t('links:advanced.title'),
      footnote: ctx.t('links:advanced.note'),
      shown: [amountField, nameField, ...ADVANCED_FIELDS],
      buttons: editButtons(ADVANCED_FIELDS, dialogId, ctx),
      finish: commandButton(ctx.t('links:buttons.issue'), 'links.issue', [], dialogId),
      exits: [commandButton(ctx.t('buttons.back'), 'back', [], dialogId), commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId)],
    },
    ctx,
  );
}
