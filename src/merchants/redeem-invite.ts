import type { Prisma } from '../db/database.js';
import { prismaQuery } from '../db/sql.js';
import { asRole, type Role } from './authorization.js';
import { hashInviteCode } from './invite-code.js';
import { countAttempt, refundAttempt, type RateLimitRule } from './rate-limit.js';

/** Wrong, used or expired codes a user may try per hour before joining is paused. */
export const JOIN_ATTEMPTS: RateLimitRule = { limit: 5, windowMs: 60 * 60 * 1000 };

export type JoinOutcome =
  | { status: 'joined' | 'alreadyMember'; merchantId: string; merchantName: string; role: Role }
  | { status: 'invalid' | 'expired' | 'used'; attemptsLeft: number }
  | { status: 'rateLimited'; retryAt: string };

type Failure = 'invalid' | 'expired' | 'used';

/**
 * `join <CODE>`: makes the user a member of the invite's merchant (and their active merchant).
 * Every attempt is counted first, atomically, so parallel guesses cannot exceed the limit; an
 * attempt that succeeds is given back, so only failures count. Redeeming a code this same user
 * already redeemed (a retried event) answers `joined` again.
 */
export async function redeemInvite(prisma: Prisma, appSecret: string, input: { userId: string; code: string; now: Date }): Promise<JoinOutcome> {
  const key = `join:${input.userId}`;
  const attempt = await countAttempt(prismaQuery(prisma), key, JOIN_ATTEMPTS, input.now);
  if (!attempt.allowed) return { status: 'rateLimited', retryAt: attempt.resetAt.toISOString() };

  const outcome = await prisma.$transaction(async (tx): Promise<JoinOutcome | Failure> => {
    const invite = await tx.invite.findUnique({ where: { codeHash: hashInviteCode(input.code, appSecret) }, include: { merchant: { select: { name: true, displayName: true } } } });
    if (!invite) return 'invalid';
    const joined = { merchantId: invite.merchantId, merchantName: invite.merchant.displayName ?? invite.merchant.name };
    if (invite.usedBy === input.userId) {
      const member = await tx.member.findUnique({ where: { merchantId_userId: { merchantId: invite.merchantId, userId: input.userId } } });
      // Used by this user, who has since been removed: the code is spent all the same.
      return member ? { status: 'joined', ...joined, role: asRole(member.role) } : 'used';
    }
    if (invite.usedAt) return 'used';
    if (invite.expiresAt.getTime() <= input.now.getTime()) return 'expired';
    const existing = await tx.member.findUnique({ where: { merchantId_userId: { merchantId: invite.merchantId, userId: input.userId } } });
    if (existing) {
      // The code stays unused for someone else; the user clearly wants to work for this shop.
      await tx.lineUser.updateMany({ where: { id: input.userId }, data: { activeMerchantId: invite.merchantId } });
      return { status: 'alreadyMember', ...joined, role: asRole(existing.role) };
    }

    const claimed = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: input.now, usedBy: input.userId } });
    if (claimed.count === 0) return 'used';
    await tx.lineUser.upsert({ where: { id: input.userId }, create: { id: input.userId }, update: {} });
    await tx.member.create({ data: { merchantId: invite.merchantId, userId: input.userId, role: invite.role } });
    await tx.lineUser.update({ where: { id: input.userId }, data: { activeMerchantId: invite.merchantId } });
    return { status: 'joined', ...joined, role: asRole(invite.role) };
  });

  if (typeof outcome === 'string') return { status: outcome, attemptsLeft: attempt.remaining };
  await refundAttempt(prisma, key, attempt.windowStart);
  return outcome;
}
