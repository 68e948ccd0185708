// Links for the buyer-side tests, inserted directly (the link-creation dialog is tested elsewhere).
import { randomBytes } from 'node:crypto';
import type { Link, PrismaClient } from '../../src/generated/prisma/client.js';
import { readLinkOffer } from '../../src/payments/link-offer.js';
import { prismaQuery } from '../../src/db/sql.js';
import { readCheckoutForm, type CheckoutOrder } from '../../src/payments/read-checkout-form.js';
import type { BuyerFields } from '../../src/links/buyer-fields.js';
import { retryKeyFor } from '../../src/line/line-client.js';

export interface SeededLink {
  linkId: string;
  slug: string;
  merchantId: string;
  creatorId: string;
  imageId: string | null;
}

export interface SeedLinkOptions {
  productName?: string;
  description?: string;
  amount?: number;
  currency?: string;
  language?: 'ja' | 'en' | 'ko';
  status?: string;
  usageLimit?: number | null;
  quantityMin?: number;
  quantityMax?: number;
  /** What the page asks the buyer (links/buyer-fields.ts). */
  buyerFields?: BuyerFields;
  afterPaymentMessage?: string;
  /** KOMOJU payment types the session offers (links/payment-types.ts). */
  paymentTypes?: string[];
  expiresAt?: Date | null;
  /** A subscription link (links/billing.ts): card only, one unit. */
  billingInterval?: 'week' | 'month' | 'year';
  testMode?: boolean;
  withImage?: boolean;
  notices?: boolean;
  merchantId?: string;
}

export function fixtureId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

// A 1×1 PNG.
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export async function seedLink(prisma: PrismaClient, options: SeedLinkOptions = {}): Promise<SeededLink> {
  const merchantId = options.merchantId ?? fixtureId('m');
  const creatorId = `U${randomBytes(16).toString('hex')}`;
  await prisma.merchant.upsert({ where: { id: merchantId }, create: { id: merchantId, name: 'Test shop' }, update: {} });
  await prisma.lineUser.create({ data: { id: creatorId, language: 'en' } });
  await prisma.member.create({ data: { merchantId, userId: creatorId, role: 'owner', notices: options.notices ?? true } });
  let imageId: string | null = null;
  if (options.withImage) {
    imageId = fixtureId('img');
    await prisma.media.create({ data: { id: imageId, merchantId, mimeType: 'image/png', bytes: PIXEL_PNG, size: PIXEL_PNG.length } });
  }
  const productName = options.productName ?? `Tea ${randomBytes(3).toString('hex')}`;
  const slug = randomBytes(12).toString('base64url');
  const link = await prisma.link.create({
    data: {
      id: fixtureId('lnk'),
      slug,
      merchantId,
      createdByUserId: creatorId,
      productName,
      productNameKey: productName.toLowerCase(),
      amount: options.amount ?? 1500,
      currency: options.currency ?? 'JPY',
      description: options.description ?? 'Fresh green tea, 100 g',
      imageId,
      language: options.language ?? 'en',
      status: options.status ?? 'active',
      usageLimit: options.usageLimit ?? null,
      quantityMin: options.quantityMin ?? 1,
      quantityMax: options.quantityMax ?? 1,
      ...(options.buyerFields ? { buyerFields: options.buyerFields } : {}),
      afterPaymentMessage: options.afterPaymentMessage ?? null,
      ...(options.paymentTypes ? { paymentTypes: options.paymentTypes } : {}),
      expiresAt: options.expiresAt ?? null,
      ...(options.billingInterval ? { billingInterval: options.billingInterval, paymentTypes: ['credit_card'] } : {}),
      // Tests pay through test-mode providers (sk_test_ keys, the sandbox).
      testMode: options.testMode ?? true,
    },
  });
  return { linkId: link.id, slug, merchantId, creatorId, imageId };
}

/** The Pay form's hidden token from a link page. */
export function formTokenIn(page: string): string {
  const match = /name="token" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error('no form token on the page');
  return match[1];
}

/** The fake KOMOJU session a Pay press was redirected to (its id, from the Location header). */
export function sessionIdFrom(response: Response): string {
  const location = response.headers.get('location') ?? '';
  const match = /\/sessions\/([a-z0-9]+)\/pay$/.exec(location);
  if (!match?.[1]) throw new Error(`not a fake KOMOJU session URL: ${location}`);
  return match[1];
}

/**
 * The X-Line-Retry-Key a payment notice handler pushes with: derived from its handler set
 * ('payments'), the event type and the id of the payment's event of that type.
 */
export async function noticeRetryKey(prisma: PrismaClient, type: 'payments.captured' | 'payments.awaiting' | 'payments.expired', paymentId: string): Promise<string> {
  const event = await prisma.domainEvent.findUniqueOrThrow({ where: { dedupeKey: `${type}:${paymentId}` }, select: { id: true } });
  return retryKeyFor('payments', type, event.id);
}

/** The order the link's page, as first rendered at `now`, starts when Pay is pressed without touching a field. */
export async function orderAsRendered(prisma: PrismaClient, link: Link, now = new Date()): Promise<CheckoutOrder> {
  const offer = await readLinkOffer(prisma, link, now, { codes: true });
  if (!offer.open) throw new Error(`the link is closed: ${offer.reason}`);
  const read = await readCheckoutForm(prismaQuery(prisma), link, offer, {}, now, 'pay');
  if (!read.ok) throw new Error(`the page as rendered does not read: ${read.problems.map((problem) => problem.field).join(', ')}`);
  return read.order;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The Pay form of a link page as a browser would submit it untouched: every named input's value
 * (checked radios only; a select's selected or first option). Null when the page has no Pay form.
 */
export function formAsRendered(page: string): Record<string, string> | null {
  const form = /<form method="post" action="[^"]*\/checkout"[^>]*>([\s\S]*?)<\/form>/.exec(page)?.[1];
  if (form === undefined) return null;
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (!name) continue;
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(tag)) continue;
    fields[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const [, name = '', options = ''] of form.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option[^>]*\bselected\b[^>]*\bvalue="([^"]*)"|<option[^>]*\bvalue="([^"]*)"[^>]*\bselected\b/.exec(options) ?? /<option[^>]*\bvalue="([^"]*)"/.exec(options);
    fields[name] = unescapeHtml(chosen?.[1] ?? chosen?.[2] ?? '');
  }
  return fields;
}
