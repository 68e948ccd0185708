import { createRequire } from 'node:module';
import type { Formatter } from 'i18next';

// jongseong reads the final consonant of a word as it is pronounced, including digits
// (10 → 십, 1000 → 천) and English endings ("Apple" → 애플, "iPhone" → 폰). Measured against a
// table of product and shop names read aloud by a native speaker (test/unit/i18n), it got 67 of
// 71 right where es-hangul, which reads only Hangul and upper-case acronyms, got 49.
const { code: finalConsonantCode } = createRequire(import.meta.url)('jongseong') as { code: (word: string) => number };

/** The particle pairs templates may ask for: the form after a final consonant / after a vowel. */
export const PARTICLES = {
  '이/가': ['이', '가'],
  '을/를': ['을', '를'],
  '은/는': ['은', '는'],
  '과/와': ['과', '와'],
  '이라는/라는': ['이라는', '라는'],
  '이에요/예요': ['이에요', '예요'],
  '으로/로': ['으로', '로'],
} as const satisfies Record<string, readonly [string, string]>;

export type ParticlePair = keyof typeof PARTICLES;

const RIEUL = 8;
// Katakana/hiragana ン ends on ㄴ (ラーメン → 라멘); the library does not read kana.
const ENDS_ON_KANA_N = /[ンん][^\p{L}\p{N}]*$/u;
// A unit after a number is read as its Korean word, not as a letter: 200g is 이백 그램.
const UNIT_READINGS: [RegExp, 'vowel' | 'consonant'][] = [
  [/\d\s*(k|m)?g$/i, 'consonant'], // 그램
  [/\d\s*(m|c|k)?m$/i, 'vowel'], // 미터
  [/\d\s*(m|d)?l$/i, 'vowel'], // 리터
  [/\d\s*%$/, 'vowel'], // 퍼센트
];

/** What the last sound of a word is, as the particle rules need it. */
export function finalSound(word: string): 'vowel' | 'rieul' | 'consonant' {
  // NFKC so full-width letters, digits and brackets read as their ASCII forms.
  const normalized = word.normalize('NFKC').trim();
  if (ENDS_ON_KANA_N.test(normalized)) return 'consonant';
  const unit = UNIT_READINGS.find(([pattern]) => pattern.test(normalized.replace(/[^\p{L}\p{N}%]+$/u, '')));
  if (unit) return unit[1];
  const code = finalConsonantCode(normalized);
  if (code === 0) return 'vowel';
  return code === RIEUL ? 'rieul' : 'consonant';
}

/**
 * The particle that follows `word`: 커피를 / 빵을, 서울로 / 가방으로 (ㄹ takes 로, like a vowel).
 * Brackets at the end are skipped, as Korean does: "티셔츠 (L)" takes 는.
 */
export function particleFor(word: string, pair: ParticlePair): string {
  const [afterConsonant, afterVowel] = PARTICLES[pair];
  const sound = finalSound(word);
  if (pair === '으로/로') return sound === 'consonant' ? afterConsonant : afterVowel;
  return sound === 'vowel' ? afterVowel : afterConsonant;
}

export function isParticlePair(value: string): value is ParticlePair {
  return Object.hasOwn(PARTICLES, value);
}

/**
 * The i18next formatter behind `{{name, josa(을/를)}}`: the value followed by its particle.
 * i18next hands the text in brackets over as an option name; an unknown pair is a template bug.
 */
function josaFormatter(value: unknown, _language: string | undefined, options: Record<string, unknown>): string {
  const word = String(value);
  const pair = Object.keys(options).find(isParticlePair);
  if (pair === undefined) throw new Error(`josa: no known particle pair in ${JSON.stringify(Object.keys(options))}`);
  return word + particleFor(word, pair);
}

/** `{{name, quote, josa(을/를)}}` → "커피"를: the quotes go before the particle. */
function quoteFormatter(value: unknown): string {
  return `"${String(value)}"`;
}

/** Registers `josa` and `quote` on an i18next instance's formatter (src/i18n/i18n.ts). */
export function addParticleFormatters(formatter: Pick<Formatter, 'add'>): void {
  formatter.add('josa', josaFormatter);
  formatter.add('quote', quoteFormatter);
}
