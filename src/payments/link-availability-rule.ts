// The one rule for whether a link takes payments: the link page and checkout (link-availability.ts)
// and the merchant's link list (sales/link-view.ts) both ask it. Pure: the caller brings the counts.

export type LinkAvailability = 'open' | 'inactive' | 'expired' | 'used_up';

export interface AvailabilityFields {
  status: string;
  /** A Date, or its ISO string in plain-JSON views. */
  expiresAt: Date | string | null;
  usageLimit: number | null;
}

export interface UsageCounts {
  /** Captured payments exactly as the Total Sales Summary counts them (summary.ts). */
  captured: number;
}

/** Open, or the first reason it is not (a deactivated link says inactive even once expired). */
export function availabilityOf(link: AvailabilityFields, counts: UsageCounts, now: Date): LinkAvailability {
  if (link.status !== 'active') return 'inactive';
  if (link.expiresAt !== null && new Date(link.expiresAt).getTime() <= now.getTime()) return 'expired';
  if (link.usageLimit !== null && counts.captured >= link.usageLimit) return 'used_up';
  return 'open';
}
