// The CSV download link: a signed, unguessable, expiring token in the URL, so the file can be
// fetched by a browser (or LINE's in-app browser) with no login, by whoever the owner gives the
// link to, for 24 hours only. Nothing is stored: the token carries what it grants, and names the
// owner who asked: it works only while they are still an owner (exports/download-export.ts checks at
// every download).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isLanguage, type Language } from '../i18n/i18n.js';

export const EXPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface ExportGrant {
  merchantId: string;
  /** Null: every payment of the shop. */
  linkId: string | null;
  /** The owner who asked for it. */
  userId: string;
  /** The owner's language, for the header and status words. */
  language: Language;
  expiresAt: Date;
}

const payloadSchema = z.object({
  m: z.string().min(1),
  l: z.string().min(1).nullable(),
  u: z.string().min(1),
  g: z.string().refine(isLanguage),
  e: z.number().int(),
  // 128 random bits: two exports of the same link never share a URL.
  n: z.string().min(16),
});

function mac(appSecret: string, body: string): string {
  return createHmac('sha256', appSecret).update(`export:v1:${body}`).digest('base64url');
}

export function signExportToken(appSecret: string, grant: Omit<ExportGrant, 'expiresAt'>, now = Date.now()): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now + EXPORT_LIFETIME_MS);
  const body = Buffer.from(JSON.stringify({ m: grant.merchantId, l: grant.linkId, u: grant.userId, g: grant.language, e: expiresAt.getTime(), n: randomBytes(16).toString('base64url') })).toString(
    'base64url',
  );
  return { token: `${body}.${mac(appSecret, body)}`, expiresAt };
}

/** The grant, or why not: a forged or altered token is `invalid`, a genuine old one `expired`. */
export function verifyExportToken(appSecret: string, token: string, now = Date.now()): { ok: true; grant: ExportGrant } | { ok: false; reason: 'invalid' | 'expired' } {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || body.length > 2000) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(mac(appSecret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success || !isLanguage(parsed.data.g)) return { ok: false, reason: 'invalid' };
  if (parsed.data.e <= now) return { ok: false, reason: 'expired' };
  return { ok: true, grant: { merchantId: parsed.data.m, linkId: parsed.data.l, userId: parsed.data.u, language: parsed.data.g, expiresAt: new Date(parsed.data.e) } };
}
