import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../src/bot/capabilities.js';
import { step } from '../../../src/conversation/machine.js';
import type { Context, Input, Membership, Step } from '../../../src/conversation/types.js';
import type { Language } from '../../../src/i18n/i18n.js';
import { testContext } from '../../support/context.js';
import { formatDateTime } from '../../../src/i18n/format.js';

const machine = createMachine();
const owner: Membership = { merchantId: 'm_a', merchantName: 'Shop A', role: 'owner' };
const staff: Membership = { merchantId: 'm_a', merchantName: 'Shop A', role: 'staff' };
const otherOwner: Membership = { merchantId: 'm_b', merchantName: 'Shop B', role: 'owner' };

function ctx(membership: Membership | null, language: Language = 'en'): Context {
  return testContext({ now: new Date('2026-11-28T00:00:00Z'), language, membership, newDialogId: 'd1' });
}

function texts(result: Step): string {
  return result.replies.map((reply) => (reply.kind === 'text' ? reply.text : reply.kind === 'card' ? reply.altText : '')).join('\n');
}

const postback = (action: string, args: string[] = []): Input => ({ kind: 'postback', action, args, dialogId: null });

describe('merchant feature (pure core)', () => {
  it('join with a code asks for the join effect; without one explains; a malformed code is refused without an effect', () => {
    expect(step(machine, null, { kind: 'text', text: 'join abcd-2345' }, ctx(null)).effect).toEqual({ type: 'merchants.join', code: 'ABCD2345' });
    expect(step(machine, null, { kind: 'text', text: '参加 ＡＢＣＤー２３４５' }, ctx(null, 'ja')).effect).toEqual({ type: 'merchants.join', code: 'ABCD2345' });
    expect(step(machine, null, { kind: 'text', text: '가입 ABCD2345' }, ctx(null, 'ko')).effect).toEqual({ type: 'merchants.join', code: 'ABCD2345' });
    const howTo = step(machine, null, { kind: 'text', text: 'join' }, ctx(null));
    expect(howTo.effect).toBeUndefined();
    expect(texts(howTo)).toContain('join ABCD-2345');
    const malformed = step(machine, null, { kind: 'text', text: 'join 1234' }, ctx(null));
    expect(malformed.effect).toBeUndefined();
    expect(texts(malformed)).toContain("doesn't look like an invite code");
  });

  const matrix: { who: string; membership: Membership | null; expectEffect: boolean; answer: RegExp }[] = [
    { who: 'owner', membership: owner, expectEffect: true, answer: /^$/ },
    { who: 'staff', membership: staff, expectEffect: false, answer: /Only an owner of Shop A/ },
    { who: 'non-member', membership: null, expectEffect: false, answer: /not a member of a shop yet/ },
  ];
  it.each(matrix)('invite: $who', ({ membership, expectEffect, answer }) => {
    const result = step(machine, null, postback('invite'), ctx(membership));
    expect(result.effect !== undefined).toBe(expectEffect);
    if (expectEffect) expect(result.effect).toEqual({ type: 'merchants.createInvite', merchantId: 'm_a' });
    expect(texts(result)).toMatch(answer);
  });

  it.each(matrix)('confirmRemoveMember of a Shop A member: $who', ({ membership, expectEffect, answer }) => {
    const result = step(machine, null, postback('confirmRemoveMember', ['m_a', 'Ustaff']), ctx(membership));
    expect(result.effect !== undefined).toBe(expectEffect);
    if (expectEffect) expect(result.effect).toEqual({ type: 'merchants.removeMember', merchantId: 'm_a', memberUserId: 'Ustaff' });
    expect(texts(result)).toMatch(answer);
  });

  it('an owner of another shop tapping a button that names Shop A gets no effect', () => {
    for (const action of ['removeMember', 'confirmRemoveMember']) {
      const result = step(machine, null, postback(action, ['m_a', 'Ustaff']), ctx(otherOwner));
      expect(result.effect).toBeUndefined();
      expect(texts(result)).toContain('another shop');
    }
  });

  it('members and shops need membership; the effect is scoped to the active merchant, whatever the args say', () => {
    expect(step(machine, null, postback('members', ['m_b']), ctx(staff)).effect).toEqual({ type: 'merchants.listMembers', merchantId: 'm_a' });
    expect(step(machine, null, postback('members'), ctx(null)).effect).toBeUndefined();
    expect(step(machine, null, postback('shops'), ctx(staff)).effect).toEqual({ type: 'merchants.listShops' });
    expect(step(machine, null, postback('switchShop', ['m_b']), ctx(null)).effect).toBeUndefined();
  });

  it('the shop menu offers invites only to owners', () => {
    const labels = (result: Step) => result.replies.flatMap((reply) => (reply.kind === 'text' ? (reply.quickReplies ?? []).map((button) => button.label) : []));
    expect(labels(step(machine, null, postback('shop'), ctx(owner)))).toContain('Invite staff');
    expect(labels(step(machine, null, postback('shop'), ctx(staff)))).not.toContain('Invite staff');
    expect(labels(step(machine, null, { kind: 'text', text: 'join' }, ctx(owner)))).toContain('Invite staff');
  });

  it('answers join outcomes in every language, including the rate limit with its time', () => {
    for (const language of ['ja', 'en', 'ko'] as const) {
      const limited = step(machine, null, { kind: 'result', result: { type: 'merchants.joinResult', outcome: { status: 'rateLimited', retryAt: '2026-11-28T01:00:00Z' } } }, ctx(null, language));
      expect(texts(limited)).toMatch(/10:00/);
      // Times read the same in every message of the chat (links, sales, shop).
      expect(texts(limited)).toContain(formatDateTime('2026-11-28T01:00:00Z', language));
      const invalid = step(machine, null, { kind: 'result', result: { type: 'merchants.joinResult', outcome: { status: 'invalid', attemptsLeft: 2 } } }, ctx(null, language));
      expect(texts(invalid)).toContain('2');
      expect(texts(invalid)).not.toMatch(/merchants:|join\./);
    }
  });
});
