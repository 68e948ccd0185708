import { describe, expect, it } from 'vitest';
import { assembleMachine, step } from '../../../src/conversation/machine.js';
import type { Button, Reply } from '../../../src/conversation/types.js';
import { LANGUAGES } from '../../../src/i18n/i18n.js';
import { messageProblems } from '../../../src/line/line-limits.js';
import { renderReplies } from '../../../src/line/render.js';
import { salesChat } from '../../../src/sales/chat.js';
import { shiftShopDay, shopDayOf, shopTimeOn, shopTimeZone } from '../../../src/sales/shop-day.js';
import { todayCard } from '../../../src/sales/today-card.js';
import { readDigestTime } from '../../../src/sales/digest-time.js';
import { shopChartView } from '../../../src/sales/sales-chart-view.js';
import { translator } from '../../../src/i18n/i18n.js';
import { NOW, context, todayView } from './sales-fixtures.js';

const NAME = '北海道産の有機栽培そば粉を使った手打ち十割そばと季節の天ぷら盛り合わせのセット（二人前・冷蔵便でお届け・賞味期限三日）と自家製つゆ・薬味・そば湯用のそば粉の詰め合わせ'.slice(0, 80);
const salesOnly = assembleMachine([salesChat]);

function cardText(reply: Reply): string {
  if (reply.kind !== 'card') return '';
  return [reply.altText, reply.card.title, reply.card.subtitle, ...reply.card.rows.flatMap((row) => [row.label, row.value]), reply.card.footnote].join('\n');
}

function commandsOf(reply: Reply): [string, string[]][] {
  const buttons: Button[] = reply.kind === 'card' ? reply.card.buttons : [];
  return buttons.flatMap((button) => (button.action.type === 'command' ? [[button.action.action, button.action.args ?? []] as [string, string[]]] : []));
}

describe('the shop day', () => {
  it('starts at local midnight in the shop zone (JST / KST), whatever the UTC date', () => {
    // 2026-11-27T15:00Z is midnight on the 28th in Japan and Korea.
    const day = shopDayOf(new Date('2026-11-27T15:00:00Z'), 'Asia/Tokyo');
    expect(day).toEqual({ day: '2026-11-28', start: new Date('2026-11-27T15:00:00Z'), end: new Date('2026-11-28T15:00:00Z'), weekday: 6 });
    expect(shopDayOf(new Date('2026-11-27T14:59:59Z'), 'Asia/Seoul').day).toBe('2026-11-27');
    expect(shiftShopDay(day, -7, 'Asia/Tokyo').start).toEqual(new Date('2026-11-20T15:00:00Z'));
    expect(shopTimeOn(day, 21 * 60, 'Asia/Seoul')).toEqual(new Date('2026-11-28T12:00:00Z'));
    expect([shopTimeZone('ja'), shopTimeZone('ko'), shopTimeZone('en')]).toEqual(['Asia/Tokyo', 'Asia/Seoul', 'Asia/Tokyo']);
  });
});

