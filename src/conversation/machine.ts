import { LANGUAGES, isLanguage } from '../i18n/i18n.js';
import { CORE_COMMAND_WORDS, commandTable, matchCommandIn, type CommandTable, type CoreCommand, type MatchedCommand } from './commands.js';
import { nearMisses } from './near-miss.js';
import { normalizeText } from './normalize.js';
import { readSmallTalk } from './small-talk.js';
import type { Button, Context, DialogInput, DialogState, EffectResult, EffectResultOf, Input, Reply, Step } from './types.js';

/** Bump when the shape of stored slots changes; older stored state is reset politely. */
export const STATE_SCHEMA_VERSION = 1;
export const DIALOG_IDLE_MS = 30 * 60 * 1000;

/** A dialog in progress: gets every input first; returns null to let global handling run. */
export type DialogHandler = (state: DialogState, input: DialogInput, ctx: Context) => Step | null;
/** A command typed or tapped with no dialog in progress (or interrupting one). */
type CommandHandler = (command: MatchedCommand, ctx: Context) => Step;
/** A postback action outside any dialog (e.g. a Summary button on a card). */
export type ActionHandler = (args: string[], ctx: Context) => Step;
/** Effect outcomes arriving when no dialog is in progress (e.g. a list of links to show), by result type. */
export type ResultHandlers = { [T in EffectResult['type']]?: (result: EffectResultOf<T>, ctx: Context) => Step };

interface CommandSpec {
  /** The words that start it, in en / ja / ko (matched after NFKC, case-insensitively). */
  words: readonly string[];
  run: CommandHandler;
  /** Non-members may use it too (otherwise they are told how to join). */
  guest?: boolean;
}

/** One capability's share of the chat, registered in bot/capabilities.ts. */
export interface Capability {
  dialogs?: Record<string, DialogHandler>;
  commands?: Record<string, CommandSpec>;
  actions?: Record<string, ActionHandler>;
  /** Actions non-members may use. */
  guestActions?: readonly string[];
  results?: ResultHandlers;
  /** Typed words that run an action (en/ja/ko); the rest of the message becomes its args. */
  words?: Record<string, readonly string[]>;
  /** Buttons it adds to a member's help and welcome messages, in the order capabilities are listed. */
  helpButtons?: (ctx: Context) => Button[];
  /**
   * Free text it recognises as a whole message outside its dialogs (an intent such as "make a
   * link", a bare amount), checked before command words; null to let the rest of the chat try.
   */
  understand?: (text: string, ctx: Context) => Step | null;
  /** `cancel <something>` outside a dialog (plain `cancel` only ever leaves a dialog); at most one capability. */
  cancelWithArgument?: CommandHandler;
}

/** The capabilities merged: what `step` runs. */
export interface Machine {
  dialogs: Record<string, DialogHandler>;
  commands: Record<string, CommandSpec>;
  actions: Record<string, ActionHandler>;
  guestActions: ReadonlySet<string>;
  results: ResultHandlers;
  words: Record<string, readonly string[]>;
  /** Every command word, the core's and the capabilities'. */
  commandTable: CommandTable;
  helpButtons: (ctx: Context) => Button[];
  understand: (text: string, ctx: Context) => Step | null;
  /** Words a near-miss may be a slip of, grouped by what they run (for "did you mean …?"). */
  suggestible: Record<string, readonly string[]>;
  cancelWithArgument: CommandHandler | null;
}

function mergeNamed<T>(what: string, parts: (Record<string, T> | undefined)[], reserved: readonly string[] = []): Record<string, T> {
  const merged: Record<string, T> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part ?? {})) {
      if (name in merged || reserved.includes(name)) throw new Error(`two capabilities define the ${what} "${name}"`);
      merged[name] = value;
    }
  }
  return merged;
}

