import type { Link } from '../generated/prisma/client.js';
import { isLanguage, type Language } from '../i18n/i18n.js';
import { isSupportedCurrency, type Currency } from '../i18n/currency.js';
import { linkPageUrl, mediaUrl, ownLinkPageUrl, qrImageUrl } from './link-urls.js';
import { ownViewMarker } from './own-view-marker.js';
import { readBuyerFields, type BuyerFields } from './buyer-fields.js';
import { readPaymentTypes, type PaymentType } from './payment-types.js';
import { readBillingInterval, type BillingInterval } from './billing.js';
import { readLinkPrice, readTipOptions, type LinkPrice, type TipOptions } from './link-price.js';

export type LinkStatus = 'active' | 'inactive';

/**
 * A link as the chat shows it: plain JSON (it travels inside effect results), with its public
 * URLs already resolved because the pure core does not know PUBLIC_BASE_URL.
 */
export interface LinkView {
  id: string;
  slug: string;
  productName: string;
  /** In the currency's smallest unit; a buyer-chosen price's minimum. */
  amount: number;
  /** Fixed, or chosen by the buyer in a range (links/link-price.ts); absent: fixed at `amount`. */
  price?: LinkPrice;
  /** Tips the page offers; absent or null: none. */
  tipOptions?: TipOptions | null;
  currency: Currency;
  description: string;
  /** The product photo's media id (what an edit keeps or removes), and its public URL. */
  imageId: string | null;
  imageUrl: string | null;
  language: Language;
  status: LinkStatus;
  usageLimit: number | null;
  /** Quantity a buyer may choose; min = max: fixed. */
  quantityMin: number;
  quantityMax: number;
  buyerFields: BuyerFields;
  afterPaymentMessage: string | null;
  /** Empty: every payment type of the shop's KOMOJU account. */
  paymentTypes: PaymentType[];
  /** ISO 8601, or null for no expiry. */
  expiresAt: string | null;
  /** A subscription link's period; null or absent (views stored before it existed): one-time payments. */
  billingInterval?: BillingInterval | null;
  testMode: boolean;
  /** What buyers get (Share, Copy, QR). */
  url: string;
  /** What the merchant opens (the Open button): `url` with a marker so their own views are not counted; absent in views stored before it existed. */
  openUrl?: string;
  qrUrl: string;
  createdAt: string;
}

/** What a link's URLs are made from (the app's Config has both). */
export interface LinkUrlSettings {
  publicBaseUrl: string;
  appSecret: string;
}

export function toLinkView(link: Link, { publicBaseUrl, appSecret }: LinkUrlSettings): LinkView {
  if (!isSupportedCurrency(link.currency)) throw new Error(`link ${link.id} has unsupported currency ${link.currency}`);
  return {
    id: link.id,
    slug: link.slug,
    productName: link.productName,
    amount: link.amount,
    price: readLinkPrice(link),
    tipOptions: readTipOptions(link.tipOptions),
    currency: link.currency,
    description: link.description,
    imageId: link.imageId,
    imageUrl: link.imageId ? mediaUrl(publicBaseUrl, link.imageId) : null,
    language: isLanguage(link.language) ? link.language : 'ja',
    status: link.status === 'inactive' ? 'inactive' : 'active',
    usageLimit: link.usageLimit,
    quantityMin: link.quantityMin,
    quantityMax: link.quantityMax,
    buyerFields: readBuyerFields(link.buyerFields),
    afterPaymentMessage: link.afterPaymentMessage,
    paymentTypes: readPaymentTypes(link.paymentTypes),
    expiresAt: link.expiresAt ? link.expiresAt.toISOString() : null,
    billingInterval: readBillingInterval(link.billingInterval),
    testMode: link.testMode,
    url: linkPageUrl(publicBaseUrl, link.slug),
    openUrl: ownLinkPageUrl(publicBaseUrl, link.slug, ownViewMarker(appSecret, link.slug)),
    qrUrl: qrImageUrl(publicBaseUrl, link.slug),
    createdAt: link.createdAt.toISOString(),
  };
}
