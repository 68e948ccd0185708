import { z } from 'zod';
import { tipOptionsSchema } from './link-price.js';
import type { Prisma as Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { Prisma as PrismaNamespace, type Prisma, type Link } from '../generated/prisma/client.js';
import { asksAnything, buyerFieldsSchema, readBuyerFields } from './buyer-fields.js';
import { paymentTypesSchema } from './payment-types.js';

const { DbNull } = PrismaNamespace;
import { LANGUAGES } from '../i18n/i18n.js';
import { USAGE_LIMIT_MAX, expiryOutOfRange } from './link-limits.js';
import { normalizeProductName, validateAfterPaymentMessage, validateDescription } from './product-name.js';
import { quantityRangeProblem } from './quantity.js';
import { isSupportedCurrency } from '../i18n/currency.js';

/**
 * Fields that decide whether a link takes payments: only an owner changes them (README, roles).
 * Staff could otherwise close a link as surely as with the owner-only Deactivate, by a usage limit
 * already reached or an expiry a minute away.
 */
const OWNER_ONLY_LINK_FIELDS = ['status', 'usageLimit', 'expiresAt', 'quantity'] as const;

/** The one rule for who may change which field of a link. */
export function mayChangeLinkField(role: string, field: string): boolean {
  return role === 'owner' || !(OWNER_ONLY_LINK_FIELDS as readonly string[]).includes(field);
}

/** Fields a merchant may change after a link is issued. */
export const MUTABLE_LINK_FIELDS = [
  'productName',
  'description',
  'image',
  'language',
  'status',
  'usageLimit',
  'expiresAt',
  'quantity',
  'buyerAsk',
  'question',
  'afterPaymentMessage',
  'paymentTypes',
  'tipOptions',
] as const;
export type MutableLinkField = (typeof MUTABLE_LINK_FIELDS)[number];

/**
 * Fields fixed once issued: buyers may already hold the URL, QR or a forwarded preview showing
 * the price, and past payments must keep meaning what they meant. A new link is the way.
 */
const IMMUTABLE_LINK_FIELDS = ['amount', 'currency'] as const;
export type ImmutableLinkField = (typeof IMMUTABLE_LINK_FIELDS)[number];

export const linkChangeSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('productName'), value: z.string() }),
  z.object({ field: z.literal('description'), value: z.string() }),
  /** A Media id of the same merchant, or null to remove the image. */
  z.object({ field: z.literal('image'), value: z.string().min(1).nullable() }),
  z.object({ field: z.literal('language'), value: z.enum(LANGUAGES) }),
  z.object({ field: z.literal('status'), value: z.enum(['active', 'inactive']) }),
  z.object({ field: z.literal('usageLimit'), value: z.number().int().positive().max(USAGE_LIMIT_MAX).nullable() }),
  z.object({ field: z.literal('expiresAt'), value: z.iso.datetime({ offset: true }).nullable() }),
  z.object({ field: z.literal('quantity'), value: z.object({ min: z.number().int(), max: z.number().int() }) }),
  z.object({ field: z.literal('buyerAsk'), value: buyerFieldsSchema.shape.ask }),
  z.object({ field: z.literal('question'), value: buyerFieldsSchema.shape.question }),
  z.object({ field: z.literal('afterPaymentMessage'), value: z.string() }),
  z.object({ field: z.literal('paymentTypes'), value: paymentTypesSchema }),
  z.object({ field: z.literal('tipOptions'), value: tipOptionsSchema.nullable() }),
  z.object({ field: z.enum(IMMUTABLE_LINK_FIELDS), value: z.unknown() }),
]);
export type LinkChange = z.infer<typeof linkChangeSchema>;

export type UpdateLinkRefusal = 'notFound' | 'immutable' | 'invalid' | 'duplicateName' | 'unknownImage' | 'ownerOnly';
export type UpdateLinkResult = { ok: true; link: Link } | { ok: false; reason: UpdateLinkRefusal };

export function isImmutableLinkField(field: string): field is ImmutableLinkField {
  return (IMMUTABLE_LINK_FIELDS as readonly string[]).includes(field);
}

/**
 * Changes one field of a merchant's link, as a member with `role` (mayChangeLinkField). Scoped by
 * merchant: another merchant's link id is 'notFound', exactly like an unknown one. The product
 * name stays unique per merchant through the (merchantId, productNameKey) constraint, so two
 * racing renames cannot both win.
 */
