// The one rule for whether a link takes payments: the link page and checkout (link-availability.ts)
// and the merchant's link list (sales/link-view.ts) both ask it. Pure: the caller brings the counts.

/** `reserved`: not used up, but every remaining place is held by a checkout still in flight. */
export type LinkAvailability = 'open' | 'inactive' | 'expired' | 'used_up' | 'reserved';

export interface AvailabilityFields {
  status: string;
  /** A Date, or its ISO string in plain-JSON views. */
  expiresAt: Date | string | null;
  usageLimit: number | null;
}

export interface UsageCounts {
  /** Captured payments exactly as the Total Sales Summary counts them (summary.ts). */
  captured: number;
  /** Checkouts of the link still in flight: each holds a place until it ends or its session expires. */
  inFlight: number;
}

/** Open, or the first reason it is not (a deactivated link says inactive even once expired). */
export function availabilityOf(link: AvailabilityFields, counts: UsageCounts, now: Date): LinkAvailability {
  if (link.status !== 'active') return 'inactive';
  if (link.expiresAt !== null && new Date(link.expiresAt).getTime() <= now.getTime()) return 'expired';
  if (link.usageLimit !== null && counts.captured >= link.usageLimit) return 'used_up';
  if (link.usageLimit !== null && counts.captured + counts.inFlight >= link.usageLimit) return 'reserved';
  return 'open';
}
