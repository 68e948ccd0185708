// Cross-site form posts to the Pay button are refused twice over: the form carries an HMAC token
// bound to the link's slug (pages/form-token.ts), and a browser's Origin / Sec-Fetch-Site headers
// must say the post came from our own pages.
import type { Request } from 'express';

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
