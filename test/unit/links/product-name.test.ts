import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DESCRIPTION_MAX, PRODUCT_NAME_MAX, normalizeProductName, validateDescription } from '../../../src/links/product-name.js';

describe('normalizeProductName', () => {
  it.each<[raw: string, name: string, key: string]>([
    ['Coffee Beans', 'Coffee Beans', 'coffee beans'],
    ['  Coffee Beans  ', 'Coffee Beans', 'coffee beans'],
    ['Coffee   \t  Beans', 'Coffee Beans', 'coffee beans'],
    ['Coffee\nBeans\r\n', 'Coffee Beans', 'coffee beans'],
    ['Coffee\u3000Beans', 'Coffee Beans', 'coffee beans'],
    ['Ｃｏｆｆｅｅ', 'Coffee', 'coffee'],
    ['ｺｰﾋｰ豆', 'コーヒー豆', 'コーヒー豆'],
    ['コーヒー豆（200g）', 'コーヒー豆(200g)', 'コーヒー豆(200g)'],
    ['Cof\u200Bfee', 'Coffee', 'coffee'],
    ['\uFEFFCoffee\u2060', 'Coffee', 'coffee'],
    ['Coffee\u202E', 'Coffee', 'coffee'],
    ['Coff\u00ADee', 'Coffee', 'coffee'],
    ['Coffee\u0000\u0007Beans', 'CoffeeBeans', 'coffeebeans'],
    ['Coffee \u0007 Beans', 'Coffee Beans', 'coffee beans'],
    ['커피 원두', '커피 원두', '커피 원두'],
    ['ÉCLAIR', 'ÉCLAIR', 'éclair'],
    // decomposed é (e + U+0301) composes under NFKC, so it shares a key with the precomposed one
    ['e\u0301clair', 'éclair', 'éclair'],
    ['e\u200B\u0301clair', 'éclair', 'éclair'],
    ['Tシャツ ☕', 'Tシャツ ☕', 'tシャツ ☕'],
  ])('%j → %j (key %j)', (raw, name, key) => {
    expect(normalizeProductName(raw)).toEqual({ ok: true, name, key });
  });

  it('gives names that differ only in case, width or invisible characters the same key', () => {
    const variants = ['Coffee Beans', 'COFFEE BEANS', 'coffee  beans', 'ＣＯＦＦＥＥ　ＢＥＡＮＳ', 'Coffee\u200B Beans ', ' coffee\tbeans'];
    const keys = variants.map((variant) => {
      const result = normalizeProductName(variant);
      return result.ok ? result.key : undefined;
    });
    expect(new Set(keys)).toEqual(new Set(['coffee beans']));
  });

  it.each(['', '   ', '\u3000\u3000', '\u200B\u200C\u200D\uFEFF\u2060', '\n\t\r', '\u0000\u0001', '\u3164\u3164', '\uFFA0'])('refuses the blank name %j', (raw) => {
    expect(normalizeProductName(raw)).toEqual({ ok: false, reason: 'empty' });
  });

  it('accepts exactly PRODUCT_NAME_MAX code points and refuses one more', () => {
    expect(PRODUCT_NAME_MAX).toBe(80);
    expect(normalizeProductName('a'.repeat(80))).toMatchObject({ ok: true, name: 'a'.repeat(80) });
    expect(normalizeProductName('a'.repeat(81))).toEqual({ ok: false, reason: 'too_long' });
  });

  it('counts code points, not UTF-16 units', () => {
    const eightyEmoji = '☕🍰'.repeat(40); // 80 code points, 120 UTF-16 units
    expect(normalizeProductName(eightyEmoji)).toMatchObject({ ok: true, name: eightyEmoji });
    expect(normalizeProductName(eightyEmoji + '🍰')).toEqual({ ok: false, reason: 'too_long' });
  });

  it('measures the cleaned name, so padding and invisibles do not count', () => {
    const padded = `   ${'a'.repeat(40)}\u200B\u200B     ${'b'.repeat(39)}   `;
    expect(normalizeProductName(padded)).toMatchObject({ ok: true, name: `${'a'.repeat(40)} ${'b'.repeat(39)}` });
  });

  // Letters, combining marks and the characters that get removed, so removal can bring marks together.
  const trickyCharArb = fc.constantFrom('e', 'E', 'ｶ', 'ﾞ', '\u0301', '\u3099', '\u200B', '\u00AD', '\u0007', ' ', '\u3000', '\n', '´');
  const trickyNameArb = fc.array(trickyCharArb, { maxLength: 20 }).map((chars) => chars.join(''));

  it('is idempotent and its output is clean', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120, unit: 'grapheme-composite' }), trickyNameArb), (raw) => {
        const first = normalizeProductName(raw);
        if (!first.ok) return;
        expect(normalizeProductName(first.name)).toEqual(first);
        expect(first.name).toBe(first.name.trim());
        expect(first.name).not.toMatch(/\s{2}|[\t\n\r]|\p{Cc}|[\u200B-\u200D\uFEFF\u2060]/u);
        expect(first.key).toBe(first.name.toLowerCase());
      }),
    );
  });
});

describe('validateDescription', () => {
  it.each<[raw: string, text: string]>([
    ['', ''],
    ['   ', ''],
    ['  Hand-roasted beans.  ', 'Hand-roasted beans.'],
    ['Line 1\nLine 2', 'Line 1\nLine 2'],
    ['Line 1\r\nLine 2\rLine 3', 'Line 1\nLine 2\nLine 3'],
    ['数量：1袋\n\n税込', '数量：1袋\n\n税込'],
    ['Ｆｕｌｌ　ｗｉｄｔｈ', 'Ｆｕｌｌ　ｗｉｄｔｈ'],
    ['緑茶（350ml）×２本', '緑茶（350ml）×２本'],
    ['ｶﾌｪｵﾚ', 'ｶﾌｪｵﾚ'],
    ['a\tb', 'a b'],
    ['a\u0000b\u0007c\u001Bd\u007Fe\u0085f', 'abcdef'],
    ['hid\u200Bden\uFEFF', 'hidden'],
    ['cafe\u0007\u0301', 'café'],
    ['\n\nBody\n\n', 'Body'],
  ])('%j → %j', (raw, text) => {
    expect(validateDescription(raw)).toEqual({ ok: true, text });
  });

  it('accepts exactly DESCRIPTION_MAX code points and refuses one more', () => {
    expect(DESCRIPTION_MAX).toBe(1000);
    expect(validateDescription('あ'.repeat(1000))).toEqual({ ok: true, text: 'あ'.repeat(1000) });
    expect(validateDescription('あ'.repeat(1001))).toEqual({ ok: false, reason: 'too_long' });
    expect(validateDescription('🍰'.repeat(1000))).toEqual({ ok: true, text: '🍰'.repeat(1000) });
    expect(validateDescription('🍰'.repeat(1001))).toEqual({ ok: false, reason: 'too_long' });
  });

  it('counts newlines but not trimmed padding', () => {
    expect(validateDescription(`   ${'a\n'.repeat(499)}a   `)).toMatchObject({ ok: true });
    expect(validateDescription('a\n'.repeat(500) + 'a')).toEqual({ ok: false, reason: 'too_long' });
  });

  it('keeps only newline among control characters, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (raw) => {
        const first = validateDescription(raw);
        if (!first.ok) return;
        expect(first.text).not.toMatch(/[^\P{Cc}\n]/u);
        expect(validateDescription(first.text)).toEqual(first);
      }),
    );
  });
});
