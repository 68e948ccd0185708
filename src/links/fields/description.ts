import { clip } from '../../i18n/format.js';
import { DESCRIPTION_MAX, validateDescription } from '../product-name.js';
import type { LinkField } from './link-field.js';

export const PREVIEW_MAX = 120;

export const descriptionField: LinkField<'description'> = {
  id: 'description',
  askedByCreate: true,
  advanced: true,
  freeText: true,
  question: (ctx) => `${ctx.t('links:description.ask')}\n\n${ctx.t('links:description.checklist')}`,
  choices: () => [],
  parse(answer, ctx) {
    const description = validateDescription(answer);
    if (!description.ok) return { ok: false, error: ctx.t('links:description.tooLong', { max: DESCRIPTION_MAX }) };
    return { ok: true, changes: { description: description.text } };
  },
  describe(draft, ctx) {
    if (draft.description === undefined) return null;
    return draft.description === '' ? ctx.t('links:values.none') : clip(draft.description, PREVIEW_MAX);
  },
  skip: { changes: (draft) => ({ description: draft.description ?? '' }), button: true, noneLabel: (ctx) => ctx.t('links:values.none') },
  afterIssue: { field: 'description', change: (draft) => ({ field: 'description', value: draft.description ?? '' }) },
};