describe('today command', () => {
  it('answers today / 今日 / 오늘 and the card button with the day at the conversation clock', () => {
    for (const word of ['today', '今日', '오늘', 'ＴＯＤＡＹ']) {
      expect(step(salesOnly, null, { kind: 'text', text: word }, context()).effect).toEqual({ type: 'sales.loadToday', merchantId: 'm1', at: NOW.toISOString(), withChart: false });
    }
    expect(step(salesOnly, null, { kind: 'postback', action: 'today', args: [], dialogId: null }, context()).effect?.type).toBe('sales.loadToday');
    expect(step(salesOnly, null, { kind: 'text', text: 'today' }, context('en', null)).effect).toBeUndefined();
  });

  it('shows the numbers, the comparison with last week and a Summary button per top link', () => {
    const reply = todayCard(todayView(), context('en'));
    const text = cardText(reply);
    expect(text).toContain('Today, Sat 11/28');
    expect(text).toContain('¥12,300 · 5 payments');
    expect(text).toContain('Last Sat, same time');
    expect(text).toContain('+¥3,300 vs last week');
    expect(text).toContain('4 (1 due within 24 h)');
    expect(text).toContain('¥1,500 · 1 payment');
    expect(text).toContain('Coffee Beans\n¥9,000 · 3 payments');
    expect(commandsOf(reply)).toEqual([
      ['summary', ['l1']],
      ['summary', ['l2']],
      ['today', []],
      ['links', []],
    ]);
    const ja = cardText(todayCard(todayView({ capturedAmount: 0, capturedPayments: 0, topLinks: [] }), context('ja')));
    expect(ja).toContain('今日の売上 11/28（土）');
    expect(ja).toContain('先週比 −¥9,000');
    expect(ja).toContain('今日はまだ決済がありません。');
    expect(cardText(todayCard(todayView({ zone: 'Asia/Seoul' }), context('ko')))).toContain('한국 시간');
  });

  it.each(LANGUAGES)('stays within LINE limits with three 80-character Japanese names and another currency (%s)', (language) => {
    const topLinks = [1, 2, 3].map((rank) => ({ linkId: `lnk_${rank}`.padEnd(40, 'x'), productName: NAME, amount: 99_999_999, payments: 99_999 }));
    const reply = todayCard(todayView({ topLinks, capturedAmount: 999_999_999, otherCurrencies: { USD: 999_999, KRW: 9_999_999 } }), context(language));
    expect(messageProblems(renderReplies([reply, { kind: 'image', url: 'https://shop.example/charts/t.png' }], 'secret'))).toEqual([]);
  });
});

describe('digest command', () => {
  const say = (text: string, language: 'en' | 'ja' | 'ko' = 'en') => step(salesOnly, null, { kind: 'text', text }, context(language));

  it('reads a local time or off, in ja / en / ko', () => {
    expect(readDigestTime('21:00')).toBe(1260);
    expect(readDigestTime('２１：３０')).toBe(1290);
    expect(readDigestTime('9時')).toBe(540);
    expect(readDigestTime('21시 05분')).toBe(1265);
    expect(readDigestTime('オフ')).toBeNull();
    expect(readDigestTime('끄기')).toBeNull();
    expect(readDigestTime('24:00')).toBeUndefined();
    expect(readDigestTime('tonight')).toBeUndefined();
  });

  it('sets the time at the conversation clock, and answers with usage or a clear error', () => {
    expect(say('digest 21:00').effect).toEqual({ type: 'sales.setDigest', merchantId: 'm1', minutes: 1260, at: NOW.toISOString() });
    expect(say('ダイジェスト オフ', 'ja').effect).toEqual({ type: 'sales.setDigest', merchantId: 'm1', minutes: null, at: NOW.toISOString() });
    expect(say('다이제스트 21:00', 'ko').effect?.type).toBe('sales.setDigest');
    const usage = say('digest').replies[0];
    expect(usage?.kind === 'text' && usage.text).toContain('digest 21:00');
    const invalid = say('digest 25:00').replies[0];
    expect(invalid?.kind === 'text' && invalid.text).toContain("couldn't read that time");
    const on = step(salesOnly, null, { kind: 'result', result: { type: 'sales.digestSet', minutes: 1260, nextAt: '2026-11-28T12:00:00.000Z' } }, context('ja'));
    expect(on.replies[0]?.kind === 'text' && on.replies[0].text).toContain('毎日21:00');
    expect(on.replies[0]?.kind === 'text' && on.replies[0].text).toContain('2026/11/28 21:00');
  });
});

describe('chart wording', () => {
  it('says "today" for a link made today, not "last 1 days"', () => {
    const t = translator('en', 'sales');
    const view = shopChartView('Cafe', { currency: 'JPY', capturedAmount: 0, capturedPayments: 0, topLinks: [], days: [{ day: '2026-11-28', amount: 0 }] }, NOW, 'en', t);
    expect(view.subtitle).toBe('Whole shop · money kept per day · today · top links');
    const month = shopChartView(
      'Cafe',
      { currency: 'JPY', capturedAmount: 0, capturedPayments: 0, topLinks: [], days: Array.from({ length: 30 }, () => ({ day: '2026-11-28', amount: 0 })) },
      NOW,
      'en',
      t,
    );
    expect(month.subtitle).toContain('last 30 days');
  });
});
