import type { LinkView } from '../../links/link-view.js';

/** A link with what the merchant's list shows about its sales (plain JSON, travels in results). */
export interface SalesLinkView extends LinkView {
  /** Captured payments as the summary counts them: what a usage limit compares against. */
  usedCount: number;
  /** The summary's captured amount, in the link currency's smallest unit. */
  capturedAmount: number;
}

export type LinkState = 'active' | 'inactive' | 'expired' | 'usedUp';

/** Whether buyers can pay through the link right now, and if not, the first reason why. */
export function linkState(link: SalesLinkView, now: Date): LinkState {
  if (link.status !== 'active') return 'inactive';
  if (link.expiresAt !== null && new Date(link.expiresAt).getTime() <= now.getTime()) return 'expired';
  if (link.usageLimit !== null && link.usedCount >= link.usageLimit) return 'usedUp';
  return 'active';
}

export function formatCount(count: number, language: string): string {
  return new Intl.NumberFormat(language).format(count);
}
