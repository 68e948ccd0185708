import { formatDateTime } from '../../i18n/format.js';
import { parseExpiry } from '../link-limits.js';
import { isNoExpiryWord } from './field-words.js';
import { choice, type LinkField } from './link-field.js';

/** Until when buyers may pay (owner only once issued). */
export const expiryField: LinkField<'expiry'> = {
  id: 'expiry',
  askedByCreate: true,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:expiry.ask'),
  choices: (ctx) => [choice(ctx.t('links:buttons.days', { count: 7 }), '7'), choice(ctx.t('links:buttons.days', { count: 30 }), '30')],
  parse(answer, ctx) {
    if (isNoExpiryWord(answer)) return { ok: true, changes: { expiresAt: null } };
    const expiry = parseExpiry(answer, ctx.now);
    if (!expiry.ok) return { ok: false, error: ctx.t(`links:expiry.errors.${expiry.reason}`) };
    return { ok: true, changes: { expiresAt: expiry.expiresAt.toISOString() } };
  },
  describe(draft, ctx) {
    if (draft.expiresAt === undefined) return null;
    return draft.expiresAt === null ? ctx.t('links:values.noExpiry') : formatDateTime(draft.expiresAt, ctx.language);
  },
  skip: { changes: () => ({ expiresAt: null }), button: false, noneLabel: (ctx) => ctx.t('links:values.noExpiry') },
  afterIssue: { field: 'expiresAt', change: (draft) => ({ field: 'expiresAt', value: draft.expiresAt ?? null }) },
};
