import { commandButton } from '../../conversation/machine.js';
import type { Button, Card, Context, Reply } from '../../conversation/types.js';
import type { LinkDraft } from '../link-draft.js';
import { ADVANCED_STEPS, type EditableStep } from './dialog-slots.js';
import { describeField, fieldLabel } from './draft-fields.js';

const REVIEW_FIELDS: readonly EditableStep[] = ['amount', 'name', 'description', 'image', 'language', 'status', 'usageLimit', 'expiry'];

function draftRows(draft: LinkDraft, fields: readonly EditableStep[], ctx: Context): Card['rows'] {
  return fields.map((field) => ({ label: fieldLabel(field, ctx), value: describeField(field, draft, ctx) ?? ctx.t('links:values.none') }));
}

function editButtons(fields: readonly EditableStep[], dialogId: string, ctx: Context): Button[] {
  return fields.map((field) => ({
    ...commandButton(ctx.t('links:buttons.edit', { field: fieldLabel(field, ctx) }), 'links.edit', [field], dialogId),
    style: 'link' as const,
  }));
}

function draftCard(title: string, draft: LinkDraft, fields: readonly EditableStep[], ctx: Context): Card {
  const card: Card = {
    title,
    subtitle: `${draft.productName ?? ''}  ${describeField('amount', draft, ctx) ?? ''}`.trim(),
    rows: draftRows(draft, fields, ctx),
    buttons: [],
  };
  if (draft.imageUrl) card.imageUrl = draft.imageUrl;
  return card;
}

/** Create flow: every field, an Edit button per field, and Save. */
export function reviewReply(draft: LinkDraft, dialogId: string, ctx: Context): Reply {
  const card = draftCard(ctx.t('links:review.title'), draft, REVIEW_FIELDS, ctx);
  card.footnote = ctx.t('links:review.note');
  card.buttons = [
    { ...commandButton(ctx.t('links:buttons.save'), 'links.save', [], dialogId), style: 'primary' },
    ...editButtons(REVIEW_FIELDS, dialogId, ctx),
  ];
  return {
    kind: 'card',
    altText: ctx.t('links:review.title'),
    card,
    quickReplies: [commandButton(ctx.t('links:buttons.save'), 'links.save', [], dialogId), commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId)],
  };
}

/** Quick flow's "Advanced settings": the optional fields, then Issue link. */
export function advancedReply(draft: LinkDraft, dialogId: string, ctx: Context): Reply {
  const card = draftCard(ctx.t('links:advanced.title'), draft, ['amount', 'name', ...ADVANCED_STEPS], ctx);
  card.footnote = ctx.t('links:advanced.note');
  card.buttons = [
    { ...commandButton(ctx.t('links:buttons.issue'), 'links.issue', [], dialogId), style: 'primary' },
    ...editButtons(ADVANCED_STEPS, dialogId, ctx),
  ];
  return {
    kind: 'card',
    altText: ctx.t('links:advanced.title'),
    card,
    quickReplies: [
      commandButton(ctx.t('links:buttons.issue'), 'links.issue', [], dialogId),
      commandButton(ctx.t('buttons.back'), 'back', [], dialogId),
      commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId),
    ],
  };
}
