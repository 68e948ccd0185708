import { choice, type LinkField } from './link-field.js';

/** The product photo: arrives as a photo message (the dialogs fetch it), or is removed. */
export const imageField: LinkField<'image'> = {
  id: 'image',
  askedByCreate: true,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:image.ask'),
  choices: (ctx, draft) => (draft.imageId ? [choice(ctx.t('links:buttons.removeImage'), 'remove')] : []),
  parse(answer, ctx) {
    if (answer === 'remove') return { ok: true, changes: { imageId: null, imageUrl: null } };
    return { ok: false, error: ctx.t('links:image.expected') };
  },
  describe(draft, ctx) {
    if (draft.imageId === undefined) return null;
    return draft.imageId ? ctx.t('links:values.imageAttached') : ctx.t('links:values.none');
  },
  skip: { changes: (draft) => ({ imageId: draft.imageId ?? null }), button: true },
  afterIssue: { field: 'image', change: (draft) => ({ field: 'image', value: draft.imageId ?? null }) },
};
