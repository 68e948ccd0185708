// A shop's discount codes with how often each was used (code-uses.ts), newest first, as plain JSON
// for the chat and the CLI.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { countCodeUses } from './code-uses.js';
import { readDiscountOff, type DiscountOff } from './discount-rule.js';

export interface DiscountCodeView {
  id: string;
  code: string;
  off: DiscountOff | null;
  /** ISO 8601, or null for no expiry. */
  expiresAt: string | null;
  usageCap: number | null;
  uses: number;
  active: boolean;
  /** The links it is for (empty: all the shop's). */
  links: { id: string; slug: string; productName: string }[];
  createdAt: string;
}

/** At most this many, newest first: a small shop's running promotions. */
const CODES_LISTED_MAX = 50;

export async function listDiscountCodes(prisma: PrismaClient | Prisma.TransactionClient, merchantId: string, now = new Date(), where: { id?: string } = {}): Promise<DiscountCodeView[]> {
  const codes = await prisma.discountCode.findMany({
    where: { merchantId, ...where },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: CODES_LISTED_MAX,
    include: { links: { select: { link: { select: { id: true, slug: true, productName: true } } } } },
  });
  const uses = await countCodeUses(
    prisma,
    codes.map((code) => code.id),
    now,
  );
  return codes.map((code) => ({
    id: code.id,
    code: code.code,
    off: readDiscountOff(code),
    expiresAt: code.expiresAt?.toISOString() ?? null,
    usageCap: code.usageCap,
    uses: uses.get(code.id) ?? 0,
    active: code.active,
    links: code.links.map((entry) => entry.link),
    createdAt: code.createdAt.toISOString(),
  }));
}

/** Stops (or starts again) a shop's code; false when the shop has no such code. */
export async function setDiscountCodeActive(prisma: PrismaClient | Prisma.TransactionClient, merchantId: string, codeId: string, active: boolean): Promise<boolean> {
  const updated = await prisma.discountCode.updateMany({ where: { id: codeId, merchantId }, data: { active } });
  return updated.count > 0;
}
