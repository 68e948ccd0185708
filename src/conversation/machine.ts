import { LANGUAGES, isLanguage } from '../i18n/i18n.js';
import { matchCommand, type Command, type MatchedCommand } from './commands.js';
import { normalizeText } from './normalize.js';
import type { Button, Context, DialogState, EffectResult, Input, Reply, Step } from './types.js';

/** Bump when the shape of stored slots changes; older stored state is reset politely. */
export const STATE_SCHEMA_VERSION = 1;
export const DIALOG_IDLE_MS = 30 * 60 * 1000;

/** A dialog in progress: gets every input first; returns null to let global handling run. */
export type DialogHandler = (state: DialogState, input: Input, ctx: Context) => Step | null;
/** A command typed or tapped with no dialog in progress (or interrupting one). */
export type CommandHandler = (command: MatchedCommand, ctx: Context) => Step;
/** A postback action outside any dialog (e.g. a Summary button on a card). */
export type ActionHandler = (args: string[], ctx: Context) => Step;
/** An effect's outcome arriving when no dialog is in progress (e.g. a list of links to show). */
export type ResultHandler = (result: EffectResult, ctx: Context) => Step;

/** One feature's share of the machine; features are merged in bot/capabilities.ts. */
export interface Machine {
  dialogs: Record<string, DialogHandler>;
  commands: Partial<Record<Command, CommandHandler>>;
  actions: Record<string, ActionHandler>;
  /** Keyed by EffectResult['type']. */
  results: Record<string, ResultHandler>;
  /** Typed words that run a feature's action (en/ja/ko); the rest of the message becomes its args. */
  words?: Record<string, readonly string[]>;
}

export function reply(...replies: Reply[]): Step {
  return { state: null, replies, effects: [] };
}

export function text(body: string, quickReplies?: Button[]): Reply {
  return quickReplies ? { kind: 'text', text: body, quickReplies } : { kind: 'text', text: body };
}

export function commandButton(label: string, action: string, args: string[] = [], dialogId: string | null = null): Button {
  return { label, action: { type: 'command', action, args, dialogId } };
}

export function startDialog(name: string, ctx: Context, slots: Record<string, unknown> = {}): DialogState {
  return { name, dialogId: ctx.newDialogId, slots, expiresAt: new Date(ctx.now.getTime() + DIALOG_IDLE_MS) };
}

/** The same dialog one step further; touching it pushes its idle expiry out again. */
export function continueDialog(state: DialogState, ctx: Context, changes: { name?: string; slots?: Record<string, unknown> }): DialogState {
  return {
    name: changes.name ?? state.name,
    dialogId: state.dialogId,
    slots: changes.slots ?? state.slots,
    expiresAt: new Date(ctx.now.getTime() + DIALOG_IDLE_MS),
  };
}

function helpButtons(ctx: Context): Button[] {
  const { t } = ctx;
  return ctx.membership
    ? [
        commandButton(t('buttons.quick'), 'quick'),
        commandButton(t('buttons.create'), 'create'),
        commandButton(t('buttons.links'), 'links'),
        commandButton(t('merchants:buttons.shop'), 'shop'),
        commandButton(t('buttons.language'), 'language'),
      ]
    : [commandButton(t('buttons.language'), 'language')];
}

export function helpStep(ctx: Context): Step {
  const body = ctx.membership ? ctx.t('help.member', { merchant: ctx.membership.merchantName }) : ctx.t('help.guest');
  return reply(text(body, helpButtons(ctx)));
}

function languageStep(ctx: Context): Step {
  const buttons = LANGUAGES.map((language) => commandButton(ctx.t(`languages.${language}`), 'setLanguage', [language]));
  return reply(text(ctx.t('language.choose'), buttons));
}

const builtinActions: Record<string, ActionHandler> = {
  help: (_args, ctx) => helpStep(ctx),
  language: (_args, ctx) => languageStep(ctx),
  setLanguage: ([language], ctx) =>
    isLanguage(language) ? { state: null, replies: [], effects: [{ type: 'setLanguage', language }] } : languageStep(ctx),
};

/** Commands a non-member may use; everything else answers with how to join. */
const GUEST_COMMANDS: ReadonlySet<Command> = new Set(['help', 'join', 'language', 'cancel', 'back']);
const GUEST_ACTIONS: ReadonlySet<string> = new Set(['help', 'language', 'setLanguage', 'join']);

