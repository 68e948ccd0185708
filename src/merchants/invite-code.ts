import { createHmac, randomBytes } from 'node:crypto';
import { normalizeText } from '../conversation/normalize.js';

// 32 symbols without 0/O and 1/I, so a code read aloud or copied by hand cannot be mistyped
// into another valid code; 8 symbols = 40 bits, guarded further by the join rate limit.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const INVITE_CODE_LENGTH = 8;

// Hyphens and dashes people type between the two halves (ASCII, Unicode dashes, the katakana
// long-vowel mark a Japanese keyboard produces), plus spaces.
const SEPARATORS = /[\s\-‐‑‒–—―−ー_]/g;

/** An 8-symbol code from the first 8 bytes given (each byte picks one of 32 symbols, unbiased). */
export function inviteCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < INVITE_CODE_LENGTH) throw new Error(`need ${INVITE_CODE_LENGTH} bytes for an invite code`);
  let code = '';
  for (let index = 0; index < INVITE_CODE_LENGTH; index++) code += ALPHABET.charAt(bytes[index]! & 31);
  return code;
}

export function randomInviteCode(): string {
  return inviteCodeFromBytes(randomBytes(INVITE_CODE_LENGTH));
}

/**
 * A code that is the same every time for the same key (a retried chat event), yet unguessable
 * without APP_SECRET.
 */
export function derivedInviteCode(appSecret: string, key: string): string {
  return inviteCodeFromBytes(createHmac('sha256', appSecret).update(`invite-code:${key}`).digest());
}

/** How codes are shown: XXXX-XXXX. */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed, as a canonical code (case-insensitive, hyphen optional); null if it cannot be one. */
export function parseInviteCode(input: string): string | null {
  const code = normalizeText(input).toUpperCase().replace(SEPARATORS, '');
  if (code.length !== INVITE_CODE_LENGTH) return null;
  for (const symbol of code) if (!ALPHABET.includes(symbol)) return null;
  return code;
}

/** Only this keyed hash is stored, so a database leak does not reveal usable codes. */
export function hashInviteCode(code: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`invite:${code}`).digest('hex');
}
