import { describe, expect, it } from 'vitest';
import type { Language } from '../../../src/i18n/i18n.js';
import { localeStrings, withoutPlaceholders, type LocaleString } from './locale-strings.js';

interface Rule {
  name: string;
  pattern: RegExp;
  /** Strings the rule does not apply to, as `namespace:key`. */
  except?: string[];
}

function breaches(language: Language, rules: Rule[]): string[] {
  const found: string[] = [];
  for (const entry of localeStrings(language)) {
    const id = `${entry.namespace}:${entry.key}`;
    const visible = withoutPlaceholders(entry.text);
    for (const rule of rules) {
      if (rule.except?.includes(id)) continue;
      const match = rule.pattern.exec(visible);
      if (match) found.push(`${id}: ${rule.name} at "${visible.slice(Math.max(0, match.index - 8), match.index + 8)}"`);
    }
  }
  return found;
}

// The language picker's names and the command words each language accepts are written in
// their own script in every language.
const LANGUAGE_NAMES = /日本語|한국어|English/g;

function names(entry: LocaleString): string {
  return withoutPlaceholders(entry.text).replace(LANGUAGE_NAMES, '');
}

describe('Japanese punctuation', () => {
  const rules: Rule[] = [
    { name: 'half-width ! ? ( ) : or "', pattern: /[!?():"]/ },
    { name: 'a comma that is not a thousands separator', pattern: /,(?!\d{3})/ },
    { name: 'the Latin middle dot U+00B7 (ja uses ・)', pattern: /\u00B7/ },
    { name: 'a full stop before a closing bracket', pattern: /。[）」]/ },
    { name: 'half-width katakana', pattern: /[\uFF61-\uFF9F]/ },
  ];

  it('uses full-width punctuation in every string', () => {
    expect(breaches('ja', rules)).toEqual([]);
  });

  it('has no Korean outside the language names', () => {
    expect(
      localeStrings('ja')
        .filter((entry) => /[\uAC00-\uD7A3]/u.test(names(entry)))
        .map((entry) => entry.key),
    ).toEqual([]);
  });

  it('catches half-width punctuation (the check works)', () => {
    expect(rules.some((rule) => rule.pattern.test('ようこそ!'))).toBe(true);
    expect(rules.some((rule) => rule.pattern.test('1,500円（税込）'))).toBe(false);
  });
});

describe('Korean punctuation and register', () => {
  // Every namespace is chat except the buyer's pages and the developer simulator (and a
  // capability's own web page, under `page.`), so a new capability's namespace is held to the chat
  // register without editing this list.
  const NOT_CHAT = ['pages', 'simulator'];
  const rules: Rule[] = [
    { name: 'full-width or Japanese punctuation', pattern: /[（）！？：，、。「」『』・〜]/ },
    { name: 'curly or single quotes (ko uses "double quotes")', pattern: /[“”‘’']/ },
    { name: 'a fixed particle pair (use {{name, josa(…)}})', pattern: /\((이|으|가|를|을|은|는|과|와)\)|[이을은과]\((가|를|는|와)\)/ },
    { name: 'a space before a particle', pattern: /[\d"] (으로|로|를|을|는|은|이|가|처럼)(?=[\s.,]|$)/ },
  ];

  it('uses Korean (ASCII) punctuation and no fixed particles', () => {
    expect(breaches('ko', rules)).toEqual([]);
  });

  it('speaks 해요체 in chat', () => {
    // 합니다체 endings; buyer pages keep them, and the share text is read by the buyer.
    const formal = /(습니다|습니까|십시오|합니다|됩니다|입니다)(?=[.!?)\n]|$)/;
    const found = localeStrings('ko')
      .filter((entry) => (!NOT_CHAT.includes(entry.namespace) && !entry.key.startsWith('page.')) || (entry.namespace === 'pages' && entry.key.startsWith('notice.')))
      .filter((entry) => entry.key !== 'share.text')
      .filter((entry) => formal.test(entry.text))
      .map((entry) => `${entry.namespace}:${entry.key}: ${entry.text}`);
    expect(found).toEqual([]);
  });

  it('speaks 합니다체 on buyer pages', () => {
    const casual = /(에요|예요|어요|아요|해요|돼요|워요)(?=[.!?)\n]|$)/;
    const found = localeStrings('ko')
      .filter((entry) => entry.namespace === 'pages' && !entry.key.startsWith('notice.'))
      .filter((entry) => casual.test(entry.text))
      .map((entry) => `${entry.key}: ${entry.text}`);
    expect(found).toEqual([]);
  });

  it('has no Japanese outside the language names', () => {
    expect(
      localeStrings('ko')
        .filter((entry) => /[\u3040-\u30FF\u4E00-\u9FFF]/u.test(names(entry)) && entry.key !== 'description.checklist')
        .map((entry) => entry.key),
    ).toEqual([]);
  });
});

describe('English punctuation', () => {
  it('uses no full-width punctuation', () => {
    expect(breaches('en', [{ name: 'full-width punctuation', pattern: /[（）！？：，、。「」]/ }])).toEqual([]);
  });
});