export async function updateLink(prisma: Db, input: { merchantId: string; linkId: string; role: 'owner' | 'staff'; change: unknown; now?: Date }): Promise<UpdateLinkResult> {
  const parsed = linkChangeSchema.safeParse(input.change);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const change = parsed.data;
  if (!mayChangeLinkField(input.role, change.field)) return { ok: false, reason: 'ownerOnly' };
  // A subscription link stays card only, one unit, without tips or a usage limit (links/billing.ts).
  if (change.field === 'paymentTypes' || change.field === 'usageLimit' || change.field === 'quantity' || change.field === 'tipOptions') {
    const billing = await prisma.link.findFirst({ where: { id: input.linkId, merchantId: input.merchantId }, select: { billingInterval: true } });
    if (billing?.billingInterval) return { ok: false, reason: 'invalid' };
  }

  let data: Prisma.LinkUpdateManyMutationInput;
  switch (change.field) {
    case 'amount':
    case 'currency':
      return { ok: false, reason: 'immutable' };
    case 'productName': {
      const name = normalizeProductName(change.value);
      if (!name.ok) return { ok: false, reason: 'invalid' };
      data = { productName: name.name, productNameKey: name.key };
      break;
    }
    case 'description': {
      const description = validateDescription(change.value);
      if (!description.ok) return { ok: false, reason: 'invalid' };
      data = { description: description.text };
      break;
    }
    case 'paymentTypes':
      data = { paymentTypes: change.value.length > 0 ? change.value : DbNull };
      break;
    case 'tipOptions':
      data = { tipOptions: change.value ?? DbNull };
      break;
    case 'afterPaymentMessage': {
      const message = validateAfterPaymentMessage(change.value);
      if (!message.ok) return { ok: false, reason: 'invalid' };
      data = { afterPaymentMessage: message.text === '' ? null : message.text };
      break;
    }
    case 'image': {
      if (change.value !== null) {
        const media = await prisma.media.findFirst({ where: { id: change.value, merchantId: input.merchantId }, select: { id: true } });
        if (!media) return { ok: false, reason: 'unknownImage' };
      }
      data = { imageId: change.value };
      break;
    }
    case 'language':
      data = { language: change.value };
      break;
    case 'status':
      data = { status: change.value };
      break;
    case 'usageLimit':
    case 'quantity': {
      // The two must fit together: a minimum quantity the limit can never hold makes the link unbuyable.
      const current = await prisma.link.findFirst({ where: { id: input.linkId, merchantId: input.merchantId } });
      if (!current) return { ok: false, reason: 'notFound' };
      const range = change.field === 'quantity' ? change.value : { min: current.quantityMin, max: current.quantityMax };
      const usageLimit = change.field === 'usageLimit' ? change.value : current.usageLimit;
      const currency = isSupportedCurrency(current.currency) ? current.currency : undefined;
      if (quantityRangeProblem(range, { amount: current.amount, currency, usageLimit })) return { ok: false, reason: 'invalid' };
      data = change.field === 'quantity' ? { quantityMin: range.min, quantityMax: range.max } : { usageLimit };
      break;
    }
    case 'buyerAsk':
    case 'question': {
      const current = await prisma.link.findFirst({ where: { id: input.linkId, merchantId: input.merchantId }, select: { buyerFields: true } });
      if (!current) return { ok: false, reason: 'notFound' };
      const before = readBuyerFields(current.buyerFields);
      const after = change.field === 'buyerAsk' ? { ...before, ask: change.value } : { ...before, question: change.value };
      data = { buyerFields: asksAnything(after) ? after : DbNull };
      break;
    }
    case 'expiresAt': {
      const expiresAt = change.value === null ? null : new Date(change.value);
      if (expiresAt && expiryOutOfRange(expiresAt, input.now ?? new Date())) return { ok: false, reason: 'invalid' };
      data = { expiresAt };
      break;
    }
  }

  try {
    const updated = await prisma.link.updateMany({ where: { id: input.linkId, merchantId: input.merchantId }, data });
    if (updated.count === 0) return { ok: false, reason: 'notFound' };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'duplicateName' };
    throw error;
  }
  const link = await prisma.link.findUnique({ where: { id: input.linkId } });
  return link ? { ok: true, link } : { ok: false, reason: 'notFound' };
}