/** Merges capabilities into one machine; a name defined twice is a programming error. */
export function assembleMachine(capabilities: readonly Capability[]): Machine {
  const commands = mergeNamed(
    'command',
    capabilities.map((capability) => capability.commands),
    Object.keys(CORE_COMMAND_WORDS),
  );
  const words: Record<string, readonly string[]> = { ...CORE_COMMAND_WORDS };
  for (const [name, spec] of Object.entries(commands)) words[name] = spec.words;
  const actionWords = mergeNamed(
    'action word',
    capabilities.map((capability) => capability.words),
  );
  const suggestible: Record<string, readonly string[]> = {};
  for (const [name, list] of Object.entries(words)) suggestible[`command:${name}`] = list;
  for (const [name, list] of Object.entries(actionWords)) suggestible[`action:${name}`] = list;
  const cancelHandlers = capabilities.flatMap((capability) => (capability.cancelWithArgument ? [capability.cancelWithArgument] : []));
  if (cancelHandlers.length > 1) throw new Error('two capabilities define what "cancel <argument>" does');
  return {
    dialogs: mergeNamed(
      'dialog',
      capabilities.map((capability) => capability.dialogs),
    ),
    commands,
    actions: mergeNamed(
      'action',
      capabilities.map((capability) => capability.actions),
      Object.keys(builtinActions),
    ),
    guestActions: new Set([...BUILTIN_GUEST_ACTIONS, ...capabilities.flatMap((capability) => capability.guestActions ?? [])]),
    results: mergeNamed(
      'result handler',
      capabilities.map((capability) => capability.results as Record<string, unknown>),
    ),
    words: actionWords,
    commandTable: commandTable(words),
    helpButtons: (ctx) => capabilities.flatMap((capability) => capability.helpButtons?.(ctx) ?? []),
    understand: (body, ctx) => {
      for (const capability of capabilities) {
        const understood = capability.understand?.(body, ctx);
        if (understood) return understood;
      }
      return null;
    },
    suggestible,
    cancelWithArgument: cancelHandlers[0] ?? null,
  };
}

/** The command a message starts with (any capability's), or null. */
export function matchCommand(machine: Machine, text: string): MatchedCommand | null {
  return matchCommandIn(machine.commandTable, text);
}

