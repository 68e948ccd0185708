import { describe, expect, it } from 'vitest';
import { assembleMachine, step } from '../../../src/conversation/machine.js';
import type { Button, Context, DialogState, Input, Reply, Step } from '../../../src/conversation/types.js';
import type { SalesEffectResult } from '../../../src/sales/effects.js';
import { refundChat } from '../../../src/refunds/chat.js';
import { salesChat } from '../../../src/sales/chat.js';
import { NOW, STAFF, context, salesLink, todayView } from './sales-fixtures.js';

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
    // No name: today's card, then the whole shop's 30-day picture.
    expect(run(say('summary')).effect).toEqual({ type: 'sales.loadToday', merchantId: 'm1', at: NOW.toISOString(), withChart: true });
    const shown = run(result({ type: 'sales.todayLoaded', today: todayView(), chartUrl: 'https://pay.example/charts/t.png' }));
    expect(shown.replies[0]?.kind).toBe('card');
    expect(textOf(shown.replies[0])).toContain('summary <product name>');
    expect(shown.replies[1]).toEqual({ kind: 'image', url: 'https://pay.example/charts/t.png' });
    expect(run(result({ type: 'sales.todayLoaded', today: todayView(), chartUrl: null })).replies).toHaveLength(1);
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
    const shown = run(
      result({ type: 'sales.summaryLoaded', link: salesLink(), summary: { capturedAmount: 3000, capturedPayments: 2, pendingPayments: 1, refundedPayments: 0, asOf: NOW.toISOString() } }),
    );
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

describe('words for every link action', () => {
  const machine = assembleMachine([salesChat, refundChat]);
  const go = (input: Input, ctx: Context = context('en'), state: DialogState | null = null) => step(machine, state, input, ctx);
  const found = (purpose: string) =>
    result({ type: 'sales.nameMatched', query: 'coffee', purpose: purpose as 'refund', match: { kind: 'one', link: { id: 'l1', productName: 'Coffee', productNameKey: 'coffee' } } });

  it('looks the product up for each word, in ja / en / ko', () => {
    const cases: [string, string][] = [
      ['refund Coffee', 'refund'],
      ['返金 コーヒー', 'refund'],
      ['환불 커피', 'refund'],
      ['cancel Coffee', 'cancel'],
      ['取り消し コーヒー', 'cancel'],
      ['deactivate Coffee', 'deactivate'],
      ['受付停止 コーヒー', 'deactivate'],
      ['재개 커피', 'activate'],
      ['transactions Coffee', 'transactions'],
      ['QRコード コーヒー', 'qr'],
      ['수정 커피', 'edit'],
      ['duplicate Coffee', 'duplicate'],
    ];
    for (const [typed, purpose] of cases) {
      expect(go(say(typed)).effect, typed).toMatchObject({ type: 'sales.findLinkByName', merchantId: 'm1', purpose });
    }
  });

  it('then takes the same step as the button', () => {
    expect(go(found('refund')).effect).toEqual(go(tap('refunds.choose', ['l1', '1'])).effect);
    expect(go(found('refund')).effect).toMatchObject({ type: 'refunds.listPayments', linkId: 'l1' });
    expect(go(found('cancel')).effect).toMatchObject({ type: 'refunds.listPayments', linkId: 'l1' });
    expect(go(found('deactivate')).effect).toEqual({ type: 'sales.setStatus', merchantId: 'm1', linkId: 'l1', status: 'inactive' });
    expect(go(found('transactions')).effect).toEqual(go(tap('sales.transactions', ['l1', '1'])).effect);
    expect(go(found('edit')).effect).toMatchObject({ type: 'sales.loadLink', purpose: 'edit', linkId: 'l1' });
    const links = [
      { id: 'l1', productName: 'Coffee Beans', productNameKey: 'coffee beans' },
      { id: 'l2', productName: 'Coffee Mug', productNameKey: 'coffee mug' },
    ];
    const several = go(result({ type: 'sales.nameMatched', query: 'coffee', purpose: 'refund', match: { kind: 'several', links } }));
    expect(several.replies[0]?.kind === 'text' && commands(several.replies[0].quickReplies)).toEqual([
      ['refunds.choose', ['l1', '1']],
      ['refunds.choose', ['l2', '1']],
    ]);
  });

  it('keeps plain cancel as "leave the dialog", and asks for the product when a word comes alone', () => {
    const inDialog: DialogState = { name: 'refunds.amount', dialogId: 'd1', slots: {}, expiresAt: new Date(NOW.getTime() + 60_000) };
    expect(textOf(go(say('cancel'), context('en'), inDialog).replies[0])).toContain('Cancelled');
    expect(go(say('cancel'), context('en'), inDialog).state).toBeNull();
    expect(go(say('cancel')).effect).toBeUndefined();
    expect(textOf(go(say('返金'), context('ja')).replies[0])).toContain('例：返金 コーヒー豆');
  });

  it('refuses staff the owner-only words before looking anything up', () => {
    for (const typed of ['refund Coffee', 'cancel Coffee', 'deactivate Coffee', '재개 커피']) {
      const refused = go(say(typed), context('en', STAFF));
      expect(refused.effect, typed).toBeUndefined();
      expect(textOf(refused.replies[0])).toContain('Only the shop owner');
    }
    expect(go(say('transactions Coffee'), context('en', STAFF)).effect?.type).toBe('sales.findLinkByName');
  });

  it('suggests the word for a near miss', () => {
    const suggestion = go(say('refnud Coffee'));
    expect(suggestion.replies[0]?.kind === 'text' && suggestion.replies[0].quickReplies?.[0]?.action).toEqual({ type: 'text', text: 'refund Coffee' });
  });
});
