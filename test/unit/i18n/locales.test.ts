// Every namespace of every language: the same files, the same keys (plural forms folded, since
// Japanese and Korean have only `_other`), the same {{placeholders}} per key (formatted ones such as
// {{name, josa(을/를)}} count by name), and no empty text.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../src/i18n/i18n.js';

const localesDir = new URL('../../../src/i18n/locales/', import.meta.url);
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Key → placeholders used by any of its forms, for one namespace file. */
function entries(language: string, namespace: string): Map<string, Set<string>> {
  const tree = JSON.parse(readFileSync(new URL(`${language}/${namespace}`, localesDir), 'utf8')) as unknown;
  const found = new Map<string, Set<string>>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
      return;
    }
    const key = path.replace(PLURAL, '');
    expect(typeof value === 'string' && value.trim() !== '', `${language}/${namespace} ${path} is a non-empty text`).toBe(true);
    const names = found.get(key) ?? new Set<string>();
    for (const match of String(value).matchAll(/{{\s*(\w+)\s*(?:,[^}]*)?}}/g)) names.add(match[1]!);
    found.set(key, names);
  };
  walk(tree, '');
  return found;
}

const namespaces = [...new Set(LANGUAGES.flatMap((language) => readdirSync(new URL(`${language}/`, localesDir)).filter((file) => file.endsWith('.json'))))].sort();

describe('locale parity', () => {
  it('finds the namespaces', () => {
    expect(namespaces).toEqual(expect.arrayContaining(['bot.json', 'links.json', 'merchants.json', 'pages.json', 'sales.json']));
  });

  it.each(namespaces)('%s has the same keys and placeholders in ja, en and ko', (namespace) => {
    const english = entries('en', namespace);
    for (const language of LANGUAGES) {
      const other = entries(language, namespace);
      expect([...other.keys()].sort(), `${language}/${namespace} keys`).toEqual([...english.keys()].sort());
      for (const [key, names] of english) {
        expect([...(other.get(key) ?? [])].sort(), `${language}/${namespace} ${key} placeholders`).toEqual([...names].sort());
      }
    }
  });
});
