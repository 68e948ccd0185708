import type { Prisma } from '../db/database.js';

// Link-preview fetchers (LINE's is "facebookexternalhit/1.1;line-poker/1.0"), search crawlers and
// HTTP libraries: not a person looking at the page.
const AUTOMATED = /bot|crawl|spider|slurp|preview|facebookexternalhit|line-poker|embedly|whatsapp|skypeuripreview|headless|curl|wget|python-requests|go-http-client|node-fetch|undici|axios/i;

/**
 * Counts one view of an open buyer page: a counter only, nothing about who viewed. A missing user
 * agent or a known automated one is not counted.
 */
export async function countPageView(prisma: Prisma, linkId: string, userAgent: string | undefined): Promise<void> {
  if (!userAgent || AUTOMATED.test(userAgent)) return;
  // updateMany: nothing read back (update would return the whole row, its QR code's PNG included).
  await prisma.link.updateMany({ where: { id: linkId }, data: { pageViews: { increment: 1 } } });
}
