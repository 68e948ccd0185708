import type { Button, Context } from '../conversation/types.js';

/**
 * Buttons that start another feature's command by sending its word in the user's language, the
 * same as typing it: they work whatever button actions that feature registers.
 */
export function typedCommandButton(label: string, command: 'quick' | 'create', ctx: Context): Button {
  return { label, action: { type: 'text', text: ctx.t(`sales:commandWords.${command}`) } };
}
