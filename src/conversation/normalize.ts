// Zero-width and BOM characters that phones and copy-paste slip into messages.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Free text as the contract matches it: NFKC (full/half width), no invisibles, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').trim();
}
