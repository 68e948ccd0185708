import type { Prisma } from '../db/database.js';
import { asRole, assertMemberOf, type Role } from './authorization.js';

export interface UserMerchant {
  merchantId: string;
  merchantName: string;
  role: Role;
}

/** Every merchant the user belongs to, oldest membership first. */
export async function listUserMerchants(prisma: Prisma, userId: string): Promise<UserMerchant[]> {
  const members = await prisma.member.findMany({ where: { userId }, include: { merchant: { select: { name: true } } }, orderBy: { createdAt: 'asc' } });
  return members.map((member) => ({ merchantId: member.merchantId, merchantName: member.merchant.name, role: asRole(member.role) }));
}

/** Makes `merchantId` the one the user works for; they must be a member of it. */
export async function switchActiveMerchant(prisma: Prisma, userId: string, merchantId: string): Promise<UserMerchant> {
  const membership = await assertMemberOf(prisma, userId, merchantId);
  await prisma.lineUser.update({ where: { id: userId }, data: { activeMerchantId: merchantId } });
  return membership;
}
