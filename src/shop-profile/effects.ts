// What the shop-profile capability (the owner edits the shop's public profile in chat) asks the
// outer layer to do, and what comes back. Types only: perform-effects.ts does the work.
import type { LegalItem, ShopCountry, ShopCurrency, ShopTextField } from '../merchants/shop-profile-rules.js';

/** The profile as the chat shows it (plain JSON). */
export interface ShopProfileView {
  merchantName: string;
  values: Record<ShopTextField, string | null>;
  /** Null until the owner answered (the chat asks once); the page treats it as Japan meanwhile. */
  country: ShopCountry | null;
  currency: ShopCurrency;
  logoUrl: string | null;
  /** Our public legal page, /s/<shop slug>/legal. */
  legalPageUrl: string;
  missingLegalItems: LegalItem[];
}

/** A change as the chat asks for it: a logo arrives as a LINE message id to download first. */
export type ShopProfileEdit =
  | { field: ShopTextField; value: string | null }
  | { field: 'logo'; value: null }
  | { field: 'country'; value: ShopCountry }
  | { field: 'currency'; value: ShopCurrency }
  | { field: 'logoMessage'; value: string };

export type ShopProfileEffect =
  | { type: 'shopProfile.load'; merchantId: string }
  /** Owner only, re-checked when performed. */
  | { type: 'shopProfile.update'; merchantId: string; edit: ShopProfileEdit };

export type ShopProfileEffectResult =
  | { type: 'shopProfile.loaded'; profile: ShopProfileView; canEdit: boolean }
  | { type: 'shopProfile.updated'; profile: ShopProfileView; field: ShopTextField | 'logo' | 'country' | 'currency' }
  | { type: 'shopProfile.logoRefused'; reason: 'too_large' | 'not_image' | 'unavailable' }
  | { type: 'shopProfile.refused'; reason: 'notMember' | 'notOwner' };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    shopProfile: { effect: ShopProfileEffect; result: ShopProfileEffectResult };
  }
}
