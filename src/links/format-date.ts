import type { Language } from '../i18n/i18n.js';

/** Merchants and buyers are in Japan or Korea, both UTC+9; dates are shown in that zone. */
export const DISPLAY_TIME_ZONE = 'Asia/Tokyo';

const formatters = new Map<Language, Intl.DateTimeFormat>();

/** "2026年12月31日 23:59" / "Dec 31, 2026, 11:59 PM" / "2026. 12. 31. 오후 11:59" */
export function formatDateTime(iso: string, language: Language): string {
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: DISPLAY_TIME_ZONE });
    formatters.set(language, formatter);
  }
  return formatter.format(new Date(iso));
}
