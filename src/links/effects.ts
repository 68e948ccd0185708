// What the links capability asks the outer layer to do, and what comes back. Types only: the
// conversation core and the dialogs see these; perform-effects.ts does the work.
import type { CompleteLinkDraft } from './link-draft.js';
import type { LinkView } from './link-view.js';

export type LinkEffect =
  /** Is the name still free in this merchant? (Early answer; the create itself decides races.) */
  | { type: 'links.checkName'; merchantId: string; productName: string }
  /** Download a photo the merchant sent (LINE message id) and keep it as the product image. */
  | { type: 'links.fetchImage'; merchantId: string; messageId: string }
  | { type: 'links.create'; merchantId: string; draft: CompleteLinkDraft };

export type LinkEffectResult =
  | { type: 'links.nameChecked'; productName: string; existing: LinkView | null }
  | { type: 'links.imageFetched'; ok: true; mediaId: string; imageUrl: string }
  | { type: 'links.imageFetched'; ok: false; reason: 'too_large' | 'not_image' | 'unavailable' }
  | { type: 'links.created'; link: LinkView }
  | { type: 'links.duplicate'; existing: LinkView }
  /**
   * notMember: the user is no longer a member of that merchant; invalid: a rule was broken;
   * legalNotice: a live link needs the shop's legal notice (特定商取引法に基づく表記) first.
   */
  | { type: 'links.rejected'; reason: 'notMember' | 'invalid' | 'legalNotice' };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    links: { effect: LinkEffect; result: LinkEffectResult };
  }
}
