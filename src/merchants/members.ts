import type { Prisma } from '../db/database.js';
import { asRole, assertMemberOf, type Role } from './authorization.js';

export interface MemberEntry {
  userId: string;
  role: Role;
  joinedAt: Date;
}

/** The merchant's members, owners first, then by joining date; the caller must be a member. */
export async function listMembers(prisma: Prisma, actorUserId: string, merchantId: string): Promise<MemberEntry[]> {
  await assertMemberOf(prisma, actorUserId, merchantId);
  const members = await prisma.member.findMany({ where: { merchantId }, orderBy: { createdAt: 'asc' } });
  const entries = members.map((member) => ({ userId: member.userId, role: asRole(member.role), joinedAt: member.createdAt }));
  return [...entries.filter((entry) => entry.role === 'owner'), ...entries.filter((entry) => entry.role !== 'owner')];
}

export type RemoveOutcome = 'removed' | 'notMember' | 'self';

/**
 * An owner removes another member of the same merchant. Owners cannot remove themselves, so a
 * merchant never loses its last owner this way.
 */
export async function removeMember(prisma: Prisma, input: { actorUserId: string; merchantId: string; memberUserId: string }): Promise<RemoveOutcome> {
  await assertMemberOf(prisma, input.actorUserId, input.merchantId, 'owner');
  if (input.memberUserId === input.actorUserId) return 'self';
  return prisma.$transaction(async (tx) => {
    const deleted = await tx.member.deleteMany({ where: { merchantId: input.merchantId, userId: input.memberUserId } });
    if (deleted.count === 0) return 'notMember';
    await tx.lineUser.updateMany({ where: { id: input.memberUserId, activeMerchantId: input.merchantId }, data: { activeMerchantId: null } });
    return 'removed';
  });
}
