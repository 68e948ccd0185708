// Who reads buyers' details (name, phone, email, address, answer): the one rule for Transactions,
// the payment notices, the subscribers list and the CSV. Owners always; staff only when an owner
// allowed it (`buyerdetails staff on`, stored on the merchant); anyone else never.
import type { Prisma } from '../db/database.js';

export async function mayReadBuyerDetails(prisma: Prisma, merchantId: string, userId: string): Promise<boolean> {
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId, userId } },
    select: { role: true, merchant: { select: { staffSeeBuyerDetails: true } } },
  });
  if (!member) return false;
  return member.role === 'owner' || member.merchant.staffSeeBuyerDetails;
}
