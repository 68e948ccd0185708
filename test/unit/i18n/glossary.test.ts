import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localeStrings } from './locale-strings.js';

interface Term {
  concept: string;
  en: string;
  ja: string;
  ko: string;
  namespaces?: string[];
  forbidden: Partial<Record<'ja' | 'ko' | 'en', string[]>>;
  why: string;
}

const glossary = JSON.parse(readFileSync(new URL('../../../src/i18n/glossary.json', import.meta.url), 'utf8')) as { terms: Term[] };

describe('glossary', () => {
  it.each(['ja', 'ko', 'en'] as const)('no %s string uses a forbidden variant of a glossary term', (language) => {
    const strings = localeStrings(language);
    const found: string[] = [];
    for (const term of glossary.terms) {
      for (const pattern of term.forbidden[language] ?? []) {
        const variant = new RegExp(pattern, 'u');
        for (const { namespace, key, text } of strings) {
          if (term.namespaces && !term.namespaces.includes(namespace)) continue;
          if (variant.test(text)) found.push(`${namespace}:${key} uses /${pattern}/ (say ${term[language]} for ${term.concept}): ${text}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it.each(['ja', 'ko'] as const)('every %s term that replaces variants is in use, so the glossary stays true', (language) => {
    const all = localeStrings(language)
      .map((entry) => entry.text)
      .join('\n');
    const unused = glossary.terms.filter((term) => Object.keys(term.forbidden).length > 0 && !all.includes(term[language])).map((term) => term.concept);
    expect(unused).toEqual([]);
  });

  it('catches a forbidden variant (the check itself works)', () => {
    const active = glossary.terms.find((term) => term.concept.startsWith('active'))!;
    const patterns = active.forbidden.ja!.map((pattern) => new RegExp(pattern, 'u'));
    expect(patterns.some((pattern) => pattern.test('状態：有効'))).toBe(true);
    expect(patterns.some((pattern) => pattern.test('有効期限：12月31日'))).toBe(false);
  });

  // Issue 23's wrong terms, each as it stood in a locale file: the glossary must refuse every one.
  const WRONG: [language: 'ja' | 'ko', namespace: string, text: string][] = [
    ['ja', 'pages', '購入者は後払い（コンビニ）を選びました。'],
    ['ja', 'pages', '「ハンカチ」は支払い回数の上限（3回）に達したため、受付を終了しました。'],
    ['ja', 'links', '1回払い・毎週・毎月・毎年から選んでください。'],
    ['ja', 'links', 'ペイディー'],
    ['ja', 'links', 'LINE Pay'],
    ['ko', 'links', '페이이지'],
    ['ko', 'links', 'LINE Pay'],
    ['ko', 'links', '한 번 결제'],
    ['ko', 'pages', '다음 항목을 확인하십시오.'],
    ['ko', 'pages', '특정상거래법 표기'],
    ['ja', 'pages', '未登録'],
    ['ja', 'pages', '税込'],
    ['ja', 'pages', 'LINEで販売者に戻る'],
    ['ko', 'pages', 'LINE에서 판매자에게 돌아가기'],
    ['ja', 'refunds', 'いくら返しますか？'],
    ['ja', 'refunds', '先に購入者から口座情報を聞いてください。'],
    ['ko', 'refunds', '얼마를 돌려줄까요?'],
  ];

  it.each(WRONG)('refuses %s %s: %s', (language, namespace, text) => {
    const refusedBy = glossary.terms.filter(
      (term) => (!term.namespaces || term.namespaces.includes(namespace)) && (term.forbidden[language] ?? []).some((pattern) => new RegExp(pattern, 'u').test(text)),
    );
    expect(refusedBy.map((term) => term.concept)).not.toEqual([]);
  });
});
