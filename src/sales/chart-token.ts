// The chart image's URL: LINE fetches images itself, with no login, so the URL carries a signed,
// unguessable, expiring grant to one link's picture (nothing stored; the picture is drawn from
// the ledger when fetched). The grant names the member it was made for: the picture is drawn only
// while they are still a member of the shop (chart-picture.ts checks at every fetch).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isLanguage, type Language } from '../i18n/i18n.js';

/** LINE may fetch a message's image again when the chat is reopened: a week, then it is gone. */
export const CHART_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** One link's picture, or the whole shop's (top links and daily total). */
export type ChartScope = { linkId: string } | { merchantId: string };

const payloadSchema = z.object({ l: z.string().min(1).optional(), m: z.string().min(1).optional(), u: z.string().min(1), g: z.string(), e: z.number().int(), n: z.string().min(16) });

function mac(appSecret: string, body: string): string {
  return createHmac('sha256', appSecret).update(`chart:v1:${body}`).digest('base64url');
}

export interface ChartGrant {
  scope: ChartScope;
  /** The member the picture was made for. */
  userId: string;
  language: Language;
}

export function signChartToken(appSecret: string, scope: ChartScope, userId: string, language: Language, now = Date.now()): string {
  const target = 'linkId' in scope ? { l: scope.linkId } : { m: scope.merchantId };
  const body = Buffer.from(JSON.stringify({ ...target, u: userId, g: language, e: now + CHART_LIFETIME_MS, n: randomBytes(16).toString('base64url') })).toString('base64url');
  return `${body}.${mac(appSecret, body)}`;
}

export function verifyChartToken(appSecret: string, token: string, now = Date.now()): ChartGrant | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || body.length > 1000) return null;
  const expected = Buffer.from(mac(appSecret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!parsed.success || !isLanguage(parsed.data.g) || parsed.data.e <= now) return null;
    const { l: linkId, m: merchantId, u: userId, g: language } = parsed.data;
    if (linkId !== undefined) return { scope: { linkId }, userId, language };
    return merchantId === undefined ? null : { scope: { merchantId }, userId, language };
  } catch {
    return null;
  }
}
