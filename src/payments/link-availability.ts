// Whether a link still takes payments. A usage limit compares against the link's captured
// payments exactly as the Total Sales Summary counts them (summary.ts), so what the merchant reads
// in the summary and what the link page enforces never disagree.
import type { Prisma } from '../generated/prisma/client.js';
import { getCapturedCountForLink, type LedgerReader } from './summary.js';

export type LinkAvailability = 'open' | 'inactive' | 'expired' | 'used_up';

export interface AvailabilityFields {
  id: string;
  status: string;
  expiresAt: Date | null;
  usageLimit: number | null;
}

export async function linkAvailability(db: LedgerReader, link: AvailabilityFields, now: Date): Promise<LinkAvailability> {
  if (link.status !== 'active') return 'inactive';
  if (link.expiresAt !== null && link.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (link.usageLimit !== null && (await getCapturedCountForLink(db, link.id)) >= link.usageLimit) return 'used_up';
  return 'open';
}

/**
 * Inside a transaction: locks the link row, so checkout decisions for one link are taken one at a
 * time against the count as committed (a hosted session can still be paid after another buyer
 * used the last unit: that payment is recorded, never refused).
 */
export async function lockLink(tx: Prisma.TransactionClient, linkId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Link" WHERE "id" = ${linkId} FOR UPDATE`;
}
