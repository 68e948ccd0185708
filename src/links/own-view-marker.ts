// The merchant's own looks at a link's page are not counted as page views (count-page-view.ts).
// The URL the bot gives the merchant to open their page (the link card's Open button; never the
// Share, Copy or QR URL meant for buyers) carries a marker only APP_SECRET can make for that link;
// opening it leaves a short cookie on that browser for that link's page only, and views with it are
// not counted (http/own-view.ts). Nothing is stored about who viewed, on our side or in the cookie.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query parameter of the merchant's URL. */
export const OWN_VIEW_PARAM = 'own';

/** 128 bits of HMAC: as hard to guess as the export and chart tokens. */
export function ownViewMarker(appSecret: string, slug: string): string {
  return createHmac('sha256', appSecret).update(`own-view:v1:${slug}`).digest('base64url').slice(0, 22);
}

export function isOwnViewMarker(appSecret: string, slug: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const expected = Buffer.from(ownViewMarker(appSecret, slug));
  const given = Buffer.from(value);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
