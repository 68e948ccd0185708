import { describe, expect, it } from 'vitest';
import { editDistance, nearMisses } from '../../../src/conversation/near-miss.js';
import { readSmallTalk } from '../../../src/conversation/small-talk.js';
import type { Button } from '../../../src/conversation/types.js';
import { isMakeLinkIntent } from '../../../src/links/intents.js';
import { DialogDriver, buttonsOf } from '../../support/dialog-driver.js';

const sentText = (button: Button | undefined) => (button?.action.type === 'text' ? button.action.text : undefined);

describe('edit distance and near misses', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance(Array.from('qiuck'), Array.from('quick'))).toBe(1);
    expect(editDistance(Array.from('sumary'), Array.from('summary'))).toBe(1);
    expect(editDistance(Array.from('kitten'), Array.from('sitting'))).toBe(3);
    expect(editDistance([], Array.from('abc'))).toBe(3);
  });

  const groups = { quick: ['quick', 'クイック', '퀵'], summary: ['summary', '売上', 'サマリー', '매출'], links: ['links', 'リンク一覧', '링크목록'], help: ['help', '?', 'ヘルプ', '도움말'] };
  it.each([
    ['qiuck', 'quick'],
    ['QUIKC', 'quick'],
    ['sumary', 'summary'],
    ['lnks', 'links'],
    ['くいっく', 'クイック'],
    ['サマリ', 'サマリー'],
    ['リンク一欄', 'リンク一覧'],
    ['へるぷ', 'ヘルプ'],
    ['도음말', '도움말'],
    ['링크 목녹', '링크목록'],
  ])('%j is a slip of %j', (typed, word) => {
    expect(nearMisses(typed, groups)[0]?.word).toBe(word);
  });
  it.each(['hello', 'Tシャツ', 'banana', 'ok', '매출액 보고서'])('%j is nobody’s slip', (typed) => {
    expect(nearMisses(typed, groups)).toEqual([]);
  });
});

describe('small talk', () => {
  it.each([
    ['こんにちは', 'greeting'],
    ['こんにちは！', 'greeting'],
    ['Hello', 'greeting'],
    ['hi!!', 'greeting'],
    ['안녕하세요~', 'greeting'],
    ['ありがとう', 'thanks'],
    ['ありがとうございます😊', 'thanks'],
    ['Thank you!', 'thanks'],
    ['감사합니다', 'thanks'],
  ])('%j is a %s', (typed, kind) => {
    expect(readSmallTalk(typed)).toBe(kind);
  });
  it('is only ever a whole message', () => {
    expect(readSmallTalk('hello kitty mug')).toBeNull();
    expect(readSmallTalk('ありがとうセット')).toBeNull();
  });
});

describe('make-a-link intents', () => {
  it.each([
    'リンク作りたい',
    'リンクを作りたいです',
    '支払いリンクを作成したい',
    'リンク作って',
    '링크 만들기',
    '링크 만들어 주세요',
    '결제 링크 만들고 싶어요',
    'make a link',
    'Make a payment link!',
    'I want to create a link',
    'new link',
    'how do I make a link?',
    'クイックリンクを作りたい',
    'リンク作成お願いします',
    '퀵 링크 만들기',
  ])('%j asks for a link', (typed) => expect(isMakeLinkIntent(typed)).toBe(true));
  it.each(['リンク', 'リンク一覧', '링크', 'links', 'summary make a link book', 'link cable', 'リンクケーブル'])('%j does not', (typed) => {
    expect(isMakeLinkIntent(typed)).toBe(false);
  });
});

