import type { Membership } from '../conversation/types.js';
import type { Prisma } from '../db/database.js';

export type Role = Membership['role'];

/** Why an action was refused; callers turn it into a polite answer. */
export class AuthorizationError extends Error {
  override name = 'AuthorizationError';
  constructor(
    readonly reason: 'notMember' | 'notOwner',
    message: string,
  ) {
    super(message);
  }
}

/** A stored role as a Role: anything but 'owner' reads as staff, so an odd value never grants more. */
export function asRole(role: string): Role {
  return role === 'owner' ? 'owner' : 'staff';
}

/** Owners may do everything staff may. */
export function hasRole(membership: Membership | null, role: Role): boolean {
  if (!membership) return false;
  return role === 'staff' || membership.role === 'owner';
}

/** The membership if it has `role`, else an AuthorizationError (pure: for the conversation core and effects). */
function requireRole(membership: Membership | null, role: Role): Membership {
  if (!membership) throw new AuthorizationError('notMember', 'not a member of this merchant');
  if (!hasRole(membership, role)) throw new AuthorizationError('notOwner', `needs role ${role}, has ${membership.role}`);
  return membership;
}

/** The user's membership of exactly this merchant, read from the database; null for a non-member. */
export async function membershipOf(prisma: Prisma, userId: string, merchantId: string): Promise<Membership | null> {
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId, userId } },
    include: { merchant: { select: { name: true } } },
  });
  return member ? { merchantId: member.merchantId, merchantName: member.merchant.name, role: asRole(member.role) } : null;
}

/**
 * Reads the user's membership of exactly this merchant from the database and checks its role.
 * Effects call it with the merchant id they are about to touch, whatever the button said.
 */
export async function assertMemberOf(prisma: Prisma, userId: string, merchantId: string, role: Role = 'staff'): Promise<Membership> {
  return requireRole(await membershipOf(prisma, userId, merchantId), role);
}
