// How a link converts, "120 views → 18 presses → 11 paid", defined once for the summary card and
// the CSV: views of its buyer page (links/count-page-view.ts), Pay presses (checkouts opened, as the
// summary's attempts count them: not those the provider refused to open) and payments captured
// (captured plus fully refunded; charged-back ones are not counted).
import type { Prisma } from '../db/database.js';
import { getLinkSummaries } from '../payments/summary.js';

export interface LinkFunnel {
  views: number;
  presses: number;
  paid: number;
}

/** The funnel of each link given (two statements however many links), keyed by link id. */
export async function getLinkFunnels(prisma: Prisma, links: readonly { id: string; pageViews: number }[]): Promise<Map<string, LinkFunnel>> {
  const ids = links.map((link) => link.id);
  const summaries = await getLinkSummaries(prisma, ids);
  const presses = await prisma.checkout.groupBy({ by: ['linkId'], where: { linkId: { in: ids }, status: { not: 'error' } }, _count: { _all: true } });
  const pressesOf = new Map(presses.map((row) => [row.linkId, row._count._all]));
  return new Map(
    links.map((link) => {
      const summary = summaries.get(link.id);
      return [link.id, { views: link.pageViews, presses: pressesOf.get(link.id) ?? 0, paid: (summary?.capturedPayments ?? 0) + (summary?.refundedPayments ?? 0) }];
    }),
  );
}
