import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../src/i18n/i18n.js';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(/_(zero|one|other)$/, '')];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

function placeholders(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/{{(\w+)}}/g)].map((match) => match[1]!).sort();
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(placeholders);
}

describe('merchant texts', () => {
  const texts = Object.fromEntries(LANGUAGES.map((language) => [language, JSON.parse(readFileSync(`src/i18n/locales/${language}/merchants.json`, 'utf8')) as unknown]));

  it('exist in ja, en and ko with the same keys and placeholders', () => {
    const english = [...new Set(keys(texts.en))].sort();
    for (const language of LANGUAGES) {
      expect([...new Set(keys(texts[language]))].sort(), language).toEqual(english);
      expect(new Set(placeholders(texts[language])), language).toEqual(new Set(placeholders(texts.en)));
    }
  });
});
