import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedInviteCode, formatInviteCode, hashInviteCode, inviteCodeFromBytes, parseInviteCode, randomInviteCode } from '../../../src/merchants/invite-code.js';

describe('invite codes', () => {
  it('are 8 unambiguous symbols shown as XXXX-XXXX', () => {
    for (let index = 0; index < 200; index++) {
      const code = randomInviteCode();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
      expect(formatInviteCode(code)).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    }
  });

  it('parse back from any way a person types them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        const code = inviteCodeFromBytes(bytes);
        const shown = formatInviteCode(code);
        expect(parseInviteCode(shown)).toBe(code);
        expect(parseInviteCode(shown.toLowerCase())).toBe(code);
        expect(parseInviteCode(code)).toBe(code);
        expect(parseInviteCode(` ${shown.replace('-', ' ')} `)).toBe(code);
        // Full-width letters and the katakana long-vowel mark of a Japanese keyboard.
        const fullWidth = shown.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace('-', 'ー');
        expect(parseInviteCode(fullWidth)).toBe(code);
        // Invisible marks a pasted or forwarded message may carry (bidi mark, zero-width space, BOM).
        expect(parseInviteCode(`\u200E${shown.replace('-', '-\u200B')}\uFEFF`)).toBe(code);
      }),
    );
  });

  it('rejects anything that cannot be a code', () => {
    for (const input of ['', 'ABCD-234', 'ABCD-23456', 'ABCD-O234', 'ABCD-1234', 'IIII-2222', 'ABCD-23!5', 'こんにちは']) {
      expect(parseInviteCode(input)).toBeNull();
    }
  });

  it('hash with the app secret and derive stable codes per key', () => {
    expect(hashInviteCode('ABCD2345', 'secret-a')).not.toBe(hashInviteCode('ABCD2345', 'secret-b'));
    expect(hashInviteCode('ABCD2345', 'secret-a')).toMatch(/^[0-9a-f]{64}$/);
    expect(derivedInviteCode('secret', 'event-1')).toBe(derivedInviteCode('secret', 'event-1'));
    expect(derivedInviteCode('secret', 'event-1')).not.toBe(derivedInviteCode('secret', 'event-2'));
    expect(derivedInviteCode('secret', 'event-1')).not.toBe(derivedInviteCode('other', 'event-1'));
  });
});