function notMember(ctx: Context): Step {
  return reply(text(ctx.t('auth.notMember'), [commandButton(ctx.t('buttons.help'), 'help')]));
}

function fallback(ctx: Context): Step {
  return reply(text(ctx.t('fallback'), [commandButton(ctx.t('buttons.help'), 'help')]));
}

function runCommand(machine: Machine, matched: MatchedCommand, ctx: Context): Step {
  if (!ctx.membership && !GUEST_COMMANDS.has(matched.command)) return notMember(ctx);
  switch (matched.command) {
    case 'help':
      return helpStep(ctx);
    case 'language':
      return languageStep(ctx);
    case 'cancel':
      return reply(text(ctx.t('dialog.nothingToCancel')));
    case 'back':
      return reply(text(ctx.t('dialog.nothingToGoBack')));
  }
  const handler = machine.commands[matched.command];
  return handler ? handler(matched, ctx) : fallback(ctx);
}

/** A typed feature word (e.g. `invite`, `通知 off`) as the action it names, or null. */
function matchWord(machine: Machine, body: string): { action: string; args: string[] } | null {
  const [first = '', ...rest] = normalizeText(body).split(/\s+/);
  const word = first.toLowerCase();
  for (const [action, words] of Object.entries(machine.words ?? {})) {
    if (words.some((candidate) => candidate.toLowerCase() === word)) return { action, args: rest };
  }
  return null;
}

function runAction(machine: Machine, action: string, args: string[], ctx: Context): Step {
  if (!ctx.membership && !GUEST_ACTIONS.has(action)) return notMember(ctx);
  const handler = builtinActions[action] ?? machine.actions[action];
  return handler ? handler(args, ctx) : fallback(ctx);
}

/**
 * The pure conversation core: (stored state, input) → next state, replies and effects.
 * No I/O happens here; `ctx` carries the clock, the user's language and membership.
 */
export function step(machine: Machine, stored: DialogState | null, input: Input, ctx: Context): Step {
  const notes: Reply[] = [];
  let state = stored;
  if (state && state.expiresAt.getTime() <= ctx.now.getTime()) {
    state = null;
    if (input.kind !== 'result') notes.push(text(ctx.t('dialog.expired')));
  }
  const result = routeInput(machine, state, input, ctx);
  return { ...result, replies: [...notes, ...result.replies] };
}

function routeInput(machine: Machine, state: DialogState | null, input: Input, ctx: Context): Step {
  if (input.kind === 'result') {
    if (input.result.type === 'languageSet') {
      return { state, replies: [text(ctx.t('language.changed'))], effects: [] };
    }
    const handled = state ? machine.dialogs[state.name]?.(state, input, ctx) : null;
    if (handled) return handled;
    const handler = machine.results[input.result.type];
    return handler ? handler(input.result, ctx) : { state, replies: [], effects: [] };
  }

  const matched = input.kind === 'text' ? matchCommand(input.text) : null;

  if (state) {
    if (matched?.command === 'cancel') return reply(text(ctx.t('dialog.cancelled')));
    if (input.kind === 'postback' && input.dialogId !== null && input.dialogId !== state.dialogId) {
      return { state, replies: [text(ctx.t('dialog.staleButton'))], effects: [] };
    }
    const handler = machine.dialogs[state.name];
    const handled = handler ? handler(state, input, ctx) : null;
    if (handled) return handled;
    if (!handler) return reply(text(ctx.t('dialog.reset')));
  } else if (input.kind === 'postback' && input.dialogId !== null) {
    // A button of a dialog that has ended (finished, cancelled or expired).
    return reply(text(ctx.t('dialog.staleButton')));
  }

  switch (input.kind) {
    case 'follow':
      return reply(text(ctx.t('welcome'), helpButtons(ctx)));
    case 'text': {
      if (matched) return runCommand(machine, matched, ctx);
      const word = matchWord(machine, input.text);
      return word ? runAction(machine, word.action, word.args, ctx) : fallback(ctx);
    }
    case 'postback':
      return runAction(machine, input.action, input.args, ctx);
    default:
      return fallback(ctx);
  }
}
