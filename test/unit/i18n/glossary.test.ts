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
    const all = localeStrings(language).map((entry) => entry.text).join('\n');
    const unused = glossary.terms.filter((term) => Object.keys(term.forbidden).length > 0 && !all.includes(term[language])).map((term) => term.concept);
    expect(unused).toEqual([]);
  });

  it('catches a forbidden variant (the check itself works)', () => {
    const active = glossary.terms.find((term) => term.concept.startsWith('active'))!;
    const patterns = active.forbidden.ja!.map((pattern) => new RegExp(pattern, 'u'));
    expect(patterns.some((pattern) => pattern.test('状態：有効'))).toBe(true);
    expect(patterns.some((pattern) => pattern.test('有効期限：12月31日'))).toBe(false);
  });
});
