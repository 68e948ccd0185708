import type { EffectEnv } from '../bot/effects.js';
import { listUserMerchants, switchActiveMerchant, type UserMerchant } from './active-merchant.js';
import { AuthorizationError, assertMemberOf, type Role } from './authorization.js';
import { createInvite } from './create-invite.js';
import { findMembership } from './membership.js';
import { listMembers, removeMember, type RemoveOutcome } from './members.js';
import { redeemInvite, type JoinOutcome } from './redeem-invite.js';

/** Effects of the merchants feature; each re-checks membership and role against the database. */
export type MerchantEffect =
  | { type: 'merchants.join'; code: string }
  | { type: 'merchants.createInvite'; merchantId: string }
  | { type: 'merchants.listMembers'; merchantId: string }
  | { type: 'merchants.removeMember'; merchantId: string; memberUserId: string }
  | { type: 'merchants.listShops' }
  | { type: 'merchants.switchShop'; merchantId: string }
  /** Reads (enabled omitted) or sets the user's own payment notices for the merchant. */
  | { type: 'merchants.notices'; merchantId: string; enabled?: boolean };

export interface MemberView {
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
  | { type: 'merchants.refused'; reason: AuthorizationError['reason'] };

// Profiles are looked up one by one; a list this long is shown without the rest.
const MAX_MEMBERS_SHOWN = 30;

async function displayName(env: EffectEnv, userId: string): Promise<string> {
  try {
    const profile = await env.line.getProfile(userId);
    if (profile.displayName) return profile.displayName;
  } catch (error) {
    env.log.debug({ err: error }, 'member profile unavailable');
  }
  return `…${userId.slice(-4)}`;
}

async function perform(effect: MerchantEffect, env: EffectEnv): Promise<MerchantEffectResult> {
  const { prisma, userId } = env;
  switch (effect.type) {
    case 'merchants.join': {
      const outcome = await redeemInvite(prisma, env.config.appSecret, { userId, code: effect.code, now: new Date() });
      env.log.info({ status: outcome.status, ...('merchantId' in outcome ? { merchantId: outcome.merchantId } : {}) }, 'join attempt');
      return { type: 'merchants.joinResult', outcome };
    }
    case 'merchants.createInvite': {
      await assertMemberOf(prisma, userId, effect.merchantId, 'owner');
      const invite = await createInvite(prisma, env.config.appSecret, {
        merchantId: effect.merchantId,
        role: 'staff',
        createdBy: userId,
        idempotencyKey: env.idempotencyKey,
      });
      env.log.info({ merchantId: effect.merchantId, inviteId: invite.inviteId }, 'invite issued in chat');
      return { type: 'merchants.inviteCreated', code: invite.code, role: invite.role, expiresAt: invite.expiresAt.toISOString(), merchantName: invite.merchantName };
    }
    case 'merchants.listMembers': {
      const viewer = await assertMemberOf(prisma, userId, effect.merchantId);
      const entries = (await listMembers(prisma, userId, effect.merchantId)).slice(0, MAX_MEMBERS_SHOWN);
      const members = await Promise.all(
        entries.map(async (entry) => ({ userId: entry.userId, name: await displayName(env, entry.userId), role: entry.role, isYou: entry.userId === userId })),
      );
      return { type: 'merchants.members', merchantId: effect.merchantId, merchantName: viewer.merchantName, viewerRole: viewer.role, members };
    }
    case 'merchants.removeMember': {
      const owner = await assertMemberOf(prisma, userId, effect.merchantId, 'owner');
      const outcome = await removeMember(prisma, { actorUserId: userId, merchantId: effect.merchantId, memberUserId: effect.memberUserId });
      env.log.info({ merchantId: effect.merchantId, outcome }, 'member removal');
      return { type: 'merchants.memberRemoved', merchantName: owner.merchantName, outcome };
    }
    case 'merchants.listShops': {
      const user = await prisma.lineUser.findUnique({ where: { id: userId }, select: { activeMerchantId: true } });
      const active = await findMembership(prisma, userId, user?.activeMerchantId ?? null);
      const shops = await listUserMerchants(prisma, userId);
      return { type: 'merchants.shops', shops: shops.map((shop) => ({ ...shop, active: shop.merchantId === active?.merchantId })) };
    }
    case 'merchants.switchShop': {
      const membership = await switchActiveMerchant(prisma, userId, effect.merchantId);
      return { type: 'merchants.shopSwitched', merchantName: membership.merchantName };
    }
    case 'merchants.notices': {
      const membership = await assertMemberOf(prisma, userId, effect.merchantId);
      const where = { merchantId_userId: { merchantId: effect.merchantId, userId } };
      const member =
        effect.enabled === undefined
          ? await prisma.member.findUniqueOrThrow({ where, select: { notices: true } })
          : await prisma.member.update({ where, data: { notices: effect.enabled }, select: { notices: true } });
      return { type: 'merchants.noticesState', merchantName: membership.merchantName, enabled: member.notices, changed: effect.enabled !== undefined };
    }
  }
}

export async function performMerchantEffect(effect: MerchantEffect, env: EffectEnv): Promise<MerchantEffectResult> {
  try {
    return await perform(effect, env);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    env.log.warn({ effect: effect.type, reason: error.reason }, 'merchant action refused');
    return { type: 'merchants.refused', reason: error.reason };
  }
}
