import { z } from 'zod';
import type { Prisma } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Link } from '../generated/prisma/client.js';
import { LANGUAGES } from '../i18n/i18n.js';
import { isSupportedCurrency, maxAmount } from '../i18n/currency.js';
import { USAGE_LIMIT_MAX, expiryOutOfRange } from './link-limits.js';
import { linkPageUrl } from './link-urls.js';
import { quantityRangeProblem } from './quantity.js';
import { paymentTypesSchema } from './payment-types.js';
import { billingIntervalSchema, subscriptionRules } from './billing.js';
import { NO_BUYER_FIELDS, asksAnything, buyerFieldsSchema } from './buyer-fields.js';
import { Prisma as PrismaNamespace } from '../generated/prisma/client.js';
import { normalizeProductName, validateAfterPaymentMessage, validateDescription } from './product-name.js';
import { renderQrPng } from './qr.js';
import { newSlug } from './slug.js';
import { buyerPriceProblem, buyerPriceSchema, priceColumns, tipOptionsSchema } from './link-price.js';

const newLinkSchema = z.object({
  merchantId: z.string().min(1),
  createdByUserId: z.string().min(1),
  amount: z.number().int().positive(),
  currency: z.string().refine(isSupportedCurrency, 'unsupported currency'),
  productName: z.string().max(1000),
  description: z.string().max(10_000).default(''),
  imageId: z.string().min(1).nullable().default(null),
  language: z.enum(LANGUAGES).default('ja'),
  status: z.enum(['active', 'inactive']).default('active'),
  usageLimit: z.number().int().min(1).max(USAGE_LIMIT_MAX).nullable().default(null),
  quantityMin: z.number().int().default(1),
  quantityMax: z.number().int().default(1),
  buyerFields: buyerFieldsSchema.default(NO_BUYER_FIELDS),
  afterPaymentMessage: z.string().default(''),
  paymentTypes: paymentTypesSchema.default([]),
  expiresAt: z.date().nullable().default(null),
  billingInterval: billingIntervalSchema.default(null),
  /** The buyer chooses the unit amount in this range (links/link-price.ts); `amount` is then its minimum. */
  buyerPrice: buyerPriceSchema.nullable().default(null),
  tipOptions: tipOptionsSchema.nullable().default(null),
});

export type NewLink = z.input<typeof newLinkSchema>;

export interface CreateLinkOptions {
  /** Derived from the event being handled, so a retried event finds the link it already made. */
  linkId: string;
  publicBaseUrl: string;
  testMode: boolean;
  now?: Date;
}

export type CreateLinkOutcome = { kind: 'created'; link: Link } | { kind: 'duplicate'; existing: Link } | { kind: 'invalid'; reason: string };

/**
 * Creates a payment link for a merchant. Every field rule is checked again here (the chat core
 * already did, but this is the trust boundary). Product names are unique per merchant by their
 * case-folded key; the database's unique constraint decides races, so two concurrent creates of
 * one name yield one link and one 'duplicate'. Amount and currency are fixed from here on.
 */
export async function createLink(prisma: Prisma, input: NewLink, options: CreateLinkOptions): Promise<CreateLinkOutcome> {
  const parsed = newLinkSchema.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', reason: parsed.error.issues[0]?.message ?? 'invalid' };
  // A subscription link is card only, one unit per subscription, at its fixed price with no tip,
  // and has no usage limit (each renewal is a captured payment: a limit on payments would close it
  // as subscribers renew).
  const fields = parsed.data.billingInterval === null ? parsed.data : { ...subscriptionRules(parsed.data.billingInterval, parsed.data), usageLimit: null, buyerPrice: null, tipOptions: null };
  if (!isSupportedCurrency(fields.currency)) return { kind: 'invalid', reason: 'unsupported currency' };
  if (fields.amount > maxAmount(fields.currency)) return { kind: 'invalid', reason: 'amount too large' };
  const price = fields.buyerPrice ? ({ mode: 'buyer', ...fields.buyerPrice } as const) : ({ mode: 'fixed', amount: fields.amount } as const);
  const priceProblem = fields.buyerPrice ? buyerPriceProblem(fields.buyerPrice, fields.currency, fields.quantityMax) : null;
  if (priceProblem) return { kind: 'invalid', reason: `price range ${priceProblem}` };
  const quantityProblem = quantityRangeProblem({ min: fields.quantityMin, max: fields.quantityMax }, fields);
  if (quantityProblem) return { kind: 'invalid', reason: `quantity ${quantityProblem}` };
  const name = normalizeProductName(fields.productName);
  if (!name.ok) return { kind: 'invalid', reason: `product name ${name.reason}` };
  const afterPayment = validateAfterPaymentMessage(fields.afterPaymentMessage);
  if (!afterPayment.ok) return { kind: 'invalid', reason: `after-payment message ${afterPayment.reason}` };
  const description = validateDescription(fields.description);
  if (!description.ok) return { kind: 'invalid', reason: `description ${description.reason}` };
  const now = options.now ?? new Date();
  if (fields.expiresAt && expiryOutOfRange(fields.expiresAt, now)) return { kind: 'invalid', reason: 'expiry out of range' };
  if (fields.imageId) {
    const image = await prisma.media.findFirst({ where: { id: fields.imageId, merchantId: fields.merchantId }, select: { id: true } });
    if (!image) return { kind: 'invalid', reason: 'image not found for this merchant' };
  }

  const already = await prisma.link.findUnique({ where: { id: options.linkId } });
  if (already) return { kind: 'created', link: already };
  const sameName = await prisma.link.findUnique({ where: { merchantId_productNameKey: { merchantId: fields.merchantId, productNameKey: name.key } } });
  if (sameName) return { kind: 'duplicate', existing: sameName };

  const slug = newSlug();
  const qrUrl = linkPageUrl(options.publicBaseUrl, slug);
  const qrPng = await renderQrPng(qrUrl);
  try {
    const link = await prisma.link.create({
      data: {
        id: options.linkId,
        slug,
        merchantId: fields.merchantId,
        createdByUserId: fields.createdByUserId,
        productName: name.name,
        productNameKey: name.key,
        ...priceColumns(price),
        amountPresets: price.mode === 'buyer' && price.presets.length > 0 ? price.presets : PrismaNamespace.DbNull,
        tipOptions: fields.tipOptions ?? PrismaNamespace.DbNull,
        currency: fields.currency,
        description: description.text,
        imageId: fields.imageId,
        language: fields.language,
        status: fields.status,
        usageLimit: fields.usageLimit,
        quantityMin: fields.quantityMin,
        quantityMax: fields.quantityMax,
        afterPaymentMessage: afterPayment.text === '' ? null : afterPayment.text,
        paymentTypes: fields.paymentTypes.length > 0 ? fields.paymentTypes : PrismaNamespace.DbNull,
        buyerFields: asksAnything(fields.buyerFields) ? fields.buyerFields : PrismaNamespace.DbNull,
        expiresAt: fields.expiresAt,
        billingInterval: fields.billingInterval,
        testMode: options.testMode,
        qrPng: new Uint8Array(qrPng),
        qrUrl,
      },
    });
    return { kind: 'created', link };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Lost a race: either this very event (retried) or another create of the same name won.
    const mine = await prisma.link.findUnique({ where: { id: options.linkId } });
    if (mine) return { kind: 'created', link: mine };
    const winner = await prisma.link.findUnique({ where: { merchantId_productNameKey: { merchantId: fields.merchantId, productNameKey: name.key } } });
    if (winner) return { kind: 'duplicate', existing: winner };
    throw error;
  }
}
