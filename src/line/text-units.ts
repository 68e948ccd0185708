// LINE counts text, alt text, URIs and postback data in UTF-16 code units (an emoji is 2) and
// labels in grapheme clusters (what a person sees as one character). Clipping cuts only between
// grapheme clusters, so no emoji, surrogate pair or combining mark is ever split.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** At most `maxUnits` UTF-16 units, cut at a grapheme boundary. */
export function truncateUnits(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > maxUnits) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Like truncateUnits, ending in "…" when something was cut. */
export function clipUnits(text: string, maxUnits: number): string {
  return text.length <= maxUnits ? text : `${truncateUnits(text, maxUnits - 1)}…`;
}

/** At most `max` grapheme clusters, ending in "…" when something was cut. */
export function clipGraphemes(text: string, max: number): string {
  const segments = Array.from(graphemes.segment(text), ({ segment }) => segment);
  return segments.length <= max ? text : `${segments.slice(0, max - 1).join('')}…`;
}
