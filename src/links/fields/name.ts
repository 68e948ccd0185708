import { PRODUCT_NAME_MAX, normalizeProductName } from '../product-name.js';
import type { LinkField } from './link-field.js';

/** The product name: unique per shop (the create and update effects decide races). */
export const nameField: LinkField<'name'> = {
  id: 'name',
  askedByCreate: true,
  advanced: false,
  freeText: true,
  question: (ctx) => ctx.t('links:name.ask'),
  choices: () => [],
  parse(answer, ctx) {
    const name = normalizeProductName(answer);
    if (!name.ok) return { ok: false, error: ctx.t(`links:name.errors.${name.reason}`, { max: PRODUCT_NAME_MAX }) };
    return { ok: true, changes: { productName: name.name } };
  },
  describe: (draft) => draft.productName ?? null,
  afterIssue: { field: 'productName', change: (draft) => ({ field: 'productName', value: draft.productName ?? '' }) },
};
