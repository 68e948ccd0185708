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

/** Owners may do everything staff may. */
export function hasRole(membership: Membership | null, role: Role): boolean {
  if (!membership) return false;
  return role === 'staff' || membership.role === 'owner';
}

/** The membership if it has `role`, else an AuthorizationError (pure: for the conversation core and effects). */
export function requireRole(membership: Membership | null, role: Role): Membership {
  if (!membership) throw new AuthorizationError('notMember', 'not a member of this merchant');
  if (!hasRole(membership, role)) throw new AuthorizationError('notOwner', `needs role ${role}, has ${membership.role}`);
  return membership;
}

/**
 * Reads the user's membership of exactly this merchant from the database and checks its role.
 * Effects call it with the merchant id they are about to touch, whatever the button said.
 */
export async function assertMemberOf(prisma: Prisma, userId: string, merchantId: string, role: Role = 'staff'): Promise<Membership> {
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId, userId } },
    include: { merchant: { select: { name: true } } },
  });
  const membership: Membership | null = member
    ? { merchantId: member.merchantId, merchantName: member.merchant.name, role: member.role === 'owner' ? 'owner' : 'staff' }
    : null;
  return requireRole(membership, role);
}