describe('natural inputs through the chat', () => {
  it.each([
    ['ja', 'こんにちは', 'こんにちは！'],
    ['ja', 'ありがとう', 'どういたしまして！'],
    ['en', 'hello', 'Hello!'],
    ['ko', '안녕하세요', '안녕하세요!'],
    ['ko', '감사합니다', '천만에요!'],
  ] as const)('%s: %j gets a friendly answer with the help buttons', (language, typed, opening) => {
    const driver = new DialogDriver(language);
    driver.say(typed);
    expect(driver.text.startsWith(opening)).toBe(true);
    const help = new DialogDriver(language);
    help.say('help');
    expect(driver.labels).toEqual(help.labels);
  });

  it('greets a guest with how to join', () => {
    const driver = new DialogDriver('en', { membership: null });
    driver.say('hi');
    expect(driver.text).toContain('join <CODE>');
  });

  it.each([
    ['ja', 'リンク作りたい', ['クイックリンク', '作成']],
    ['ko', '링크 만들기', ['퀵 링크', '만들기']],
    ['en', 'make a link', ['Quick link', 'Create']],
  ] as const)('%s: %j offers Quick and Create, and the button starts the dialog', (language, typed, labels) => {
    const driver = new DialogDriver(language);
    driver.say(typed);
    expect(driver.state).toBeNull();
    expect(driver.labels).toEqual(labels);
    driver.tap(labels[0]);
    expect(driver.state?.name).toBe('links.quick');
  });

  it.each([
    ['en', '1500', 'Quick link ¥1,500'],
    ['en', '¥1,500', 'Quick link ¥1,500'],
    ['ja', '１５００円', 'クイックリンク ¥1,500'],
    ['ko', '15000원', '퀵 링크 15,000원'],
  ] as const)('%s: a bare amount %j offers a Quick link with it filled in', (language, typed, label) => {
    const driver = new DialogDriver(language);
    driver.say(typed);
    expect(driver.state).toBeNull();
    expect(driver.labels[0]).toBe(label);
    driver.tap(label);
    expect(driver.state?.name).toBe('links.quick');
    expect(driver.slots).toMatchObject({ step: 'name' });
  });

  it('tells a guest typing an amount how to join instead of offering a link', () => {
    const driver = new DialogDriver('en', { membership: null });
    driver.say('1500');
    expect(driver.text).toContain('not a member');
  });

  it.each([
    ['en', 'qiuck', 'quick', 'quick'],
    ['en', 'sumary Tシャツ', 'summary', 'summary Tシャツ'],
    ['en', 'lnks', 'links', 'links'],
    ['ja', 'くいっく', 'クイック', 'クイック'],
    ['ja', 'リンク一欄', 'リンク一覧', 'リンク一覧'],
    ['ko', '도음말', '도움말', '도움말'],
  ] as const)('%s: %j asks "did you mean %s?" with a button that sends %j', (language, typed, label, sends) => {
    const driver = new DialogDriver(language);
    driver.say(typed);
    const button = buttonsOf(driver.last.replies).find((candidate) => candidate.label === label);
    expect(sentText(button)).toBe(sends);
    const followed = new DialogDriver(language);
    followed.say(sends);
    expect(followed.text).not.toContain(driver.text);
  });

  it('still says it did not understand real nonsense', () => {
    const driver = new DialogDriver('en');
    driver.say('purple elephant');
    expect(driver.text).toContain("didn't understand");
  });

  it('a typed date inside the create dialog is read naturally', () => {
    const driver = new DialogDriver('ja');
    driver.say('作成');
    driver.say('1500');
    driver.say('Tシャツ');
    driver.result({ type: 'links.nameChecked', productName: 'Tシャツ', existing: null });
    driver.say('スキップ');
    driver.say('スキップ');
    driver.say('日本語');
    driver.say('受付中');
    expect(driver.slots).toMatchObject({ step: 'usageLimit' });
    driver.say('3個');
    expect(driver.slots).toMatchObject({ step: 'expiry', draft: { usageLimit: 3 } });
    driver.say('来週金曜');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { expiresAt: '2026-12-04T14:59:59.999Z' } });
    driver.tap('その他の設定');
    driver.tap('有効期限を編集');
    driver.say('そのうち');
    expect(driver.text).toContain('日付として読み取れませんでした');
  });
});
