// The Pay button's (and the sandbox's) form token: an HMAC bound to the form's purpose and subject
// (a link's slug), so a page elsewhere cannot mint one; it may also sign what the page showed (the
// Pay form's prices, payments/shown-prices.ts). http/csrf.ts checks the request's origin besides.
import { createHmac, timingSafeEqual } from 'node:crypto';

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
