import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../src/bot/capabilities.js';
import { matchCommand } from '../../../src/conversation/machine.js';
import { normalizeText } from '../../../src/conversation/normalize.js';
import { parseAmount } from '../../../src/links/amount.js';
import { parseExpiry, parseUsageLimit } from '../../../src/links/link-limits.js';
import { normalizeProductName } from '../../../src/links/product-name.js';

const machine = createMachine();

// One of each kind: zero-width, bidi marks/embeddings/isolates (incl. the Arabic letter mark),
// word joiner and invisible operators, BOM, soft hyphen, Mongolian vowel separator, Hangul fillers.
const INVISIBLES = [
  '\u200B',
  '\u200C',
  '\u200D',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u202A',
  '\u202E',
  '\u2066',
  '\u2069',
  '\u2060',
  '\u2063',
  '\uFEFF',
  '\u00AD',
  '\u180E',
  '\u115F',
  '\u1160',
  '\u3164',
  '\uFFA0',
];

describe('invisible characters: one rule for every typed field', () => {
  it.each(INVISIBLES.map((char) => [char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'), char]))(
    'U+%s is dropped from commands, amounts, limits and product names alike',
    (_code, char) => {
      expect(normalizeText(`${char}he${char}lp${char}`)).toBe('help');
      expect(matchCommand(machine, `${char}quick${char} 1500`)).toEqual({ command: 'quick', argument: '1500' });
      expect(parseAmount(`${char}1,5${char}00${char}`)).toEqual({ ok: true, amount: 1500, currency: 'JPY' });
      expect(parseUsageLimit(`1${char}0`)).toEqual({ ok: true, usageLimit: 10 });
      expect(parseExpiry(`${char}7`, new Date('2026-11-28T03:00:00Z')).ok).toBe(true);
      expect(normalizeProductName(`Cof${char}fee`)).toEqual({ ok: true, name: 'Coffee', key: 'coffee' });
    },
  );

  it('a command word after a left-to-right mark (what some keyboards insert) still matches', () => {
    expect(matchCommand(machine, '\u200Ehelp')?.command).toBe('help');
    expect(matchCommand(machine, 'キャンセル\u200F')?.command).toBe('cancel');
  });

  it('keeps what carries meaning: variation selectors (emoji style) and visible text', () => {
    expect(normalizeText('❤\uFE0F')).toBe('❤\uFE0F');
    expect(normalizeText(' ＣＡＮＣＥＬ ')).toBe('CANCEL');
  });
});