export function reply(...replies: Reply[]): Step {
  return { state: null, replies };
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

/** The capabilities' buttons for a member, then the language button everyone gets. */
function helpButtons(machine: Machine, ctx: Context): Button[] {
  const language = commandButton(ctx.t('buttons.language'), 'language');
  return ctx.membership ? [...machine.helpButtons(ctx), language] : [language];
}

function helpStep(machine: Machine, ctx: Context): Step {
  const body = ctx.membership ? ctx.t('help.member', { merchant: ctx.membership.merchantName }) : ctx.t('help.guest');
  return reply(text(body, helpButtons(machine, ctx)));
}

function languageStep(ctx: Context): Step {
  const buttons = LANGUAGES.map((language) => commandButton(ctx.t(`languages.${language}`), 'setLanguage', [language]));
  return reply(text(ctx.t('language.choose'), buttons));
}

const builtinActions: Record<string, (args: string[], ctx: Context, machine: Machine) => Step> = {
  help: (_args, ctx, machine) => helpStep(machine, ctx),
  language: (_args, ctx) => languageStep(ctx),
  setLanguage: ([language], ctx) => (isLanguage(language) ? { state: null, replies: [], effect: { type: 'setLanguage', language } } : languageStep(ctx)),
};

/** Actions a non-member may use besides those capabilities mark; everything else answers with how to join. */
const BUILTIN_GUEST_ACTIONS = ['help', 'language', 'setLanguage'];

function isCoreCommand(command: string): command is CoreCommand {
  return Object.hasOwn(CORE_COMMAND_WORDS, command);
}

function notMember(ctx: Context): Step {
  return reply(text(ctx.t('auth.notMember'), [commandButton(ctx.t('buttons.help'), 'help')]));
}

function fallback(ctx: Context): Step {
  return reply(text(ctx.t('fallback'), [commandButton(ctx.t('buttons.help'), 'help')]));
}

/** "Hello" / "thanks" on their own: a short friendly answer with the help buttons. */
function smallTalkStep(machine: Machine, body: string, ctx: Context): Step | null {
  const kind = readSmallTalk(body);
  if (!kind) return null;
  const key = kind === 'thanks' ? 'smallTalk.thanks' : ctx.membership ? 'smallTalk.greeting' : 'smallTalk.greetingGuest';
  return reply(text(ctx.t(key), helpButtons(machine, ctx)));
}

/** A command word typed with a slip (`qiuck`, `sumary`, `へるぷ`, `도음말`): "did you mean …?" buttons. */
function nearMissStep(machine: Machine, body: string, ctx: Context): Step | null {
  const [first = '', ...rest] = normalizeText(body).split(/\s+/);
  const argument = rest.join(' ');
  const misses = nearMisses(first, machine.suggestible);
  if (misses.length === 0) return null;
  const buttons: Button[] = misses.map(({ word }) => {
    const typed = argument === '' ? word : `${word} ${argument}`;
    return { label: word, action: { type: 'text', text: typed } };
  });
  // The help button closes the list, unless help is already one of the suggestions.
  const help = misses.some(({ group }) => group === 'command:help') ? [] : [commandButton(ctx.t('buttons.help'), 'help')];
  return reply(text(ctx.t('didYouMean'), [...buttons, ...help]));
}

function runCoreCommand(machine: Machine, matched: MatchedCommand & { command: CoreCommand }, ctx: Context): Step {
  switch (matched.command) {
    case 'help':
      return helpStep(machine, ctx);
    case 'language':
      return languageStep(ctx);
    case 'cancel':
      if (matched.argument !== '' && machine.cancelWithArgument) return ctx.membership ? machine.cancelWithArgument(matched, ctx) : notMember(ctx);
      return reply(text(ctx.t('dialog.nothingToCancel')));
    case 'back':
      return reply(text(ctx.t('dialog.nothingToGoBack')));
  }
}

function runCommand(machine: Machine, matched: MatchedCommand, ctx: Context): Step {
  const { command } = matched;
  if (isCoreCommand(command)) return runCoreCommand(machine, { ...matched, command }, ctx);
  const spec = machine.commands[matched.command];
  if (!spec) return fallback(ctx);
  if (!ctx.membership && !spec.guest) return notMember(ctx);
  return spec.run(matched, ctx);
}

/** A typed feature word (e.g. `invite`, `通知 off`) as the action it names, or null. */
function matchWord(machine: Machine, body: string): { action: string; args: string[] } | null {
  const [first = '', ...rest] = normalizeText(body).split(/\s+/);
  const word = first.toLowerCase();
  for (const [action, words] of Object.entries(machine.words)) {
    if (words.some((candidate) => candidate.toLowerCase() === word)) return { action, args: rest };
  }
  return null;
}

function runAction(machine: Machine, action: string, args: string[], ctx: Context): Step {
  if (!ctx.membership && !machine.guestActions.has(action)) return notMember(ctx);
  const builtin = Object.hasOwn(builtinActions, action) ? builtinActions[action] : undefined;
  if (builtin) return builtin(args, ctx, machine);
  const handler = Object.hasOwn(machine.actions, action) ? machine.actions[action] : undefined;
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

function dialogFor(machine: Machine, name: string): DialogHandler | undefined {
  return Object.hasOwn(machine.dialogs, name) ? machine.dialogs[name] : undefined;
}

/** The capability's handler for this outcome, if it registered one. */
function handleResult(machine: Machine, result: EffectResult, ctx: Context): Step | null {
  // Handlers are registered under their result's type, so this one takes this result.
  const handler = machine.results[result.type] as ((result: EffectResult, ctx: Context) => Step) | undefined;
  return handler ? handler(result, ctx) : null;
}

function routeInput(machine: Machine, state: DialogState | null, input: Input, ctx: Context): Step {
  if (input.kind === 'result') {
    if (input.result.type === 'languageSet') {
      return { state, replies: [text(ctx.t('language.changed'))] };
    }
    const handled = state ? dialogFor(machine, state.name)?.(state, input, ctx) : null;
    if (handled) return handled;
    return handleResult(machine, input.result, ctx) ?? { state, replies: [] };
  }

  const matched = input.kind === 'text' ? matchCommand(machine, input.text) : null;
  const dialogInput: DialogInput = input.kind === 'text' ? { ...input, command: matched } : input;

  if (state) {
    if (matched?.command === 'cancel') return reply(text(ctx.t('dialog.cancelled')));
    if (input.kind === 'postback' && input.dialogId !== null && input.dialogId !== state.dialogId) {
      return { state, replies: [text(ctx.t('dialog.staleButton'))] };
    }
    const handler = dialogFor(machine, state.name);
    const handled = handler ? handler(state, dialogInput, ctx) : null;
    if (handled) return handled;
    if (!handler) return reply(text(ctx.t('dialog.reset')));
  } else if (input.kind === 'postback' && input.dialogId !== null) {
    // A button of a dialog that has ended (finished, cancelled or expired).
    return reply(text(ctx.t('dialog.staleButton')));
  }

  switch (input.kind) {
    case 'follow':
      return reply(text(ctx.t('welcome'), helpButtons(machine, ctx)));
    case 'text': {
      const understood = machine.understand(normalizeText(input.text), ctx);
      if (understood) return understood;
      if (matched) return runCommand(machine, matched, ctx);
      const word = matchWord(machine, input.text);
      if (word) return runAction(machine, word.action, word.args, ctx);
      return smallTalkStep(machine, input.text, ctx) ?? nearMissStep(machine, input.text, ctx) ?? fallback(ctx);
    }
    case 'postback':
      return runAction(machine, input.action, input.args, ctx);
    default:
      return fallback(ctx);
  }
}
