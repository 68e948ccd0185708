// What the merchants capability asks the outer layer to do, and what comes back. Types only:
// perform-effects.ts does the work.
import type { UserMerchant } from './active-merchant.js';
import type { AuthorizationError, Role } from './authorization.js';
import type { RemoveOutcome } from './members.js';
import type { JoinOutcome } from './redeem-invite.js';

/** Effects of the merchants feature; each re-checks membership and role against the database. */
export type MerchantEffect =
  | { type: 'merchants.join'; code: string }
  | { type: 'merchants.createInvite'; merchantId: string }
  | { type: 'merchants.listMembers'; merchantId: string }
  | { type: 'merchants.removeMember'; merchantId: string; memberUserId: string }
  | { type: 'merchants.listShops' }
  | { type: 'merchants.switchShop'; merchantId: string }
  /** Reads (enabled omitted) or sets the user's own payment notices for the merchant. */
  | { type: 'merchants.notices'; merchantId: string; enabled?: boolean }
  /** Reads (staffMayRead omitted) or, as an owner, sets whether staff read buyers' details. */
  | { type: 'merchants.buyerDetails'; merchantId: string; staffMayRead?: boolean };

interface MemberView {
  userId: string;
  name: string;
  role: Role;
  isYou: boolean;
}

export type MerchantEffectResult =
  | { type: 'merchants.joinResult'; outcome: JoinOutcome }
  | { type: 'merchants.inviteCreated'; code: string; role: Role; expiresAt: string; merchantName: string }
  | { type: 'merchants.members'; merchantId: string; merchantName: string; viewerRole: Role; members: MemberView[] }
  | { type: 'merchants.memberRemoved'; merchantName: string; outcome: RemoveOutcome }
  | { type: 'merchants.shops'; shops: (UserMerchant & { active: boolean })[] }
  | { type: 'merchants.shopSwitched'; merchantName: string }
  | { type: 'merchants.noticesState'; merchantName: string; enabled: boolean; changed: boolean }
  | { type: 'merchants.buyerDetailsState'; merchantName: string; viewerRole: Role; staffMayRead: boolean; changed: boolean }
  | { type: 'merchants.refused'; reason: AuthorizationError['reason'] };

declare module '../conversation/types.js' {
  interface CapabilityEffects {
    merchants: { effect: MerchantEffect; result: MerchantEffectResult };
  }
}
