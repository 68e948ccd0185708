import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/i18n.js';
import { finalSound, particleFor } from '../../../src/i18n/korean-particles.js';
import { localeStrings } from './locale-strings.js';

// How a native speaker reads each name aloud: ends on a vowel, on ㄹ, or on another consonant.
const TABLE: [string, 'vowel' | 'rieul' | 'consonant'][] = [
  ['커피', 'vowel'],
  ['원두', 'vowel'],
  ['티셔츠', 'vowel'],
  ['떡볶이', 'vowel'],
  ['수제 쿠키 세트', 'vowel'],
  ['카페 모모', 'vowel'],
  ['빵', 'consonant'],
  ['가방', 'consonant'],
  ['김밥', 'consonant'],
  ['꽃', 'consonant'],
  ['닭', 'consonant'],
  ['빵집', 'consonant'],
  ['서울', 'rieul'],
  ['물', 'rieul'],
  ['연필', 'rieul'],
  ['1', 'rieul'],
  ['2', 'vowel'],
  ['3', 'consonant'],
  ['4', 'vowel'],
  ['6', 'consonant'],
  ['7', 'rieul'],
  ['8', 'rieul'],
  ['9', 'vowel'],
  ['0', 'consonant'],
  ['10', 'consonant'],
  ['100', 'consonant'],
  ['1000', 'consonant'],
  ['10000', 'consonant'],
  ['2026', 'consonant'],
  ['15', 'vowel'],
  ['Vol.1', 'rieul'],
  ['iPhone 15', 'vowel'],
  ['Galaxy S24', 'vowel'],
  ['Coffee', 'vowel'],
  ['Apple', 'rieul'],
  ['iPhone', 'consonant'],
  ['Shop', 'consonant'],
  ['Cake', 'vowel'],
  ['Pen', 'consonant'],
  ['Ticket', 'consonant'],
  ['Steam', 'consonant'],
  ['Lesson', 'consonant'],
  ['Class', 'vowel'],
  ['T-shirt', 'vowel'],
  ['USB', 'vowel'],
  ['KRW', 'vowel'],
  ['JPY', 'vowel'],
  ['HTML', 'rieul'],
  ['CM', 'consonant'],
  ['티셔츠 (L)', 'vowel'],
  ['티셔츠（L）', 'vowel'],
  ['굿즈 🎁', 'vowel'],
  ['원두 200g', 'consonant'],
  ['우유 500ml', 'vowel'],
  ['원단 2m', 'vowel'],
  ['쌀 10kg', 'consonant'],
  ['50%', 'vowel'],
  ['"원두 1kg"', 'consonant'],
  ['"스페셜" 세트', 'vowel'],
  ['Tシャツ', 'vowel'],
  ['ラーメン', 'consonant'],
  ['クッキー', 'vowel'],
  ['사장님', 'consonant'],
  ['직원', 'consonant'],
  ['15,000원', 'consonant'],
  ['¥9,999,999', 'vowel'],
];

describe('Korean particles', () => {
  it.each(TABLE)('%s ends on a %s', (word, sound) => {
    expect(finalSound(word)).toBe(sound);
  });

  it.each([
    ['커피', '이/가', '가'],
    ['빵', '이/가', '이'],
    ['서울', '이/가', '이'],
    ['커피', '을/를', '를'],
    ['빵', '을/를', '을'],
    ['Apple', '을/를', '을'],
    ['커피', '은/는', '는'],
    ['10', '은/는', '은'],
    ['USB', '은/는', '는'],
    ['커피', '이라는/라는', '라는'],
    ['빵', '이라는/라는', '이라는'],
    ['iPhone', '이라는/라는', '이라는'],
    ['커피', '으로/로', '로'],
    ['서울', '으로/로', '로'],
    ['빵', '으로/로', '으로'],
    ['사장님', '으로/로', '으로'],
    ['7', '으로/로', '로'],
    ['3', '으로/로', '으로'],
    ['커피', '과/와', '와'],
    ['빵', '과/와', '과'],
  ] as const)('%s + %s → %s', (word, pair, particle) => {
    expect(particleFor(word, pair)).toBe(particle);
  });

  it('is the i18next formatter `josa`, after `quote` when the name is quoted', () => {
    const t = translator('ko');
    const template = '{{name, quote, josa(을/를)}} / {{name, josa(으로/로)}}';
    expect(t('missing.key', { defaultValue: template, name: '커피' })).toBe('"커피"를 / 커피로');
    expect(t('missing.key', { defaultValue: template, name: '빵' })).toBe('"빵"을 / 빵으로');
    expect(t('missing.key', { defaultValue: template, name: 'Cafe 101' })).toBe('"Cafe 101"을 / Cafe 101로');
  });

  it('is used by every Korean template that puts a name before a particle, with a pair it knows', () => {
    const strings = localeStrings('ko');
    const fixedAfterName = strings.filter((entry) => /\}\}"?(이|가|을|를|은|는|과|와|으로|로|이라는|라는)(?![가-힣])/u.test(entry.text));
    expect(fixedAfterName.map((entry) => `${entry.namespace}:${entry.key}: ${entry.text}`)).toEqual([]);
    const pairs = strings.flatMap((entry) => [...entry.text.matchAll(/josa\(([^)]*)\)/gu)].map((match) => match[1]!));
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) expect(() => particleFor('커피', pair as never), pair).not.toThrow();
  });
});
