import type { Context } from '../../conversation/types.js';
import { clip, formatDateTime, formatPrice } from '../../i18n/format.js';
import type { LinkDraft } from '../link-draft.js';
import { buyerAskText, paymentTypesText, questionText, quantityText } from '../link-card.js';
import type { EditableStep } from './dialog-slots.js';

const DESCRIPTION_PREVIEW = 120;


/** A draft field as the merchant reads it ("¥1,500", "No limit", …); null while unanswered. */
export function describeField(field: EditableStep, draft: LinkDraft, ctx: Context): string | null {
  const { t } = ctx;
  switch (field) {
    case 'amount':
      return draft.amount !== undefined && draft.currency ? formatPrice(draft.amount, draft.currency, ctx.language) : null;
    case 'name':
      return draft.productName ?? null;
    case 'description':
      if (draft.description === undefined) return null;
      return draft.description === '' ? t('links:values.none') : clip(draft.description, DESCRIPTION_PREVIEW);
    case 'image':
      if (draft.imageId === undefined) return null;
      return draft.imageId ? t('links:values.imageAttached') : t('links:values.none');
    case 'language':
      return draft.language ? t(`languages.${draft.language}`) : null;
    case 'status':
      return draft.status ? t(`links:status.${draft.status}`) : null;
    case 'usageLimit':
      if (draft.usageLimit === undefined) return null;
      return draft.usageLimit === null ? t('links:values.noLimit') : t('links:card.usageLimitValue', { count: draft.usageLimit });
    case 'quantity':
      return quantityText({ min: draft.quantityMin ?? 1, max: draft.quantityMax ?? 1 }, ctx);
    case 'buyerAsk':
      return buyerAskText(draft.buyerAsk ?? [], ctx);
    case 'question':
      return questionText(draft.question ?? null, ctx);
    case 'afterPayment':
      return draft.afterPaymentMessage ? clip(draft.afterPaymentMessage, DESCRIPTION_PREVIEW) : t('links:values.none');
    case 'paymentTypes':
      return paymentTypesText(draft.paymentTypes ?? [], ctx);
    case 'expiry':
      if (draft.expiresAt === undefined) return null;
      return draft.expiresAt === null ? t('links:values.noExpiry') : formatDateTime(draft.expiresAt, ctx.language);
  }
}

/** Label of a field on review cards and Edit buttons. */
export function fieldLabel(field: EditableStep, ctx: Context): string {
  return ctx.t(`links:fields.${field}`);
}
