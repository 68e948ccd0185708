import type { EffectEnv, Performers } from '../effect-env.js';
import { listUserMerchants, switchActiveMerchant } from './active-merchant.js';
import { AuthorizationError, assertMemberOf } from './authorization.js';
import { createInvite } from './create-invite.js';
import { displayName } from './display-names.js';
import type { MerchantEffect, MerchantEffectResult } from './effects.js';
import { findMembership } from './membership.js';
import { listMembers, removeMember } from './members.js';
import { redeemInvite } from './redeem-invite.js';

// Profiles are looked up one by one; a list this long is shown without the rest.
const MAX_MEMBERS_SHOWN = 30;

type MerchantPerformer<T extends MerchantEffect['type']> = (effect: Extract<MerchantEffect, { type: T }>, env: EffectEnv) => Promise<MerchantEffectResult>;

/** A refusal (no longer a member, not the owner) is an answer for the chat, not a failure. */
function answered<T extends MerchantEffect['type']>(perform: MerchantPerformer<T>): MerchantPerformer<T> {
  return async (effect, env) => {
    try {
      return await perform(effect, env);
    } catch (error) {
      if (!(error instanceof AuthorizationError)) throw error;
      env.log.warn({ effect: effect.type, reason: error.reason }, 'merchant action refused');
      return { type: 'merchants.refused', reason: error.reason };
    }
  };
}

/** Each performer re-checks membership and role against the database. */
export const merchantPerformers: Performers<MerchantEffect, MerchantEffectResult> = {
  'merchants.join': answered(async (effect, env) => {
    const { prisma, userId } = env;
    const outcome = await redeemInvite(prisma, env.config.appSecret, { userId, code: effect.code, now: new Date() });
    env.log.info({ status: outcome.status, ...('merchantId' in outcome ? { merchantId: outcome.merchantId } : {}) }, 'join attempt');
    return { type: 'merchants.joinResult', outcome };
  }),
  'merchants.createInvite': answered(async (effect, env) => {
    const { prisma, userId } = env;
    await assertMemberOf(prisma, userId, effect.merchantId, 'owner');
    const invite = await createInvite(prisma, env.config.appSecret, {
      merchantId: effect.merchantId,
      role: 'staff',
      createdBy: userId,
      idempotencyKey: env.idempotencyKey,
    });
    env.log.info({ merchantId: effect.merchantId, inviteId: invite.inviteId }, 'invite issued in chat');
    return { type: 'merchants.inviteCreated', code: invite.code, role: invite.role, expiresAt: invite.expiresAt.toISOString(), merchantName: invite.merchantName };
  }),
  'merchants.listMembers': answered(async (effect, env) => {
    const { prisma, userId } = env;
    const viewer = await assertMemberOf(prisma, userId, effect.merchantId);
    const entries = (await listMembers(prisma, userId, effect.merchantId)).slice(0, MAX_MEMBERS_SHOWN);
    const members = await Promise.all(
      entries.map(async (entry) => ({ userId: entry.userId, name: await displayName(env.line, entry.userId, env.log), role: entry.role, isYou: entry.userId === userId })),
    );
    return { type: 'merchants.members', merchantId: effect.merchantId, merchantName: viewer.merchantName, viewerRole: viewer.role, members };
  }),
  'merchants.removeMember': answered(async (effect, env) => {
    const { prisma, userId } = env;
    const owner = await assertMemberOf(prisma, userId, effect.merchantId, 'owner');
    const outcome = await removeMember(prisma, { actorUserId: userId, merchantId: effect.merchantId, memberUserId: effect.memberUserId });
    env.log.info({ merchantId: effect.merchantId, outcome }, 'member removal');
    return { type: 'merchants.memberRemoved', merchantName: owner.merchantName, outcome };
  }),
  'merchants.listShops': answered(async (_effect, env) => {
    const { prisma, userId } = env;
    const user = await prisma.lineUser.findUnique({ where: { id: userId }, select: { activeMerchantId: true } });
    const active = await findMembership(prisma, userId, user?.activeMerchantId ?? null);
    const shops = await listUserMerchants(prisma, userId);
    return { type: 'merchants.shops', shops: shops.map((shop) => ({ ...shop, active: shop.merchantId === active?.merchantId })) };
  }),
  'merchants.switchShop': answered(async (effect, env) => {
    const { prisma, userId } = env;
    const membership = await switchActiveMerchant(prisma, userId, effect.merchantId);
    return { type: 'merchants.shopSwitched', merchantName: membership.merchantName };
  }),
  'merchants.notices': answered(async (effect, env) => {
    const { prisma, userId } = env;
    const membership = await assertMemberOf(prisma, userId, effect.merchantId);
    const where = { merchantId_userId: { merchantId: effect.merchantId, userId } };
    const member =
      effect.enabled === undefined
        ? await prisma.member.findUniqueOrThrow({ where, select: { notices: true } })
        : await prisma.member.update({ where, data: { notices: effect.enabled }, select: { notices: true } });
    return { type: 'merchants.noticesState', merchantName: membership.merchantName, enabled: member.notices, changed: effect.enabled !== undefined };
  }),
  'merchants.buyerDetails': answered(async (effect, env) => {
    const { prisma, userId } = env;
    const changing = effect.staffMayRead !== undefined;
    const membership = await assertMemberOf(prisma, userId, effect.merchantId, changing ? 'owner' : 'staff');
    const merchant = changing
      ? await prisma.merchant.update({ where: { id: effect.merchantId }, data: { staffSeeBuyerDetails: effect.staffMayRead }, select: { staffSeeBuyerDetails: true } })
      : await prisma.merchant.findUniqueOrThrow({ where: { id: effect.merchantId }, select: { staffSeeBuyerDetails: true } });
    if (changing) env.log.info({ merchantId: effect.merchantId, staffMayRead: merchant.staffSeeBuyerDetails }, "who reads buyers' details changed");
    return { type: 'merchants.buyerDetailsState', merchantName: membership.merchantName, viewerRole: membership.role, staffMayRead: merchant.staffSeeBuyerDetails, changed: changing };
  }),
};
