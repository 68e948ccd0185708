import { describe, expect, it } from 'vitest';
import { merchantNameSchema } from '../../../src/merchants/create-merchant.js';

describe('merchant names', () => {
  it('are NFKC, trimmed, and cleaned of invisible characters like every typed field', () => {
    expect(merchantNameSchema.parse('  Ｃａｆé\u200B Ｍｏｏｎ ')).toBe('Café Moon');
    expect(merchantNameSchema.parse('\u200FCafe\u202E')).toBe('Cafe');
  });

  it('refuse a name that is blank once invisibles are gone', () => {
    for (const blank of ['', '   ', '\u200B\u200E', '\u3164\u3164']) expect(merchantNameSchema.safeParse(blank).success).toBe(false);
    expect(merchantNameSchema.safeParse('x'.repeat(81)).success).toBe(false);
  });
});
