import { LANGUAGES } from '../../i18n/i18n.js';
import { readLanguage } from './field-words.js';
import { choice, type LinkField } from './link-field.js';

/** The language of the buyer's page (not the merchant's chat). */
export const languageField: LinkField<'language'> = {
  id: 'language',
  askedByCreate: true,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:language.ask'),
  choices: (ctx) => LANGUAGES.map((language) => choice(ctx.t(`languages.${language}`), language)),
  parse(answer, ctx) {
    const language = readLanguage(answer);
    return language ? { ok: true, changes: { language } } : { ok: false, error: ctx.t('links:language.invalid') };
  },
  describe: (draft, ctx) => (draft.language ? ctx.t(`languages.${draft.language}`) : null),
  afterIssue: { field: 'language', change: (draft) => ({ field: 'language', value: draft.language ?? 'ja' }) },
};
