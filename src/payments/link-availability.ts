// Whether a link still takes payments. A usage limit compares against the link's captured
// payments exactly as the Total Sales Summary counts them (summary.ts), so what the merchant reads
// in the summary and what the link page enforces never disagree.
import type { Prisma } from '../generated/prisma/client.js';
import { availabilityOf, type AvailabilityFields, type LinkAvailability } from './link-availability-rule.js';
import { getCapturedCountForLink, type LedgerReader } from './summary.js';

export type { LinkAvailability } from './link-availability-rule.js';

/** availabilityOf with the link's counts read from the ledger (only a usage limit needs them). */
export async function linkAvailability(db: LedgerReader, link: AvailabilityFields & { id: string }, now: Date): Promise<LinkAvailability> {
  const captured = link.usageLimit === null ? 0 : await getCapturedCountForLink(db, link.id);
  return availabilityOf(link, { captured }, now);
}

/**
 * Inside a transaction: locks the link row, so checkout decisions for one link are taken one at a
 * time against the count as committed (a hosted session can still be paid after another buyer
 * used the last unit: that payment is recorded, never refused).
 */
export async function lockLink(tx: Prisma.TransactionClient, linkId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Link" WHERE "id" = ${linkId} FOR UPDATE`;
}
