import { readFileSync, readdirSync } from 'node:fs';
import type { Language } from '../../../src/i18n/i18n.js';

export interface LocaleString {
  namespace: string;
  /** Dotted key inside the namespace, with any plural suffix. */
  key: string;
  text: string;
}

const localesDir = new URL('../../../src/i18n/locales/', import.meta.url);

function flatten(namespace: string, tree: unknown, prefix: string): LocaleString[] {
  if (typeof tree === 'string') return [{ namespace, key: prefix, text: tree }];
  if (typeof tree !== 'object' || tree === null) return [];
  return Object.entries(tree).flatMap(([key, value]) => flatten(namespace, value, prefix ? `${prefix}.${key}` : key));
}

/** Every string of one language's locale files, as the bot loads them. */
export function localeStrings(language: Language): LocaleString[] {
  const dir = new URL(`${language}/`, localesDir);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => flatten(file.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(file, dir), 'utf8')), ''));
}

/** The text a reader sees of a template: placeholders dropped. */
export function withoutPlaceholders(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, '');
}
