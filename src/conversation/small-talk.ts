import { normalizeText } from './normalize.js';

export type SmallTalk = 'greeting' | 'thanks';

// Whole messages only ("hello", "こんにちは！", "감사합니다~"), so "hello kitty mug" stays a product name.
const GREETINGS = [
  'hi',
  'hello',
  'hey',
  'hiya',
  'yo',
  'good morning',
  'good afternoon',
  'good evening',
  'morning',
  'こんにちは',
  'こんにちわ',
  'こんばんは',
  'こんばんわ',
  'おはよう',
  'おはようございます',
  'はじめまして',
  'よろしく',
  'よろしくお願いします',
  'よろしくおねがいします',
  'どうも',
  'もしもし',
  'やあ',
  '안녕',
  '안녕하세요',
  '안녕하십니까',
  '반가워요',
  '반갑습니다',
  '처음 뵙겠습니다',
];
const THANKS = [
  'thanks',
  'thank you',
  'thx',
  'ty',
  'thanks a lot',
  'thank you so much',
  'great thanks',
  'ok thanks',
  'ありがとう',
  'ありがとうございます',
  'ありがとうございました',
  'どうもありがとう',
  'サンキュー',
  '助かりました',
  '感謝',
  '감사합니다',
  '감사해요',
  '고마워요',
  '고맙습니다',
  '고마워',
  '감사',
  '땡큐',
];

function key(text: string): string {
  return (
    normalizeText(text)
      .toLowerCase()
      // Trailing (and repeated) marks, tildes and emoji do not change what was said.
      .replace(/[\s!?.。、,~〜ー♪☆★…\p{Extended_Pictographic}\uFE0F]+$/u, '')
      .replace(/\s+/g, ' ')
  );
}

const KINDS: ReadonlyMap<string, SmallTalk> = new Map([...GREETINGS.map((word) => [key(word), 'greeting'] as const), ...THANKS.map((word) => [key(word), 'thanks'] as const)]);

/** A greeting or a thank-you sent on its own, in en / ja / ko; null for anything else. */
export function readSmallTalk(text: string): SmallTalk | null {
  return KINDS.get(key(text)) ?? null;
}
