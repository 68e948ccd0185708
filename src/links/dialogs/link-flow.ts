import type { Button, Context } from '../../conversation/types.js';
import type { AnyLinkField } from '../fields/link-fields.js';
import type { LinkDialogSlots, LinkDialogStep } from './dialog-slots.js';

/** What sets quick and create apart; everything else is the shared engine (link-dialog-engine.ts). */
export interface LinkFlow {
  readonly name: 'quick' | 'create';
  /** The stored dialog's name. */
  readonly dialog: string;
  /** The step after the current one was answered, or 'issue' to issue the link now. */
  next(slots: LinkDialogSlots): LinkDialogStep | 'issue';
  /** The product name was typed: issue straight away (no separate name check first). */
  issuesOnName(slots: LinkDialogSlots): boolean;
  /** Buttons of this flow alongside a field's question, and a line under it. */
  questionExtras(slots: LinkDialogSlots, dialogId: string, ctx: Context): { buttons: Button[]; hint: string | null };
  /** Whether an Edit button for `field` may be used at the current step. */
  mayEdit(slots: LinkDialogSlots, field: AnyLinkField): boolean;
  /** The action of the button that issues the link, and the step it belongs to. */
  readonly finish: { action: string; step: LinkDialogStep };
}
