import { commandButton, text } from '../../conversation/machine.js';
import type { Button, Context, Reply } from '../../conversation/types.js';
import { LANGUAGES } from '../../i18n/i18n.js';
import { QUANTITY_MAX } from '../quantity.js';
import { AFTER_PAYMENT_MAX } from '../product-name.js';
import { advancedReply, reviewReply } from './draft-card.js';
import { describeField } from './draft-fields.js';
import { isEditableStep, type LinkDialogSlots } from './dialog-slots.js';

export type LinkFlow = 'quick' | 'create';

function navigation(slots: LinkDialogSlots, dialogId: string, ctx: Context): Button[] {
  const buttons: Button[] = [];
  if (slots.history.length > 0) buttons.push(commandButton(ctx.t('buttons.back'), 'back', [], dialogId));
  buttons.push(commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId));
  return buttons;
}

function pick(label: string, value: string, dialogId: string): Button {
  return commandButton(label, 'links.pick', [value], dialogId);
}

/** The question of the current step, with its buttons and the value it has so far. */
export function promptFor(flow: LinkFlow, slots: LinkDialogSlots, dialogId: string, ctx: Context): Reply[] {
  const { t } = ctx;
  const { step, draft } = slots;
  if (step === 'review') return [reviewReply(draft, dialogId, ctx)];
  if (step === 'advanced') return [advancedReply(draft, dialogId, ctx)];

  const choices: Button[] = [];
  let question: string;
  switch (step) {
    case 'amount':
    case 'name':
      question = t(`links:${step}.ask`);
      if (flow === 'quick' && !slots.advanced) {
        choices.push(commandButton(t('links:buttons.advanced'), 'links.advanced', [], dialogId));
        // Explained once, on the first question; the button stays on the second.
        if (step === 'amount') question += `\n${t('links:quick.advancedHint')}`;
      }
      break;
    case 'description':
      question = `${t('links:description.ask')}\n\n${t('links:description.checklist')}`;
      choices.push(commandButton(t('links:buttons.skip'), 'links.skip', [], dialogId));
      break;
    case 'image':
      question = t('links:image.ask');
      choices.push(commandButton(t('links:buttons.skip'), 'links.skip', [], dialogId));
      if (draft.imageId) choices.push(pick(t('links:buttons.removeImage'), 'remove', dialogId));
      break;
    case 'language':
      question = t('links:language.ask');
      for (const language of LANGUAGES) choices.push(pick(t(`languages.${language}`), language, dialogId));
      break;
    case 'status':
      question = t('links:status.ask');
      choices.push(pick(t('links:status.active'), 'active', dialogId), pick(t('links:status.inactive'), 'inactive', dialogId));
      break;
    case 'usageLimit':
      question = t('links:usageLimit.ask');
      choices.push(pick(t('links:values.noLimit'), 'none', dialogId));
      break;
    case 'quantity':
      question = t('links:quantity.ask', { max: QUANTITY_MAX });
      choices.push(pick(t('links:quantity.fixedOne'), '1', dialogId), pick(t('links:quantity.upTo', { max: 10 }), '1-10', dialogId));
      break;
    case 'buyerAsk':
      question = t('links:buyerAsk.ask');
      choices.push(
        pick(t('links:buyerAsk.nameAndPhone'), 'name phone', dialogId),
        pick(t('links:buyerAsk.nameAndAddress'), 'name phone address', dialogId),
        pick(t('links:values.none'), 'none', dialogId),
      );
      break;
    case 'question':
      question = t('links:question.ask');
      choices.push(pick(t('links:question.noQuestion'), 'none', dialogId));
      break;
    case 'afterPayment':
      question = t('links:afterPayment.ask', { max: AFTER_PAYMENT_MAX });
      choices.push(commandButton(t('links:buttons.skip'), 'links.skip', [], dialogId));
      break;
    case 'paymentTypes':
      question = t('links:paymentTypes.ask');
      choices.push(pick(t('links:paymentTypes.all'), 'none', dialogId), pick(t('links:paymentTypes.noKonbini'), 'card paypay linepay merpay rakutenpay aupay', dialogId));
      break;
    case 'expiry':
      question = t('links:expiry.ask');
      choices.push(
        pick(t('links:buttons.days', { count: 7 }), '7', dialogId),
        pick(t('links:buttons.days', { count: 30 }), '30', dialogId),
        pick(t('links:values.noExpiry'), 'none', dialogId),
      );
      break;
  }
  const current = isEditableStep(step) ? describeField(step, draft, ctx) : null;
  if (current !== null) question += `\n\n${t('links:current', { value: current })}`;
  return [text(question, [...choices, ...navigation(slots, dialogId, ctx)])];
}
