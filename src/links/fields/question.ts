import { questionText } from '../link-card.js';
import { CHOICES_MAX, CHOICE_MAX, QUESTION_MAX, parseQuestion } from '../buyer-fields.js';
import type { LinkField } from './link-field.js';

/** One question the page asks the buyer, answered freely or from choices. */
export const questionField: LinkField<'question'> = {
  id: 'question',
  askedByCreate: false,
  advanced: true,
  freeText: true,
  question: (ctx) => ctx.t('links:question.ask'),
  choices: () => [],
  parse(answer, ctx) {
    const parsed = parseQuestion(answer);
    if (!parsed.ok) return { ok: false, error: ctx.t(`links:question.errors.${parsed.reason}`, { max: QUESTION_MAX, choices: CHOICES_MAX, choiceMax: CHOICE_MAX }) };
    return { ok: true, changes: { question: parsed.question } };
  },
  describe: (draft, ctx) => questionText(draft.question ?? null, ctx),
  skip: { changes: () => ({ question: null }), button: false, noneLabel: (ctx) => ctx.t('links:question.noQuestion') },
  afterIssue: { field: 'question', change: (draft) => ({ field: 'question', value: draft.question ?? null }) },
};
