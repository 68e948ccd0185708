// Creates a shop's discount code. Every rule is checked here, the trust boundary for the chat and
// the CLI alike; codes are unique per shop by their key (case, width and spaces folded), and the
// database's unique constraint decides two racing creates of one code.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isUniqueViolation } from '../db/errors.js';
import type { DiscountCode, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { expiryOutOfRange } from '../links/link-limits.js';
import { USAGE_CAP_MAX, checkCodeText, discountOffSchema } from './discount-rule.js';

const newDiscountCodeSchema = z.object({
  merchantId: z.string().min(1),
  code: z.string().max(200),
  off: discountOffSchema,
  expiresAt: z.date().nullable().default(null),
  usageCap: z.number().int().min(1).max(USAGE_CAP_MAX).nullable().default(null),
  /** The shop's links it is for; empty: all of them. */
  linkIds: z.array(z.string().min(1)).max(100).default([]),
  createdBy: z.string().min(1).nullable().default(null),
});
export type NewDiscountCode = z.input<typeof newDiscountCodeSchema>;

export type CreateCodeOutcome =
  | { kind: 'created'; code: DiscountCode & { linkIds: string[] } }
  | { kind: 'duplicate'; existing: DiscountCode }
  /** A link that is not this shop's (or does not exist), or an amount off in another currency than a chosen link's. */
  | { kind: 'unknown_link'; linkId: string }
  | { kind: 'currency_mismatch'; linkId: string }
  | { kind: 'invalid'; reason: string };

function newCodeId(): string {
  return `dc_${randomBytes(12).toString('hex')}`;
}

/** `codeId`: derived from the chat event, so a retried event finds the code it made instead of a duplicate. */
export async function createDiscountCode(prisma: PrismaClient | Prisma.TransactionClient, input: NewDiscountCode, options: { now?: Date; codeId?: string } = {}): Promise<CreateCodeOutcome> {
  const now = options.now ?? new Date();
  const codeId = options.codeId ?? newCodeId();
  const parsed = newDiscountCodeSchema.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', reason: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
  const fields = parsed.data;
  const text = checkCodeText(fields.code);
  if (!text.ok) return { kind: 'invalid', reason: `code ${text.reason}` };
  if (fields.expiresAt && expiryOutOfRange(fields.expiresAt, now)) return { kind: 'invalid', reason: 'expiry out of range' };
  const linkIds = [...new Set(fields.linkIds)];
  if (linkIds.length > 0) {
    const links = await prisma.link.findMany({ where: { id: { in: linkIds }, merchantId: fields.merchantId }, select: { id: true, currency: true } });
    const unknown = linkIds.find((id) => !links.some((link) => link.id === id));
    if (unknown) return { kind: 'unknown_link', linkId: unknown };
    const off = fields.off;
    const otherCurrency = off.kind === 'amount' ? links.find((link) => link.currency !== off.currency) : undefined;
    if (otherCurrency) return { kind: 'currency_mismatch', linkId: otherCurrency.id };
  }
  const mine = await prisma.discountCode.findUnique({ where: { id: codeId }, include: { links: { select: { linkId: true } } } });
  if (mine) return { kind: 'created', code: { ...mine, linkIds: mine.links.map((entry) => entry.linkId) } };
  const existing = await prisma.discountCode.findUnique({ where: { merchantId_codeKey: { merchantId: fields.merchantId, codeKey: text.key } } });
  if (existing) return { kind: 'duplicate', existing };
  try {
    const code = await prisma.discountCode.create({
      data: {
        id: codeId,
        merchantId: fields.merchantId,
        code: text.code,
        codeKey: text.key,
        percentOff: fields.off.kind === 'percent' ? fields.off.percent : null,
        amountOff: fields.off.kind === 'amount' ? fields.off.amount : null,
        currency: fields.off.kind === 'amount' ? fields.off.currency : null,
        expiresAt: fields.expiresAt,
        usageCap: fields.usageCap,
        createdBy: fields.createdBy,
        links: { create: linkIds.map((linkId) => ({ linkId })) },
      },
    });
    return { kind: 'created', code: { ...code, linkIds } };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await prisma.discountCode.findUnique({ where: { merchantId_codeKey: { merchantId: fields.merchantId, codeKey: text.key } } });
    if (winner) return { kind: 'duplicate', existing: winner };
    throw error;
  }
}
