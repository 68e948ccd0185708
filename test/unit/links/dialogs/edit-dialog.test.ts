import { describe, expect, it } from 'vitest';
import { assembleMachine, step } from '../../../../src/conversation/machine.js';
import type { Button, Context, DialogState, EffectResult, Input, Reply, Step } from '../../../../src/conversation/types.js';
import { linkChat } from '../../../../src/links/chat.js';
import { salesChat } from '../../../../src/sales/chat.js';
import { NOW, STAFF, context, salesLink } from '../../sales/sales-fixtures.js';

// The edit dialog opens from a link's Edit button (the sales capability loads the link).
const machine = assembleMachine([salesChat, linkChat]);
const say = (text: string): Input => ({ kind: 'text', text });
const tap = (action: string, args: string[] = [], dialogId: string | null = null): Input => ({ kind: 'postback', action, args, dialogId });
const result = (outcome: EffectResult): Input => ({ kind: 'result', result: outcome });

function run(input: Input, ctx: Context = context('en'), state: DialogState | null = null): Step {
  return step(machine, state, input, ctx);
}

function textOf(reply: Reply | undefined): string {
  if (!reply) return '';
  if (reply.kind === 'text') return reply.text;
  if (reply.kind === 'card') return [reply.altText, reply.card.title, reply.card.footnote ?? ''].join('\n');
  return reply.kind;
}

function commands(buttons: Button[] | undefined): [string, string[]][] {
  return (buttons ?? []).flatMap((button) => (button.action.type === 'command' ? [[button.action.action, button.action.args ?? []] as [string, string[]]] : []));
}

