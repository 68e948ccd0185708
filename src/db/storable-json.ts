// PostgreSQL refuses some JSON that JavaScript accepts: jsonb has no NUL character (\u0000) and
// no unpaired UTF-16 surrogate, and very deep nesting exhausts the server's stack. One such
// value in a statement fails the whole statement, so what we store from outside is cleaned first.

// An unpaired half of a surrogate pair (a high one not followed by a low one, or a low one alone).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL = /\u0000/g;

/** The string PostgreSQL can store: NUL and lone surrogates become U+FFFD (the replacement character). */
export function storableText(text: string): string {
  return text.replace(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

export type StorableJson = { ok: true; value: unknown } | { ok: false; reason: string };

/** A copy of parsed JSON that jsonb accepts, or why it cannot be stored (nested deeper than `maxDepth`). */
export function storableJson(value: unknown, maxDepth = 32): StorableJson {
  let tooDeep = false;
  const clean = (inner: unknown, depth: number): unknown => {
    if (typeof inner === 'string') return storableText(inner);
    if (inner === null || typeof inner !== 'object') return inner;
    if (depth >= maxDepth) {
      tooDeep = true;
      return null;
    }
    if (Array.isArray(inner)) return inner.map((item) => clean(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(inner)) out[storableText(key)] = clean(item, depth + 1);
    return out;
  };
  const cleaned = clean(value, 0);
  // clean() sets tooDeep from inside the closure, which TypeScript's narrowing does not see.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return tooDeep ? { ok: false, reason: `nested deeper than ${maxDepth} levels` } : { ok: true, value: cleaned };
}
