// The merchant's own views of a link's page (links/own-view-marker.ts). Opening the URL with the
// marker sets a cookie for that link's page only and answers 303 to the plain URL, so the address
// the merchant might copy from the browser is the buyers' one, without the marker. Page views
// carrying that cookie are not counted. The cookie says only "opened from the merchant's chat".
import type { Request, Response } from 'express';
import { isOwnViewMarker, OWN_VIEW_PARAM } from '../links/own-view-marker.js';

const COOKIE = 'own_view';
/** A working day: long enough for the merchant's checks after opening, short enough to forget. */
const COOKIE_MAX_AGE_MS = 12 * 60 * 60 * 1000;

/** When the request carries the marker parameter: the cookie (if the marker is genuine) and a 303 to the plain path; true when answered. */
export function answerOwnViewMarker(req: Request, res: Response, slug: string, settings: { appSecret: string; publicBaseUrl: string }): boolean {
  const marker = req.query[OWN_VIEW_PARAM];
  if (marker === undefined) return false;
  const path = `/l/${encodeURIComponent(slug)}`;
  if (isOwnViewMarker(settings.appSecret, slug, marker)) {
    res.cookie(COOKIE, marker, { path, maxAge: COOKIE_MAX_AGE_MS, httpOnly: true, sameSite: 'lax', secure: settings.publicBaseUrl.startsWith('https:') });
  }
  res.set({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' }).redirect(303, path);
  return true;
}

/** Whether this view is the merchant's own (the cookie set above, for this link). */
export function isOwnView(req: Request, slug: string, appSecret: string): boolean {
  const header = req.get('cookie') ?? '';
  return header.split(';').some((pair) => {
    const [name, ...value] = pair.trim().split('=');
    return name === COOKIE && isOwnViewMarker(appSecret, slug, value.join('='));
  });
}
