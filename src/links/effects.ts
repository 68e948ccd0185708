// What the links capability asks the outer layer to do, and what comes back. Types only: the
// conversation core and the dialogs see these; perform-effects.ts does the work.
import type { OfferedPaymentMethod } from '../conversation/types.js';
import type { LegalItem } from '../merchants/shop-profile-rules.js';
import type { PaymentType } from './payment-types.js';
import type { FetchImageOutcome } from './fetch-image.js';
import type { CompleteLinkDraft } from './link-draft.js';
import type { LinkView } from './link-view.js';
import type { LinkChange, UpdateLinkRefusal } from './update-link.js';

/** A change to an issued link as the chat asks for it: a photo arrives as a LINE message id to download first. */
type LinkEdit = LinkChange | { field: 'imageMessage'; value: string };

export type LinkEffect =
  /** Is the name still free in this merchant? (Early answer; the create itself decides races.) */
  | { type: 'links.checkName'; merchantId: string; productName: string }
  /** Download a photo the merchant sent (LINE message id) and keep it as the product image. */
  | { type: 'links.fetchImage'; merchantId: string; messageId: string }
  | { type: 'links.create'; merchantId: string; draft: CompleteLinkDraft }
  /** Change one field of an issued link, as the user's role there allows (update-link.ts). */
  | { type: 'links.update'; merchantId: string; linkId: string; change: LinkEdit };

export type LinkEffectResult =
  | { type: 'links.nameChecked'; productName: string; existing: LinkView | null }
  | { type: 'links.imageFetched'; ok: true; mediaId: string; imageUrl: string }
  | { type: 'links.imageFetched'; ok: false; reason: 'too_large' | 'not_image' | 'unavailable' }
  | { type: 'links.created'; link: LinkView }
  | { type: 'links.duplicate'; existing: LinkView }
  | { type: 'links.updated'; field: LinkChange['field']; link: LinkView }
  /** 'image': the photo sent could not be used (`imageProblem` says why); 'notFound' also covers another shop's link. */
  | { type: 'links.updateRefused'; reason: UpdateLinkRefusal | 'image'; imageProblem?: Extract<FetchImageOutcome, { ok: false }>['reason'] }
  | { type: 'links.updateRefused'; reason: 'paymentTypes'; notOffered: PaymentType[]; offered: OfferedPaymentMethod[] }
  /**
   * notMember: the user is no longer a member of that merchant; invalid: a rule was broken;
   * legalNotice: a live link needs the shop's legal notice (特定商取引法に基づく表記) first.
   */
  | { type: 'links.rejected'; reason: 'notMember' | 'invalid' }
  | { type: 'links.rejected'; reason: 'legalNotice'; missing: LegalItem[] }
  /** The link restricts to methods the shop's KOMOJU account does not list. */
  | { type: 'links.rejected'; reason: 'paymentTypes'; notOffered: PaymentType[]; offered: OfferedPaymentMethod[] };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    links: { effect: LinkEffect; result: LinkEffectResult };
  }
}
