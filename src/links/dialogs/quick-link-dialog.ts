import type { MatchedCommand } from '../../conversation/commands.js';
import { commandButton } from '../../conversation/machine.js';
import type { Step, Context } from '../../conversation/types.js';
import type { LinkFlow } from './link-flow.js';
import { linkDialog, startLinkDialog } from './link-dialog-engine.js';

export const QUICK_DIALOG = 'links.quick';

/**
 * Quick Payment Link: the price, the name, and the link is issued. "Advanced settings" (before
 * the name is sent) shows the optional fields on a card before issuing instead.
 */
const quickFlow: LinkFlow = {
  name: 'quick',
  dialog: QUICK_DIALOG,
  next(slots) {
    if (slots.step === 'amount') return 'name';
    if (slots.step === 'name' && !slots.advanced) return 'issue';
    return 'advanced';
  },
  issuesOnName: (slots) => !slots.advanced,
  questionExtras(slots, dialogId, ctx) {
    if (slots.advanced || (slots.step !== 'amount' && slots.step !== 'name')) return { buttons: [], hint: null };
    // Explained once, on the first question; the button stays on the second.
    return {
      buttons: [commandButton(ctx.t('links:buttons.advanced'), 'links.advanced', [], dialogId)],
      hint: slots.step === 'amount' ? ctx.t('links:quick.advancedHint') : null,
    };
  },
  mayEdit: (slots, field) => slots.step === 'advanced' && field.advanced,
  finish: { action: 'links.issue', step: 'advanced' },
};

export const quickLinkDialog = linkDialog(quickFlow);

export function startQuickLink(command: MatchedCommand, ctx: Context): Step {
  return startLinkDialog(quickFlow, command, ctx);
}
