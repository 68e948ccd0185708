import type { Context } from '../../conversation/types.js';
import type { LinkDraft } from '../link-draft.js';
import type { LinkChange, MutableLinkField } from '../update-link.js';

/** A value offered as a button; tapping it answers exactly as typing `value` would. */
export interface FieldChoice {
  label: string;
  value: string;
}

export type FieldAnswer = { ok: true; changes: Partial<LinkDraft> } | { ok: false; error: string };

/**
 * One field of a link, everything the chat needs to ask for it, read an answer, and show it.
 * Quick, create, the review card, the Advanced settings and edit all read the same table
 * (link-fields.ts), so a field is added in one place.
 */
export interface LinkField<Id extends string = string> {
  /** Its step in the create/quick dialogs, its Edit button's argument, `links:fields.<id>` its label. */
  readonly id: Id;
  /** Asked one after another by `create` (the rest are offered behind the review card's More options). */
  readonly askedByCreate: boolean;
  /** Offered by quick → Advanced settings. */
  readonly advanced: boolean;
  /** Any text is an answer (a command word followed by text is a value here, e.g. "Summary book"). */
  readonly freeText: boolean;
  /** The question, with what the answer may look like. */
  question(ctx: Context, draft: LinkDraft): string;
  /** Buttons offering common answers. */
  choices(ctx: Context, draft: LinkDraft): FieldChoice[];
  /** A typed (or tapped) answer: the draft's new values, or what was wrong, in the user's language. */
  parse(answer: string, ctx: Context, draft: LinkDraft): FieldAnswer;
  /** The value as the merchant reads it ("¥1,500", "No limit"); null while unanswered. */
  describe(draft: LinkDraft, ctx: Context): string | null;
  /**
   * Optional fields: what "skip" ("なし", "건너뛰기", a Skip button) sets in the draft — from an
   * empty draft, what "none" sets; `button`: create offers a Skip button (keeping what was there);
   * `noneLabel`: the "none" choice's label (No limit, No expiry, …).
   */
  readonly skip?: { changes(draft: LinkDraft): Partial<LinkDraft>; button: boolean; noneLabel?(ctx: Context): string };
  /**
   * Once issued: which stored field an edit changes, and the change from the edited draft; absent
   * for fields fixed for the link's life (the price).
   */
  readonly afterIssue?: { field: MutableLinkField; change(draft: LinkDraft): LinkChange };
}

export const choice = (label: string, value: string): FieldChoice => ({ label, value });
