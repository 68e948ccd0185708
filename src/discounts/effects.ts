// What the discounts capability (the owner's discount codes in chat) asks the outer layer to do,
// and what comes back. Types only: perform-effects.ts does the work.
import type { DiscountOff } from './discount-rule.js';
import type { DiscountCodeView } from './list-codes.js';

/** A code as the owner's dialog collected it (checked again when created). */
export interface CodeDraft {
  code: string;
  off: DiscountOff;
  /** ISO 8601, or null for no expiry. */
  expiresAt: string | null;
  usageCap: number | null;
  /** Empty: every link of the shop. */
  linkIds: string[];
}

export interface LinkChoice {
  id: string;
  productName: string;
}

export type DiscountEffect =
  | { type: 'discounts.list'; merchantId: string }
  /** The shop's newest links, to pick the ones a code is for. */
  | { type: 'discounts.linkChoices'; merchantId: string }
  | { type: 'discounts.create'; merchantId: string; draft: CodeDraft }
  | { type: 'discounts.deactivate'; merchantId: string; codeId: string };

type DiscountRefusal = 'notMember' | 'notOwner' | 'duplicate' | 'notFound' | 'invalid' | 'currencyMismatch';

export type DiscountEffectResult =
  | { type: 'discounts.listed'; codes: DiscountCodeView[] }
  | { type: 'discounts.linksListed'; links: LinkChoice[] }
  | { type: 'discounts.created'; code: DiscountCodeView }
  | { type: 'discounts.deactivated'; code: DiscountCodeView }
  | { type: 'discounts.refused'; reason: DiscountRefusal };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    discounts: { effect: DiscountEffect; result: DiscountEffectResult };
  }
}
