// Cross-site form posts to the Pay button are refused twice over: the form carries an HMAC token
// bound to the link's slug (a page elsewhere cannot mint one), and a browser's Origin /
// Sec-Fetch-Site headers must say the post came from our own pages.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

// The page is never cached, so a token only has to outlive one buyer's hesitation.
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

function tokenMac(appSecret: string, purpose: string, subject: string, issuedAt: number): string {
  return createHmac('sha256', appSecret).update(`form:${purpose}:${subject}:${issuedAt}`).digest('base64url');
}

export function formToken(appSecret: string, purpose: string, subject: string, now = Date.now()): string {
  return `${now.toString(36)}.${tokenMac(appSecret, purpose, subject, now)}`;
}

export function verifyFormToken(appSecret: string, purpose: string, subject: string, token: unknown, now = Date.now()): boolean {
  if (typeof token !== 'string') return false;
  const [issued, mac, extra] = token.split('.');
  if (!issued || !mac || extra !== undefined || !/^[0-9a-z]{1,12}$/.test(issued)) return false;
  const issuedAt = parseInt(issued, 36);
  if (!(issuedAt <= now + 60_000 && now - issuedAt <= TOKEN_LIFETIME_MS)) return false;
  const expected = Buffer.from(tokenMac(appSecret, purpose, subject, issuedAt));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
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
