// Every Korean template that puts a particle after a value gets it from the formatter
// ({{value, josa(이/가)}}), so "¥700이에요" and "커피예요" both come out right: a particle typed
// after a placeholder is right for some values only (the ¥700예요 bug of issue 23).
import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/i18n.js';
import type { Namespace } from '../../../src/i18n/i18next.js';
import { PARTICLES, isParticlePair } from '../../../src/i18n/korean-particles.js';
import { localeStrings } from './locale-strings.js';

const PLACEHOLDER = /\{\{\s*([\w.]+)([^}]*)\}\}/g;
// A particle right after a placeholder (or its closing quote), where only the formatter knows the form.
const BARE_PARTICLE = /\}\}"?(이에요|예요|이라는|라는|으로|로|이|가|을|를|은|는|과|와)(?![\p{L}])/u;

const ko = localeStrings('ko');
const withJosa = ko.filter(({ text }) => /josa\(/.test(text));

function valuesFor(text: string, josaValue: string): Record<string, unknown> {
  const values: Record<string, unknown> = { count: 2 };
  for (const [, name, format] of text.matchAll(PLACEHOLDER)) {
    if (name === undefined || name === 'count') continue;
    if (format?.includes('josa(')) values[name] = josaValue;
    else values[name] ??= 'X';
  }
  return values;
}

describe('Korean particles after a value', () => {
  it('are never typed after a placeholder: the formatter picks them', () => {
    const bare = ko.filter(({ text }) => BARE_PARTICLE.test(text)).map(({ namespace, key, text }) => `${namespace}:${key}: ${text}`);
    expect(bare).toEqual([]);
  });

  it('catches a typed particle (the check itself works)', () => {
    expect(BARE_PARTICLE.test('남은 금액은 {{left}}예요.')).toBe(true);
    expect(BARE_PARTICLE.test('남은 금액은 {{left, josa(이에요/예요)}}.')).toBe(false);
    // After a bracket the particle follows the word before it (정기 결제(매월)예요), which is fixed text.
    expect(BARE_PARTICLE.test('정기 결제({{interval}})예요.')).toBe(false);
  });

  it.each(withJosa.map((entry) => [`${entry.namespace}:${entry.key}`, entry] as const))('%s renders after a consonant and after a vowel', (_name, entry) => {
    const base = entry.key.replace(/_(zero|one|two|few|many|other)$/, '');
    const t = translator('ko', entry.namespace as Namespace) as unknown as (key: string, values: Record<string, unknown>) => string;
    for (const [word, form] of [
      ['빵', 0],
      ['커피', 1],
      ['¥700', 0],
      ['¥2', 1],
    ] as const) {
      const rendered = t(base, valuesFor(entry.text, word));
      const pairs = [...entry.text.matchAll(/josa\(([^)]+)\)/g)].map((match) => match[1] ?? '').filter(isParticlePair);
      expect(pairs.length).toBeGreaterThan(0);
      for (const pair of pairs) {
        // 으로/로: ㄹ takes 로 like a vowel; none of these words ends in ㄹ.
        const particle = PARTICLES[pair][form];
        expect(rendered, `${word} + ${pair}`).toContain(`${word}${rendered.includes(`"${word}"`) ? '"' : ''}${particle}`);
      }
    }
  });
});
