import { normalizeText } from './normalize.js';

/**
 * Edit distance counting an adjacent swap as one edit (optimal string alignment), so `qiuck`
 * is one edit from `quick`. Works on the arrays given: callers pass code points or jamo.
 */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

const HIRAGANA = /[\u3041-\u3096]/g;

/**
 * A word as it is compared: NFKC, lower case, hiragana as katakana (`くいっく` is `クイック`),
 * no spaces (`링크 목록` is `링크목록`), then NFD so a Hangul syllable is its jamo and a kana
 * its base and voicing mark: one wrong vowel in `도음말` is one edit, not a whole syllable.
 */
function fold(word: string): string[] {
  const folded = normalizeText(word)
    .toLowerCase()
    .replace(HIRAGANA, (kana) => String.fromCharCode(kana.charCodeAt(0) + 0x60))
    .replace(/\s+/g, '')
    .normalize('NFD');
  return Array.from(folded);
}

const CJK = /[\u3040-\u30FF\u3400-\u9FFF]/u;

/** How much a word says: a kana or kanji carries about as much as two Latin letters or jamo. */
function weight(units: readonly string[]): number {
  return units.reduce((sum, unit) => sum + (CJK.test(unit) ? 2 : 1), 0);
}

/** Edits tolerated between words of this weight: none for very short words, two for long ones. */
function tolerance(units: number): number {
  if (units >= 8) return 2;
  if (units >= 4) return 1;
  return 0;
}

/**
 * The words (from `words`) the typed `word` is probably a slip of, closest first, at most
 * `limit`, one per group (a group is a command and its words in every language). An exact
 * match is not a near miss only when it already matched as typed, so callers pass words that
 * did not match; a hiragana spelling of a katakana command counts as distance 0.
 */
export function nearMisses(word: string, groups: Record<string, readonly string[]>, limit = 3): { group: string; word: string }[] {
  const typed = fold(word);
  if (typed.length === 0) return [];
  const found: { group: string; word: string; distance: number }[] = [];
  for (const [group, candidates] of Object.entries(groups)) {
    let best: { word: string; distance: number } | null = null;
    for (const candidate of candidates) {
      const folded = fold(candidate);
      const allowed = tolerance(Math.max(weight(typed), weight(folded)));
      if (Math.abs(folded.length - typed.length) > allowed) continue;
      const distance = editDistance(typed, folded);
      if (distance <= allowed && (!best || distance < best.distance)) best = { word: candidate, distance };
    }
    if (best) found.push({ group, ...best });
  }
  return found
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map(({ group, word: match }) => ({ group, word: match }));
}
