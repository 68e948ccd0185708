import { describe, expect, it } from 'vitest';
import { assembleMachine, step } from '../../../src/conversation/machine.js';
import type { Button, Context, DialogState, Input, Reply, Step } from '../../../src/conversation/types.js';
import type { SalesEffectResult } from '../../../src/sales/effects.js';
import { salesChat } from '../../../src/sales/chat.js';
import { NOW, STAFF, context, salesLink } from './sales-fixtures.js';

const say = (text: string): Input => ({ kind: 'text', text });
const tap = (action: string, args: string[] = [], dialogId: string | null = null): Input => ({ kind: 'postback', action, args, dialogId });
const salesOnly = assembleMachine([salesChat]);
const result = (outcome: SalesEffectResult): Input => ({ kind: 'result', result: outcome });

function run(input: Input, ctx: Context = context('en'), state: DialogState | null = null): Step {
  return step(salesOnly, state, input, ctx);
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

describe('links and summary commands', () => {
  it('lists the merchant links from the first page, in any command language', () => {
    for (const word of ['links', 'リンク一覧', '링크']) {
      expect(run(say(word)).effect).toEqual({ type: 'sales.listLinks', merchantId: 'm1', page: 0 });
    }
    expect(run(tap('links', ['2'])).effect).toEqual({ type: 'sales.listLinks', merchantId: 'm1', page: 2 });
    expect(run(tap('links', ['-1'])).effect).toEqual({ type: 'sales.listLinks', merchantId: 'm1', page: 0 });
  });

  it('looks a typed product name up (width-folded), or asks for one', () => {
    expect(run(say('ｓｕｍｍａｒｙ　Ｃｏｆｆｅｅ Beans')).effect).toEqual({ type: 'sales.findLinkByName', merchantId: 'm1', name: 'Coffee Beans' });
    expect(run(say('売上 コーヒー豆')).effect).toEqual({ type: 'sales.findLinkByName', merchantId: 'm1', name: 'コーヒー豆' });
    // No name: the shop's picture is fetched, then the question comes with it.
    expect(run(say('summary')).effect).toEqual({ type: 'sales.loadShopPicture', merchantId: 'm1' });
    const ask = run(result({ type: 'sales.shopPicture', chartUrl: 'https://pay.example/charts/t.png' }));
    expect(textOf(ask.replies[0])).toContain('Which product?');
    expect(ask.replies[1]).toEqual({ kind: 'image', url: 'https://pay.example/charts/t.png' });
    expect(run(result({ type: 'sales.shopPicture', chartUrl: null })).replies).toHaveLength(1);
  });

  it('shows one match, offers several, suggests close names for none', () => {
    const one = run(result({ type: 'sales.nameMatched', query: 'coffee', match: { kind: 'one', link: { id: 'l1', productName: 'Coffee', productNameKey: 'coffee' } } }));
    expect(one.effect).toEqual({ type: 'sales.loadSummary', merchantId: 'm1', linkId: 'l1' });

    const links = [
      { id: 'l1', productName: 'Coffee Beans', productNameKey: 'coffee beans' },
      { id: 'l2', productName: 'Coffee Mug', productNameKey: 'coffee mug' },
    ];
    const several = run(result({ type: 'sales.nameMatched', query: 'coffee', match: { kind: 'several', links } }));
    expect(textOf(several.replies[0])).toContain('Several links match "coffee"');
    expect(several.replies[0]?.kind === 'text' && commands(several.replies[0].quickReplies)).toEqual([
      ['summary', ['l1']],
      ['summary', ['l2']],
    ]);

    const none = run(result({ type: 'sales.nameMatched', query: 'cofee', match: { kind: 'none', suggestions: [links[0]!] } }), context('ko'));
    expect(textOf(none.replies[0])).toContain('"cofee"라는 상품명의 링크를 찾지 못했어요');
    expect(textOf(none.replies[0])).toContain('• Coffee Beans');
    expect(none.replies[0]?.kind === 'text' && commands(none.replies[0].quickReplies)[0]).toEqual(['summary', ['l1']]);
  });

  it('answers a summary button and renders the loaded summary', () => {
    expect(run(tap('summary', ['l9'])).effect).toEqual({ type: 'sales.loadSummary', merchantId: 'm1', linkId: 'l9' });
    const shown = run(result({ type: 'sales.summaryLoaded', link: salesLink(), summary: { capturedAmount: 3000, capturedPayments: 2, pendingPayments: 1, refundedPayments: 0, asOf: NOW.toISOString() } }));
    expect(shown.replies[0]?.kind).toBe('card');
  });

  it('refuses without saying whether a link exists elsewhere', () => {
    const refused = run(result({ type: 'sales.refused', reason: 'notFound' }), context('ja'));
    expect(textOf(refused.replies[0])).toBe('そのリンクは表示できません。別のショップのリンクか、存在しないリンクの可能性があります。「リンク一覧」で確認してください。');
  });

  it('keeps guests out', () => {
    const guest = run(tap('summary', ['l1']), context('en', null));
    expect(guest.effect).toBeUndefined();
    expect(textOf(guest.replies[0])).toContain('not a member');
  });
});

describe('activate / deactivate', () => {
  it('lets the owner switch a link and refuses staff clearly', () => {
    expect(run(tap('sales.setStatus', ['l1', 'inactive'])).effect).toEqual({ type: 'sales.setStatus', merchantId: 'm1', linkId: 'l1', status: 'inactive' });
    const staff = run(tap('sales.setStatus', ['l1', 'inactive']), context('en', STAFF));
    expect(staff.effect).toBeUndefined();
    expect(textOf(staff.replies[0])).toContain('Only the shop owner');
  });

  it('says when a switched-on link still cannot take payments', () => {
    const expired = run(result({ type: 'sales.statusChanged', link: salesLink({ expiresAt: '2026-01-01T00:00:00Z' }) }));
    expect(textOf(expired.replies[0])).toContain('it is Expired');
    const off = run(result({ type: 'sales.statusChanged', link: salesLink({ status: 'inactive' }) }));
    expect(textOf(off.replies[0])).toContain('is now inactive');
  });

  it('shows a QR code as an image with the URL', () => {
    expect(run(tap('sales.qr', ['l1'])).effect).toEqual({ type: 'sales.loadLink', merchantId: 'm1', linkId: 'l1', purpose: 'qr' });
    const shown = run(result({ type: 'sales.linkLoaded', purpose: 'qr', link: salesLink() }));
    expect(shown.replies[0]).toEqual({ kind: 'image', url: 'https://shop.example/qr/abcDEF123.png' });
    expect(textOf(shown.replies[1])).toContain('https://shop.example/l/abcDEF123');
  });

  it('pages transactions from 1', () => {
    expect(run(tap('sales.transactions', ['l1'])).effect).toEqual({ type: 'sales.listTransactions', merchantId: 'm1', linkId: 'l1', page: 1 });
    expect(run(tap('sales.transactions', ['l1', '3'])).effect).toEqual({ type: 'sales.listTransactions', merchantId: 'm1', linkId: 'l1', page: 3 });
  });
});

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
      'Product name', 'Description', 'Image', 'Page language', 'Status', 'Usage limit', 'Expiry', 'Quantity', 'Buyer details', 'Question', 'After payment', 'Payment methods',
    ]);
    // Price and currency are never offered: the card says once that they stay.
    expect(menu?.kind === 'card' && menu.card.footnote).toContain('Price and currency stay as issued');
    expect(menu?.kind === 'card' && commands(menu.quickReplies).every(([action]) => action === 'sales.editField')).toBe(true);
  });

  it('renames, and asks again when the name is taken', () => {
    const asked = choose('productName');
    expect(asked.state?.name).toBe('sales.editValue');
    expect(textOf(asked.replies[0])).toContain('now: Coffee Beans');
    const saving = run(say('  Ｄａｒｋ   Roast '), context('en'), asked.state);
    expect(saving.effect).toEqual({ type: 'sales.updateLink', merchantId: 'm1', linkId: 'link1', change: { field: 'productName', value: 'Dark Roast' } });
    const taken = run(result({ type: 'sales.updateRefused', field: 'productName', reason: 'duplicateName' }), context('en'), saving.state);
    expect(taken.state?.name).toBe('sales.editValue');
    expect(textOf(taken.replies[0])).toContain('already have a link named');
    const done = run(result({ type: 'sales.linkUpdated', field: 'productName', link: salesLink({ productName: 'Dark Roast' }) }), context('en'), saving.state);
    expect(done.state).toBeNull();
    expect(textOf(done.replies[0])).toContain('Saved: Product name of "Dark Roast" is updated.');
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
      expect(refused.replies[0]?.kind === 'text' && refused.replies[0].quickReplies?.[0]?.action).toEqual({ type: 'text', text: '作成' });
    }
  });

  it('lets only the owner change the status', () => {
    const staff = choose('status', context('en', STAFF));
    expect(staff.state?.name).toBe('sales.edit');
    expect(textOf(staff.replies[0])).toContain('Only the shop owner');
    const owner = choose('status');
    const off = run(tap('sales.editValue', ['inactive'], owner.state!.dialogId), context('en'), owner.state);
    expect(off.effect).toMatchObject({ type: 'sales.updateLink', change: { field: 'status', value: 'inactive' } });
  });

  it.each([
    ['usageLimit', '10回', { field: 'usageLimit', value: 10 }],
    ['expiresAt', '7', { field: 'expiresAt', value: new Date(NOW.getTime() + 7 * 86_400_000).toISOString() }],
    ['expiresAt', '2026-12-31', { field: 'expiresAt', value: '2026-12-31T14:59:59.999Z' }],
    ['description', 'Single origin\nfrom Kenya', { field: 'description', value: 'Single origin\nfrom Kenya' }],
  ])('reads a typed %s (%j)', (field, typed, change) => {
    const asked = choose(field);
    expect(run(say(typed), context('en'), asked.state).effect).toEqual({ type: 'sales.updateLink', merchantId: 'm1', linkId: 'link1', change });
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
    const tooBig = run(result({ type: 'sales.imageRefused', reason: 'too_large' }), context('en'), sent.state);
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
    const refused = run(result({ type: 'sales.refused', reason: 'notFound' }), context('en'), saving.state);
    expect(refused.state).toBeNull();
    expect(textOf(refused.replies[0])).toContain("That link isn't available");
  });
});
