import { removeInvisible } from '../conversation/normalize.js';

/** Longest product name, in code points (what people count, unlike UTF-16 units). */
export const PRODUCT_NAME_MAX = 80;
/** Longest description, in code points. */
export const DESCRIPTION_MAX = 1000;
/** Longest after-payment message, in code points: a note, not a second description. */
export const AFTER_PAYMENT_MAX = 500;

type ProductNameError = 'empty' | 'too_long';
/** `key` is the case-insensitive form two names must not share within a merchant. */
export type NormalizedProductName = { ok: true; name: string; key: string } | { ok: false; reason: ProductNameError };

type DescriptionError = 'too_long';
export type ValidatedDescription = { ok: true; text: string } | { ok: false; reason: DescriptionError };

function codePointLength(text: string): number {
  let length = 0;
  for (const _codePoint of text) length += 1;
  return length;
}

/**
 * Cleans a product name for display and uniqueness: NFKC (full/half width folded), invisible and
 * control characters dropped, whitespace runs (including newlines and tabs) collapsed to one space.
 */
export function normalizeProductName(raw: string): NormalizedProductName {
  // Removal comes before NFKC so that characters it brings together still get composed.
  const name = removeInvisible(raw)
    // Control characters that separate words become spaces; the rest vanish.
    .replace(/\p{Cc}/gu, (control) => (/\s/.test(control) ? ' ' : ''))
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim();
  if (name === '') return { ok: false, reason: 'empty' };
  if (codePointLength(name) > PRODUCT_NAME_MAX) return { ok: false, reason: 'too_long' };
  return { ok: true, name, key: name.toLowerCase() };
}

/**
 * Cleans a description, keeping its line breaks and its characters as typed: full-width
 * brackets, digits and letters stay (`（350ml）` is not `(350ml)`: a merchant chose them), only
 * composed to NFC so an accent typed as two code points is one. CRLF/CR → LF, tab → space,
 * invisible and other control characters dropped, outer whitespace trimmed. Empty is fine (the
 * field is optional).
 */
export function validateDescription(raw: string): ValidatedDescription {
  const text = removeInvisible(raw)
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[^\P{Cc}\n]/gu, '')
    .normalize('NFC')
    .trim();
  if (codePointLength(text) > DESCRIPTION_MAX) return { ok: false, reason: 'too_long' };
  return { ok: true, text };
}

/** The message shown once paid: cleaned like a description; empty means none. */
export function validateAfterPaymentMessage(raw: string): ValidatedDescription {
  const cleaned = validateDescription(raw);
  if (!cleaned.ok) return cleaned;
  return codePointLength(cleaned.text) > AFTER_PAYMENT_MAX ? { ok: false, reason: 'too_long' } : cleaned;
}
