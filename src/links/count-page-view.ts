import type { SqlQuery } from '../db/sql.js';

// Link-preview fetchers (LINE's is "facebookexternalhit/1.1;line-poker/1.0"), search crawlers and
// HTTP libraries: not a person looking at the page.
const AUTOMATED = /bot|crawl|spider|slurp|preview|facebookexternalhit|line-poker|embedly|whatsapp|skypeuripreview|headless|curl|wget|python-requests|go-http-client|node-fetch|undici|axios/i;

/**
 * Counts one view of an open buyer page: a counter only, nothing about who viewed. A missing user
 * agent or a known automated one is not counted.
 */
export async function countPageView(db: SqlQuery, linkId: string, userAgent: string | undefined): Promise<void> {
  if (!userAgent || AUTOMATED.test(userAgent)) return;
  // Nothing read back (the row holds its QR code's PNG). "updatedAt" stays: it dates the last edit
  // of the link's terms (links/captured-after-close.ts), and a view is not one.
  await db.query(`UPDATE "Link" SET "pageViews" = "pageViews" + 1 WHERE "id" = $1`, [linkId]);
}
