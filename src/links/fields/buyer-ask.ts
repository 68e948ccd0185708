import { buyerAskText } from '../link-card.js';
import { parseBuyerDetailKinds } from '../buyer-fields.js';
import { choice, type LinkField } from './link-field.js';

/** The details the page asks before Pay (name, phone, email, address). */
export const buyerAskField: LinkField<'buyerAsk'> = {
  id: 'buyerAsk',
  askedByCreate: false,
  advanced: true,
  freeText: false,
  question: (ctx) => ctx.t('links:buyerAsk.ask'),
  choices: (ctx) => [choice(ctx.t('links:buyerAsk.nameAndPhone'), 'name phone'), choice(ctx.t('links:buyerAsk.nameAndAddress'), 'name phone address')],
  parse(answer, ctx) {
    const kinds = parseBuyerDetailKinds(answer);
    return kinds ? { ok: true, changes: { buyerAsk: kinds } } : { ok: false, error: ctx.t('links:buyerAsk.invalid') };
  },
  describe: (draft, ctx) => buyerAskText(draft.buyerAsk ?? [], ctx),
  skip: { changes: () => ({ buyerAsk: [] }), button: false, noneLabel: (ctx) => ctx.t('links:values.none') },
  afterIssue: { field: 'buyerAsk', change: (draft) => ({ field: 'buyerAsk', value: draft.buyerAsk ?? [] }) },
};
