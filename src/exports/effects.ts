// What the exports capability (CSV of payments for the owner) asks the outer layer to do, and what
// comes back. Types only: perform-effects.ts does the work.

/** Why no file: `notFound` also covers another shop's link. */
type ExportRefusal = 'notFound' | 'notMember' | 'notOwner';

export type ExportEffect =
  /** `linkId` or `name` picks one link; neither: every payment of the shop. */
  { type: 'exports.create'; merchantId: string; linkId: string | null; name: string | null };

export type ExportEffectResult =
  | { type: 'exports.ready'; url: string; expiresAt: string; productName: string | null; rows: number }
  | { type: 'exports.refused'; reason: ExportRefusal; name: string | null };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    exports: { effect: ExportEffect; result: ExportEffectResult };
  }
}
