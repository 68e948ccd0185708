import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { normalizeText } from '../conversation/normalize.js';
import type { Prisma } from '../db/database.js';

export const merchantNameSchema = z.string().transform(normalizeText).pipe(z.string().min(1, 'the merchant name is empty').max(80, 'the merchant name is longer than 80 characters'));

function newMerchantId(): string {
  return `m_${randomBytes(8).toString('hex')}`;
}

/** A new merchant with no members yet; its first owner joins with an owner invite. */
export async function createMerchant(prisma: Prisma, input: { name: string }): Promise<{ id: string; name: string }> {
  const name = merchantNameSchema.parse(input.name);
  return prisma.merchant.create({ data: { id: newMerchantId(), name }, select: { id: true, name: true } });
}
