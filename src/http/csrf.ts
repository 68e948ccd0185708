// Cross-site form posts to the Pay button are refused twice over: the form carries an HMAC token
// bound to the link's slug (a page elsewhere cannot mint one), and a browser's Origin /
// Sec-Fetch-Site headers must say the post came from our own pages.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

// The page is never cached, so a token only has to outlive one buyer's hesitation.
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

function tokenMac(appSecret: string, purpose: string, subject: string, issuedAt: number, payload: string | null): string {
  return createHmac('sha256', appSecret)
    .update(`form:${purpose}:${subject}:${issuedAt}${payload === null ? '' : `:${payload}`}`)
    .digest('base64url');
}

/**
 * `payload` (base64url text) is signed with the token and read back by readFormToken: what the page
 * showed that the post must be checked against (the Pay form's prices, payments/shown-prices.ts).
 */
export function formToken(appSecret: string, purpose: string, subject: string, now = Date.now(), payload: string | null = null): string {
  const mac = tokenMac(appSecret, purpose, subject, now, payload);
  return payload === null ? `${now.toString(36)}.${mac}` : `${now.toString(36)}.${payload}.${mac}`;
}

/** The token's signed payload (null: it carries none), or null when the token is not ours, not for this, or too old. */
export function readFormToken(appSecret: string, purpose: string, subject: string, token: unknown, now = Date.now()): { payload: string | null } | null {
  if (typeof token !== 'string' || token.length > 2000) return null;
  const parts = token.split('.');
  if (parts.length !== 2 && parts.length !== 3) return null;
  const [issued = '', ...rest] = parts;
  const mac = rest.pop() ?? '';
  const payload = rest[0] ?? null;
  if (mac === '' || !/^[0-9a-z]{1,12}$/.test(issued) || (payload !== null && !/^[A-Za-z0-9_-]+$/.test(payload))) return null;
  const issuedAt = parseInt(issued, 36);
  if (!(issuedAt <= now + 60_000 && now - issuedAt <= TOKEN_LIFETIME_MS)) return null;
  const expected = Buffer.from(tokenMac(appSecret, purpose, subject, issuedAt, payload));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { payload } : null;
}

export function verifyFormToken(appSecret: string, purpose: string, subject: string, token: unknown, now = Date.now()): boolean {
  return readFormToken(appSecret, purpose, subject, token, now) !== null;
}

/**
 * True unless a browser tells us the post came from another site. Requests without Origin (old
 * browsers, curl) pass: the form token still has to match.
 */
export function isSameOriginPost(req: Request, publicBaseUrl: string): boolean {
  if (req.get('sec-fetch-site') === 'cross-site') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  const allowed = new Set([new URL(publicBaseUrl).origin, `${req.protocol}://${req.get('host') ?? ''}`]);
  return allowed.has(origin);
}
