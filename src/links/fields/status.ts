import { readStatus } from './field-words.js';
import { choice, type LinkField } from './link-field.js';

/** Whether buyers can pay through the link (owner only once issued: update-link.ts). */
export const statusField: LinkField<'status'> = {
  id: 'status',
  askedByCreate: true,
  advanced: false,
  freeText: false,
  question: (ctx) => ctx.t('links:status.ask'),
  choices: (ctx) => [choice(ctx.t('links:status.active'), 'active'), choice(ctx.t('links:status.inactive'), 'inactive')],
  parse(answer, ctx) {
    const status = readStatus(answer);
    return status ? { ok: true, changes: { status } } : { ok: false, error: ctx.t('links:status.invalid') };
  },
  describe: (draft, ctx) => (draft.status ? ctx.t(`links:status.${draft.status}`) : null),
  afterIssue: { field: 'status', change: (draft) => ({ field: 'status', value: draft.status ?? 'active' }) },
};
