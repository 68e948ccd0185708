import { normalizeProductName } from '../links/product-name.js';

/** A link as name matching sees it; candidates are given newest first. */
export interface NamedLink {
  id: string;
  productName: string;
  productNameKey: string;
}

export type NameMatch = { kind: 'one'; link: NamedLink } | { kind: 'several'; links: NamedLink[] } | { kind: 'none'; suggestions: NamedLink[] };

/** Buttons offered for several matches (LINE shows at most 13 quick replies). */
const MAX_CHOICES = 12;
const MAX_SUGGESTIONS = 3;

/** The uniqueness key of a typed name (width, case and spacing folded like stored names). */
export function nameKey(raw: string): string {
  const normalized = normalizeProductName(raw);
  return normalized.ok ? normalized.key : raw.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Spaces and joining punctuation ignored, so "coffee beans", "coffee-beans" and "coffeebeans" meet. */
function compact(key: string): string {
  return key.replace(/[\s\p{Pd}_・·.]/gu, '');
}

/** Levenshtein distance over code points (names are short: at most 80). */
export function editDistance(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/**
 * Finds the link a typed product name means: the exact (normalised) name; else names that
 * contain it; else no match, with the closest names by edit distance as suggestions.
 */
export function matchLinksByName(query: string, candidates: readonly NamedLink[]): NameMatch {
  const key = nameKey(query);
  const exact = candidates.find((candidate) => candidate.productNameKey === key);
  if (exact) return { kind: 'one', link: exact };

  const wanted = compact(key);
  if (wanted !== '') {
    const containing = candidates.filter((candidate) => compact(candidate.productNameKey).includes(wanted));
    const [only] = containing;
    if (containing.length === 1 && only) return { kind: 'one', link: only };
    if (containing.length > 1) return { kind: 'several', links: containing.slice(0, MAX_CHOICES) };
  }

  const suggestions = candidates
    .map((candidate, order) => {
      const other = compact(candidate.productNameKey);
      const distance = editDistance(wanted, other);
      // Half the longer name may differ: enough for typos and missing words, not for unrelated names.
      const tolerance = Math.max(2, Math.ceil(Math.max(Array.from(wanted).length, Array.from(other).length) / 2));
      return { candidate, order, distance, tolerance };
    })
    .filter(({ distance, tolerance }) => distance <= tolerance)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, MAX_SUGGESTIONS)
    .map(({ candidate }) => candidate);
  return { kind: 'none', suggestions };
}
