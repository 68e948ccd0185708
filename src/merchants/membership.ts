import type { Prisma } from '../db/database.js';
import type { Membership } from '../conversation/types.js';
import { listUserMerchants } from './active-merchant.js';

const DEMO_MERCHANT_ID = 'demo';

/**
 * The merchant a user is working for: their chosen active merchant if they are still a member
 * there, else their oldest membership; null for a non-member.
 */
export async function findMembership(prisma: Prisma, userId: string, activeMerchantId: string | null): Promise<Membership | null> {
  const memberships = await listUserMerchants(prisma, userId);
  return memberships.find((member) => member.merchantId === activeMerchantId) ?? memberships[0] ?? null;
}

/**
 * Local mode: the first simulator user becomes owner of a demo shop, so a newcomer can try the
 * bot without the admin CLI. Later users join with invites like anywhere else.
 */
export async function claimDemoMerchant(prisma: Prisma, userId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const created = await tx.merchant.createMany({ data: [{ id: DEMO_MERCHANT_ID, name: 'Demo shop' }], skipDuplicates: true });
    if (created.count === 0) return false;
    await tx.member.create({ data: { merchantId: DEMO_MERCHANT_ID, userId, role: 'owner' } });
    await tx.lineUser.update({ where: { id: userId }, data: { activeMerchantId: DEMO_MERCHANT_ID } });
    return true;
  });
}

/** Local mode: who owns the demo shop (its first owner), so another browser can chat as them; null before anyone claimed it. */
export async function findDemoOwner(prisma: Prisma): Promise<string | null> {
  const owner = await prisma.member.findFirst({ where: { merchantId: DEMO_MERCHANT_ID, role: 'owner' }, orderBy: { createdAt: 'asc' }, select: { userId: true } });
  return owner?.userId ?? null;
}
