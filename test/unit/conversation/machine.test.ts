import { describe, expect, it } from 'vitest';
import { DIALOG_IDLE_MS, assembleMachine, reply, step, text, type Machine } from '../../../src/conversation/machine.js';
import type { Context, DialogState, Input, Membership } from '../../../src/conversation/types.js';
import type { Language } from '../../../src/i18n/i18n.js';
import { testContext } from '../../support/context.js';

const member: Membership = { merchantId: 'm1', merchantName: 'Shop', role: 'owner' };
const now = new Date('2026-11-28T10:00:00Z');

function ctx(language: Language = 'en', membership: Membership | null = member): Context {
  return testContext({ now, language, membership, newDialogId: 'd-new' });
}

// A one-step echo dialog standing in for a feature, so the core's own rules can be observed.
const machine = assembleMachine([
  {
    dialogs: {
      echo: (state, input) => (input.kind === 'text' ? { state, replies: [text(`echo:${input.text}`)] } : null),
    },
    commands: {
      quick: {
        words: ['quick', 'クイック'],
        run: (_command, context) => ({ state: { name: 'echo', dialogId: context.newDialogId, slots: {}, expiresAt: new Date(now.getTime() + DIALOG_IDLE_MS) }, replies: [] }),
      },
    },
    actions: { ping: () => reply(text('pong')) },
  },
]);

const echoState = (overrides: Partial<DialogState> = {}): DialogState => ({
  name: 'echo',
  dialogId: 'd1',
  slots: {},
  expiresAt: new Date(now.getTime() + 60_000),
  ...overrides,
});

const texts = (input: Input, state: DialogState | null = null, context = ctx()) => step(machine, state, input, context).replies.map((entry) => (entry.kind === 'text' ? entry.text : entry.kind));

describe('conversation core', () => {
  it('gives a dialog in progress the input first', () => {
    expect(texts({ kind: 'text', text: 'hello' }, echoState())).toEqual(['echo:hello']);
  });

  it('cancel leaves a dialog and reports that nothing was saved', () => {
    const result = step(machine, echoState(), { kind: 'text', text: ' ＣＡＮＣＥＬ ' }, ctx());
    expect(result.state).toBeNull();
    expect(result.replies).toEqual([{ kind: 'text', text: 'Cancelled. Nothing was saved.' }]);
  });

  it('closes an idle dialog politely and handles the message fresh', () => {
    const result = step(machine, echoState({ expiresAt: new Date(now.getTime() - 1) }), { kind: 'text', text: 'purple elephant' }, ctx());
    expect(result.state).toBeNull();
    expect(result.replies[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('timed out') });
    expect(result.replies[1]).toMatchObject({ kind: 'text', text: expect.stringContaining("didn't understand") });
  });

  it('refuses a button from another dialog and keeps the current one', () => {
    const state = echoState();
    const result = step(machine, state, { kind: 'postback', action: 'next', args: [], dialogId: 'old' }, ctx());
    expect(result.state).toBe(state);
    expect(result.replies[0]).toMatchObject({ text: expect.stringContaining('already ended') });
  });

  it('refuses a dialog button when no dialog is in progress', () => {
    expect(texts({ kind: 'postback', action: 'next', args: [], dialogId: 'gone' })).toEqual(['That button belongs to a conversation that has already ended. Please start again.']);
  });

  it('resets state whose dialog no longer exists in this code version', () => {
    const result = step(machine, echoState({ name: 'removedDialog' }), { kind: 'text', text: 'x' }, ctx());
    expect(result.state).toBeNull();
    expect(result.replies[0]).toMatchObject({ text: expect.stringContaining('I was updated') });
  });

  it('lets a non-member use only help, language and join', () => {
    const guest = ctx('ja', null);
    expect(texts({ kind: 'text', text: 'quick' }, null, guest)[0]).toContain('招待コード');
    expect(texts({ kind: 'postback', action: 'ping', args: [], dialogId: null }, null, guest)[0]).toContain('招待コード');
    expect(texts({ kind: 'text', text: 'help' }, null, guest)[0]).toContain('参加 <コード>');
    expect(texts({ kind: 'postback', action: 'ping', args: [], dialogId: null })).toEqual(['pong']);
  });

  it('starts a dialog with the fresh dialog id from a command', () => {
    const result = step(machine, null, { kind: 'text', text: 'クイック' }, ctx());
    expect(result.state).toMatchObject({ name: 'echo', dialogId: 'd-new' });
  });

  it('answers in the context language only', () => {
    expect(texts({ kind: 'text', text: 'zzz' }, null, ctx('ko'))[0]).toContain('죄송해요');
    expect(texts({ kind: 'text', text: 'zzz' }, null, ctx('ja'))[0]).toContain('すみません');
  });

  it('asks for a language change as an effect and confirms in the new language', () => {
    const first = step(machine, null, { kind: 'postback', action: 'setLanguage', args: ['ko'], dialogId: null }, ctx('en'));
    expect(first.effect).toEqual({ type: 'setLanguage', language: 'ko' });
    const second = step(machine, null, { kind: 'result', result: { type: 'languageSet', language: 'ko' } }, ctx('ko'));
    expect(second.replies[0]).toMatchObject({ text: expect.stringContaining('한국어') });
  });
});

describe('feature words', () => {
  const withWords: Machine = { ...machine, words: { ping: ['ping', 'ピン'] } };
  it('runs the action a typed feature word names, passing the rest as arguments', () => {
    const seen: string[][] = [];
    const recording: Machine = { ...withWords, actions: { ping: (args) => (seen.push(args), reply(text('pong'))) } };
    expect(step(recording, null, { kind: 'text', text: ' ＰＩＮＧ on ' }, ctx()).replies).toEqual([{ kind: 'text', text: 'pong' }]);
    expect(step(recording, null, { kind: 'text', text: 'ピン' }, ctx()).replies).toEqual([{ kind: 'text', text: 'pong' }]);
    expect(seen).toEqual([['on'], []]);
  });

  it('keeps feature words behind the membership check', () => {
    const [answer] = step(withWords, null, { kind: 'text', text: 'ping' }, ctx('en', null)).replies;
    expect(answer).toMatchObject({ kind: 'text', text: expect.stringContaining('not a member') });
  });
});

describe('capabilities registering commands', () => {
  const pong = () => reply(text('pong'));

  it('refuses a name or a command word that two capabilities both claim', () => {
    expect(() => assembleMachine([{ actions: { ping: pong } }, { actions: { ping: pong } }])).toThrow(/action "ping"/);
    expect(() => assembleMachine([{ commands: { ping: { words: ['ping'], run: pong } } }, { commands: { pong: { words: ['PING'], run: pong } } }])).toThrow(/"PING"/);
    expect(() => assembleMachine([{ commands: { help: { words: ['assist'], run: pong } } }])).toThrow(/command "help"/);
  });

  it('runs a registered command by any of its words, and for non-members only when marked guest', () => {
    const capability = { commands: { ping: { words: ['ping', 'ピン'], run: pong }, hello: { words: ['hello'], run: pong, guest: true } } };
    const registered = assembleMachine([capability]);
    expect(step(registered, null, { kind: 'text', text: 'ピン' }, ctx()).replies).toEqual([{ kind: 'text', text: 'pong' }]);
    expect(step(registered, null, { kind: 'text', text: 'ping' }, ctx('en', null)).replies[0]).toMatchObject({ text: expect.stringContaining('not a member') });
    expect(step(registered, null, { kind: 'text', text: 'hello' }, ctx('en', null)).replies).toEqual([{ kind: 'text', text: 'pong' }]);
  });
});