describe('edit dialog', () => {
  function openEditor(ctx: Context = context('en')): DialogState {
    const opened = run(result({ type: 'sales.linkLoaded', purpose: 'edit', link: salesLink() }), ctx);
    expect(opened.state?.name).toBe('sales.edit');
    return opened.state!;
  }

  function choose(field: string, ctx: Context = context('en')): Step {
    const menu = openEditor(ctx);
    return run(tap('sales.editField', [field], menu.dialogId), ctx, menu);
  }

  it('opens the menu for an Edit button after loading the link', () => {
    expect(run(tap('sales.edit', ['l1'])).effect).toEqual({ type: 'sales.loadLink', merchantId: 'm1', linkId: 'l1', purpose: 'edit' });
    const opened = run(result({ type: 'sales.linkLoaded', purpose: 'edit', link: salesLink() }));
    const menu = opened.replies[0];
    expect(menu?.kind).toBe('card');
    expect(menu?.kind === 'card' && menu.quickReplies?.map((button) => button.label)).toEqual([
      'Product name',
      'Description',
      'Image',
      'Page language',
      'Status',
      'Usage limit',
      'Quantity',
      'Tips',
      'Buyer details',
      'Question',
      'After payment',
      'Payment methods',
      'Expiry',
    ]);
    // Price and currency are never offered: the card says once that they stay.
    expect(menu?.kind === 'card' && menu.card.footnote).toContain('Price and currency stay as issued');
    expect(menu?.kind === 'card' && commands(menu.quickReplies).every(([action]) => action === 'sales.editField')).toBe(true);
  });

  it('renames, and asks again when the name is taken', () => {
    const asked = choose('productName');
    expect(asked.state?.name).toBe('sales.editValue');
    expect(textOf(asked.replies[0])).toContain('Now: Coffee Beans');
    const saving = run(say('  Ｄａｒｋ   Roast '), context('en'), asked.state);
    expect(saving.effect).toEqual({ type: 'links.update', merchantId: 'm1', linkId: 'link1', change: { field: 'productName', value: 'Dark Roast' } });
    const taken = run(result({ type: 'links.updateRefused', reason: 'duplicateName' }), context('en'), saving.state);
    expect(taken.state?.name).toBe('sales.editValue');
    expect(textOf(taken.replies[0])).toContain('already have a link named');
    const done = run(result({ type: 'links.updated', field: 'productName', link: salesLink({ productName: 'Dark Roast' }) }), context('en'), saving.state);
    expect(done.state).toBeNull();
    expect(textOf(done.replies[0])).toContain('Saved: Product name of "Dark Roast" is updated.');
  });

  it('takes 今日 / today as the expiry although it is also the today command; another command leaves', () => {
    for (const [word, ctx] of [
      ['今日', context('ja')],
      ['today', context('en')],
      ['오늘', context('ko')],
    ] as const) {
      const asked = choose('expiry', ctx);
      const saving = run(say(word), ctx, asked.state);
      expect(saving.effect?.type).toBe('links.update');
    }
    expect(run(say('links'), context('en'), choose('expiry').state).effect?.type).toBe('sales.listLinks');
  });

  it('takes a command word as a product name, but "back" returns to the menu', () => {
    const asked = choose('productName');
    expect(run(say('help'), context('en'), asked.state).effect).toMatchObject({ change: { field: 'productName', value: 'help' } });
    expect(run(say('back'), context('en'), asked.state).state?.name).toBe('sales.edit');
  });

  it('refuses a price or currency change with the reason and a new-link button', () => {
    for (const field of ['amount', 'currency']) {
      const refused = choose(field, context('ja'));
      expect(refused.effect).toBeUndefined();
      expect(refused.state?.name).toBe('sales.edit');
      expect(textOf(refused.replies[0])).toContain('価格と通貨は変更できません');
      expect(refused.replies[0]?.kind === 'text' && commands(refused.replies[0].quickReplies)[0]?.[0]).toBe('create');
    }
  });

  it('lets only the owner change the status', () => {
    const staff = choose('status', context('en', STAFF));
    expect(staff.state?.name).toBe('sales.edit');
    expect(textOf(staff.replies[0])).toContain('Only the shop owner');
    const owner = choose('status');
    const off = run(tap('sales.editValue', ['inactive'], owner.state!.dialogId), context('en'), owner.state);
    expect(off.effect).toMatchObject({ type: 'links.update', change: { field: 'status', value: 'inactive' } });
  });

  it.each([
    ['usageLimit', '10回', { field: 'usageLimit', value: 10 }],
    ['expiresAt', '7', { field: 'expiresAt', value: new Date(NOW.getTime() + 7 * 86_400_000).toISOString() }],
    ['expiresAt', '2026-12-31', { field: 'expiresAt', value: '2026-12-31T14:59:59.999Z' }],
    ['description', 'Single origin\nfrom Kenya', { field: 'description', value: 'Single origin\nfrom Kenya' }],
  ])('reads a typed %s (%j)', (field, typed, change) => {
    const asked = choose(field);
    expect(run(say(typed), context('en'), asked.state).effect).toEqual({ type: 'links.update', merchantId: 'm1', linkId: 'link1', change });
  });

  it.each([
    ['usageLimit', 'lots'],
    ['usageLimit', '0'],
    ['expiresAt', '2020-01-01'],
    ['expiresAt', 'someday'],
    ['productName', '\u200B '],
    ['image', 'a photo'],
  ])('refuses a bad %s (%j) and keeps asking', (field, typed) => {
    const asked = choose(field);
    const refused = run(say(typed), context('en'), asked.state);
    expect(refused.effect).toBeUndefined();
    expect(refused.state?.name).toBe('sales.editValue');
  });

  it.each([
    ['usageLimit', { field: 'usageLimit', value: null }],
    ['expiresAt', { field: 'expiresAt', value: null }],
    ['image', { field: 'image', value: null }],
    ['description', { field: 'description', value: '' }],
  ])('clears %s with its button', (field, change) => {
    const asked = choose(field);
    expect(run(tap('sales.editValue', ['none'], asked.state!.dialogId), context('en'), asked.state).effect).toMatchObject({ change });
  });

  it('takes a photo for the image and reports a refused one', () => {
    const asked = choose('image');
    const sent = run({ kind: 'image', messageId: 'msg-1' }, context('en'), asked.state);
    expect(sent.effect).toMatchObject({ change: { field: 'imageMessage', value: 'msg-1' } });
    const tooBig = run(result({ type: 'links.updateRefused', reason: 'image', imageProblem: 'too_large' }), context('en'), sent.state);
    expect(textOf(tooBig.replies[0])).toContain('larger than 2 MB');
    expect(tooBig.state?.name).toBe('sales.editValue');
  });

  it('sets the page language from a button', () => {
    const asked = choose('language');
    expect(commands(asked.replies[0]?.kind === 'text' ? asked.replies[0].quickReplies : []).map(([, args]) => args[0])).toEqual(['ja', 'en', 'ko', undefined]);
    const chosen = run(tap('sales.editValue', ['ko'], asked.state!.dialogId), context('en'), asked.state);
    expect(chosen.effect).toMatchObject({ change: { field: 'language', value: 'ko' } });
  });

  it('leaves the menu for another command', () => {
    const menu = openEditor();
    const left = run(say('links'), context('en'), menu);
    expect(left.state).toBeNull();
    expect(left.effect).toEqual({ type: 'sales.listLinks', merchantId: 'm1', page: 0 });
  });

  it('ends with the refusal when the link is no longer the merchant’s', () => {
    const asked = choose('productName');
    const saving = run(say('New'), context('en'), asked.state);
    const refused = run(result({ type: 'links.updateRefused', reason: 'notFound' }), context('en'), saving.state);
    expect(refused.state).toBeNull();
    expect(textOf(refused.replies[0])).toContain("That link isn't available");
  });
});
