/*
 * Characters that render as nothing, which phones, keyboards and copy-paste slip into messages,
 * making two texts look equal while comparing different (or a text look blank): zero-width
 * space/joiners, bidi marks, embeddings, overrides and isolates (incl. the Arabic letter mark),
 * word joiner and invisible operators, deprecated format controls, BOM, soft hyphen, the
 * Mongolian vowel separator and Hangul fillers. Variation selectors and emoji tags are kept:
 * they change how a visible character looks. NFKC maps nothing outside this set into it (the
 * Hangul fillers U+3164/U+FFA0 become U+1160, also here), so stripping before NFKC is complete.
 */
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]/g;

/** `text` without invisible characters; nothing else changes. Every typed field goes through this. */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Free text as the contract matches it: no invisibles, NFKC (full/half width), trimmed.
 * Invisibles go first so that characters they separated still compose.
 */
export function normalizeText(text: string): string {
  return removeInvisible(text).normalize('NFKC').trim();
}
