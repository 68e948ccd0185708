import { commandButton, text } from '../../conversation/machine.js';
import type { Button, Context, Reply } from '../../conversation/types.js';
import { linkField } from '../fields/link-fields.js';
import { advancedReply, reviewReply } from './draft-card.js';
import type { LinkDialogSlots } from './dialog-slots.js';
import type { LinkFlow } from './link-flow.js';

function navigation(slots: LinkDialogSlots, dialogId: string, ctx: Context): Button[] {
  const buttons: Button[] = [];
  if (slots.history.length > 0) buttons.push(commandButton(ctx.t('buttons.back'), 'back', [], dialogId));
  buttons.push(commandButton(ctx.t('buttons.cancel'), 'cancel', [], dialogId));
  return buttons;
}

/** The question of the current step, with its buttons and the value it has so far. */
export function promptFor(flow: LinkFlow, slots: LinkDialogSlots, dialogId: string, ctx: Context): Reply[] {
  const { step, draft } = slots;
  if (step === 'review') return [reviewReply(draft, dialogId, ctx)];
  if (step === 'advanced') return [advancedReply(draft, dialogId, ctx)];
  const field = linkField(step);
  if (!field) return [];

  const extras = flow.questionExtras(slots, dialogId, ctx);
  const buttons: Button[] = [...extras.buttons];
  if (field.skip?.button) buttons.push(commandButton(ctx.t('links:buttons.skip'), 'links.skip', [], dialogId));
  for (const choice of field.choices(ctx, draft)) buttons.push(commandButton(choice.label, 'links.pick', [choice.value], dialogId));
  if (field.skip?.noneLabel && !field.skip.button) buttons.push(commandButton(field.skip.noneLabel(ctx), 'links.pick', ['none'], dialogId));

  let question = field.question(ctx, draft);
  if (extras.hint) question += `\n${extras.hint}`;
  const current = field.describe(draft, ctx);
  if (current !== null) question += `\n\n${ctx.t('links:current', { value: current })}`;
  return [text(question, [...buttons, ...navigation(slots, dialogId, ctx)])];
}
