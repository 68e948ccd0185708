import { normalizeText } from '../conversation/normalize.js';

const OFF_WORDS = new Set(['off', 'stop', 'オフ', '停止', 'なし', '끄기', '해제', '중지']);

/**
 * What follows `digest`: a local time (`21:00`, `21時`, `21시`, `9:05`, full-width digits) as
 * minutes after midnight, `off` (オフ, 끄기) as null, anything else undefined.
 */
export function readDigestTime(argument: string): number | null | undefined {
  const typed = normalizeText(argument).toLowerCase().replace(/\s+/g, '');
  if (OFF_WORDS.has(typed)) return null;
  const match = /^(\d{1,2})(?:(?::|時|시)(\d{2})?(?:分|분)?)?$/.exec(typed);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}
