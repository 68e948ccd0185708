import type { z } from 'zod';
import { reply, text, type DialogHandler } from './machine.js';
import type { Context, DialogInput, DialogState, Step } from './types.js';

/** A dialog step given its slots already read through the dialog's own schema. */
export type TypedDialogHandler<Slots> = (state: DialogState, slots: Slots, input: DialogInput, ctx: Context) => Step | null;

/**
 * A dialog that reads its stored slots through its own schema before anything else. Slots of
 * another shape (an older release's, another dialog's, a hand-edited row) are not trusted: the
 * conversation ends with the polite "I was updated, please start again" in the user's language.
 */
export function typedDialog<Schema extends z.ZodType<Record<string, unknown>>>(schema: Schema, handle: TypedDialogHandler<z.infer<Schema>>): DialogHandler {
  return (state, input, ctx) => {
    const parsed = schema.safeParse(state.slots);
    return parsed.success ? handle(state, parsed.data, input, ctx) : reply(text(ctx.t('dialog.reset')));
  };
}
