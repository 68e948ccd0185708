// The Pay button: re-check that the link is open, record the checkout attempt, open a provider
// session for it and hand back the page the buyer goes to. One press, one session — except on a
// link with a usage limit, where each checkout holds a place while it can be paid, and so:
//   - a client (one address, see http/client-address.ts) holds at most ONE place of a link: a
//     further press from it goes back to the session it already holds (no new session, no new
//     pending payment), so pressing Pay a hundred times holds one place, not a hundred;
//   - a hold is short (RESERVED_SESSION_SECONDS) and the session expires with it, so a place held
//     by a buyer who walked away comes back soon and can never be paid after it came back;
//   - a client whose holds on a link ended unpaid MAX_UNPAID_HOLDS times in a day gets no new one
//     there until the day is over, so one client cannot keep renewing its hold to close the link.
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Prisma as Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Link } from '../generated/prisma/client.js';
import { isLanguage, translator } from '../i18n/i18n.js';
import { formatStoredPrice } from '../i18n/format.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import { findCodeForLink, hasUseLeft, type CodeRefusal } from '../discounts/find-code.js';
import { clientCodeHold, lockCode, CODE_HOLD_SECONDS } from '../discounts/code-uses.js';
import type { DiscountCode } from '../generated/prisma/client.js';
import { readBuyerAmount, readBuyerTip, readLinkPrice, readTipOptions, type BuyerAmountError } from '../links/link-price.js';
import { checkoutAmount, type CheckoutAmount } from './checkout-amount.js';
import { linkPageUrl, mediaUrl } from '../links/link-urls.js';
import type { Logger } from '../logger.js';
import { readBuyerQuantity, type BuyerQuantityError } from '../links/quantity.js';
import type { BuyerDetails } from '../links/buyer-fields.js';
import { readPaymentTypes } from '../links/payment-types.js';
import { readBillingInterval, SUBSCRIPTION_PAYMENT_TYPES } from '../links/billing.js';
import { newOrderNumber } from './order-number.js';
import { linkPlaces, lockLink, RESERVED_SESSION_SECONDS, type LinkAvailability } from './link-availability.js';
import { providerForLink, servesLinkMode } from './provider-for-link.js';
import { ProviderError } from './provider.js';
import { CHECKOUT_ID_METADATA_KEY, LINK_ID_METADATA_KEY } from './record-payment-event.js';

// A KOMOJU session lives at most 24 h.
const MAX_SESSION_SECONDS = 86_400;
// A held session is handed out again only while it has this long left to be paid in.
const REUSE_MARGIN_SECONDS = 120;
// A press whose session is still being opened (the provider is slow) blocks a second hold this long.
const OPENING_SECONDS = 60;
/** Holds of one link a client may let lapse unpaid within UNPAID_HOLDS_WINDOW_MS. */
export const MAX_UNPAID_HOLDS = 3;
const UNPAID_HOLDS_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CheckoutDeps {
  prisma: Db;
  config: Config;
  log: Logger;
}

export type StartCheckoutResult =
  /** `reused`: the client already held a place of this link; it goes back to that session. */
  | { kind: 'redirect'; sessionUrl: string; checkoutId: string; reused: boolean }
  /** This client let MAX_UNPAID_HOLDS holds of this usage-limited link lapse unpaid today. */
  | { kind: 'hold_limit'; link: Link }
  | { kind: 'closed'; link: Link; availability: Exclude<LinkAvailability, 'open'> }
  /** A buyer's answer on the page is not acceptable; nothing was started. */
  | { kind: 'invalid'; link: Link; field: 'quantity'; reason: BuyerQuantityError; placesLeft: number | null }
  | { kind: 'invalid'; link: Link; field: 'amount'; reason: BuyerAmountError | 'too_large' }
  | { kind: 'invalid'; link: Link; field: 'tip'; reason: 'not_an_option' }
  | { kind: 'invalid'; link: Link; field: 'code'; reason: CodeRefusal | 'discount_too_large' | 'discount_other_currency' | 'held' }
  /** The provider in use now is live and the link was made in test mode, or the other way round. */
  | { kind: 'mode_mismatch'; link: Link }
  | { kind: 'provider_error'; link: Link; checkoutId: string | null };

function newCheckoutId(): string {
  return `chk_${randomBytes(12).toString('hex')}`;
}

/** The stored form of a client's address: keyed, so the table never holds buyers' addresses. */
export function checkoutClientKey(appSecret: string, client: string): string {
  return createHmac('sha256', appSecret).update(`checkout-client:${client}`).digest('base64url').slice(0, 32);
}

type HoldDecision = { kind: 'new' } | { kind: 'reuse'; sessionUrl: string; checkoutId: string } | { kind: 'opening' } | { kind: 'hold_limit' };

/** For a usage-limited link, under its row lock: what this client's press may do (see the top). */
async function decideHold(tx: Prisma.TransactionClient, linkId: string, clientKey: string, now: Date): Promise<HoldDecision> {
  const reusableSince = new Date(now.getTime() - (RESERVED_SESSION_SECONDS - REUSE_MARGIN_SECONDS) * 1000);
  // Only a session nobody has paid into yet is handed out again (a started konbini payment, say,
  // shows that buyer's payment slip).
  const held = await tx.checkout.findFirst({
    where: { linkId, clientKey, status: 'pending', createdAt: { gt: reusableSince }, payments: { none: {} } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, sessionUrl: true, createdAt: true },
  });
  if (held?.sessionUrl) return { kind: 'reuse', sessionUrl: held.sessionUrl, checkoutId: held.id };
  if (held && now.getTime() - held.createdAt.getTime() < OPENING_SECONDS * 1000) return { kind: 'opening' };

  const unpaid = await tx.checkout.count({
    where: {
      linkId,
      clientKey,
      status: { not: 'error' },
      createdAt: { gt: new Date(now.getTime() - UNPAID_HOLDS_WINDOW_MS) },
      payments: { none: { OR: [{ status: { in: ['captured', 'refunded'] } }, { capturedAt: { not: null } }] } },
    },
  });
  return unpaid >= MAX_UNPAID_HOLDS ? { kind: 'hold_limit' } : { kind: 'new' };
}

// A session must not stay payable after the link itself expires, nor after the place it holds
// under a usage limit, or the use of a capped discount code, is given back (countCheckoutsInFlight,
// discounts/code-uses.ts).
function sessionLifetimeSeconds(link: Link, now: Date, holdsCodeUse: boolean): number | undefined {
  const holds = [...(link.usageLimit === null ? [] : [RESERVED_SESSION_SECONDS]), ...(holdsCodeUse ? [CODE_HOLD_SECONDS] : [])];
  const cap = Math.min(MAX_SESSION_SECONDS, ...holds);
  const seconds = link.expiresAt === null ? cap : Math.max(Math.ceil((link.expiresAt.getTime() - now.getTime()) / 1000), 1);
  const lifetime = Math.min(seconds, cap);
  return lifetime < MAX_SESSION_SECONDS ? lifetime : undefined;
}

export interface CheckoutRequest {
  now?: Date;
  /** Who pressed (http/client-address.ts); presses without one (operator tools) are each their own client. */
  client?: string;
  /** The quantity field as posted (only an adjustable link reads it). */
  quantity?: unknown;
  /** The buyer's answers to what the link asks, already checked (links/buyer-fields.ts). */
  details?: BuyerDetails;
  /** On a buyer-chosen link: the preset pressed (its amount, or "custom") and the typed amount. */
  amountChoice?: unknown;
  customAmount?: unknown;
  /** The tip option chosen ("none" or its index). */
  tip?: unknown;
  /** The discount code typed, as typed. */
  code?: unknown;
}

export type PricedCheckout =
  | { ok: true; unitAmount: number; chosenAmount: number | null; amount: CheckoutAmount; code: DiscountCode | null }
  | Exclude<Extract<StartCheckoutResult, { kind: 'invalid' }>, { field: 'quantity' }>;

/**
 * What this press charges (payments/checkout-amount.ts): the unit amount (the link's, or the
 * buyer's choice within its range), the code (checked for this link now; its cap is checked again
 * under its lock) and the tip. Also the page's Apply button, which shows the total before Pay.
 */
export async function priceCheckout(prisma: Db, link: Link, options: CheckoutRequest & { quantity: number }, now: Date): Promise<PricedCheckout> {
  if (!isSupportedCurrency(link.currency)) return { kind: 'invalid', link, field: 'amount', reason: 'other_currency' };
  const currency = link.currency;
  // A subscription bills the link's fixed price every period: no buyer-chosen amount, tip or code.
  const fixedOnly = readBillingInterval(link.billingInterval) !== null;
  const price = fixedOnly ? ({ mode: 'fixed', amount: link.amount } as const) : readLinkPrice(link);
  let unitAmount = link.amount;
  let chosenAmount: number | null = null;
  if (price.mode === 'buyer') {
    const chosen = readBuyerAmount(options.amountChoice, options.customAmount, price, currency);
    if (!chosen.ok) return { kind: 'invalid', link, field: 'amount', reason: chosen.reason };
    unitAmount = chosen.amount;
    chosenAmount = chosen.amount;
  }
  const tips = fixedOnly ? null : readTipOptions(link.tipOptions);
  const tip = readBuyerTip(options.tip, tips);
  if (!tip.ok) return { kind: 'invalid', link, field: 'tip', reason: tip.reason };
  let code: DiscountCode | null = null;
  let discount = null;
  if (!fixedOnly && typeof options.code === 'string' && options.code.trim() !== '') {
    const found = await findCodeForLink(prisma, link, options.code, now);
    if (!found.ok) return { kind: 'invalid', link, field: 'code', reason: found.reason };
    code = found.code;
    discount = found.off;
  }
  const amount = checkoutAmount({ unitAmount, quantity: options.quantity, currency, discount, tips, tipOption: tip.option });
  if (!amount.ok) return amount.reason === 'too_large' ? { kind: 'invalid', link, field: 'amount', reason: 'too_large' } : { kind: 'invalid', link, field: 'code', reason: amount.reason };
  return { ok: true, unitAmount, chosenAmount, amount: amount.amount, code };
}

/** The one line KOMOJU's page shows; its amount × quantity is always the session amount. */
function lineItemFor(link: Link, priced: Extract<PricedCheckout, { ok: true }>, quantity: number): { description: string; amount: number; quantity: number } {
  const { amount, code } = priced;
  if (amount.discount === 0 && amount.tip === 0) return { description: link.productName, amount: priced.unitAmount, quantity };
  const language = isLanguage(link.language) ? link.language : 'ja';
  const t = translator(language, 'pages');
  const parts = [quantity > 1 ? t('link.lineItem.quantity', { product: link.productName, count: quantity }) : link.productName];
  if (code && amount.discount > 0) parts.push(t('link.lineItem.discount', { code: code.code, amount: formatStoredPrice(amount.discount, link.currency, language) }));
  if (amount.tip > 0) parts.push(t('link.lineItem.tip', { amount: formatStoredPrice(amount.tip, link.currency, language) }));
  return { description: parts.join(t('link.lineItem.separator')), amount: amount.total, quantity: 1 };
}

// KOMOJU metadata values are at most 2,000 characters; ours are far shorter (see buyer-fields.ts).
function buyerMetadata(details: BuyerDetails | undefined): Record<string, string> {
  if (!details) return {};
  const metadata: Record<string, string> = {};
  if (details.name) metadata.buyerName = details.name;
  if (details.phone) metadata.buyerPhone = details.phone;
  if (details.address) {
    const { address } = details;
    metadata.shippingAddress = [address.country, address.postalCode, address.line1, address.line2].filter(Boolean).join(' ');
  }
  if (details.answer) metadata.buyerAnswer = `${details.answer.question} ${details.answer.text}`;
  return metadata;
}

/** What the buyer chose, for KOMOJU's dashboard (amounts in the smallest unit, as text). */
function choiceMetadata(priced: Extract<PricedCheckout, { ok: true }>): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (priced.chosenAmount !== null) metadata.chosenAmount = String(priced.chosenAmount);
  if (priced.code) {
    metadata.discountCode = priced.code.code;
    metadata.discountAmount = String(priced.amount.discount);
  }
  if (priced.amount.tip > 0) metadata.tipAmount = String(priced.amount.tip);
  return metadata;
}

export async function startCheckout(deps: CheckoutDeps, link: Link, options: CheckoutRequest = {}): Promise<StartCheckoutResult> {
  const now = options.now ?? new Date();
  const clientKey = options.client === undefined ? null : checkoutClientKey(deps.config.appSecret, options.client);
  const { prisma, config, log } = deps;
  let provider;
  try {
    ({ provider } = await providerForLink(deps, link));
  } catch (error) {
    // E.g. the merchant's stored keys no longer decrypt (APP_SECRET changed): the operator must act.
    log.error({ linkId: link.id, err: error }, 'checkout: no payment provider for this link');
    return { kind: 'provider_error', link, checkoutId: null };
  }
  if (!servesLinkMode(provider, link)) {
    log.warn(
      { linkId: link.id, linkTestMode: link.testMode, providerTestMode: provider.testMode },
      "checkout refused: the link was made in another mode (test/live) than the shop's payment account is in now; the shop must issue a new link",
    );
    return { kind: 'mode_mismatch', link };
  }

  const subscription = readBillingInterval(link.billingInterval) !== null;
  // One unit per subscription, whatever an older edit left in the quantity columns.
  const range = subscription ? { min: 1, max: 1 } : { min: link.quantityMin, max: link.quantityMax };
  // The field alone first: a bad value starts nothing and takes no lock.
  const asked = readBuyerQuantity(options.quantity, range, null);
  if (!asked.ok) return { kind: 'invalid', link, field: 'quantity', reason: asked.reason, placesLeft: null };
  const quantity = asked.quantity;
  const priced = await priceCheckout(prisma, link, { ...options, quantity }, now);
  if (!('ok' in priced)) return priced;
  const { code } = priced;

  // A subscription link's session saves the buyer's card (customer mode, card only); the
  // subscription is created once it completed (payments/subscriptions/ensure-subscription.ts).
  const paymentTypes = subscription ? SUBSCRIPTION_PAYMENT_TYPES : readPaymentTypes(link.paymentTypes);
  const checkoutId = newCheckoutId();
  const orderNumber = newOrderNumber();
  type Decision = HoldDecision | { kind: 'closed'; availability: Exclude<LinkAvailability, 'open'> } | { kind: 'too_many'; placesLeft: number } | { kind: 'code_used_up' } | { kind: 'code_held' };
  const decision = await prisma.$transaction(async (tx): Promise<Decision> => {
    await lockLink(tx, link.id);
    // Re-read under the lock: the merchant may have just deactivated it.
    const current = await tx.link.findUnique({ where: { id: link.id } });
    if (!current) return { kind: 'closed', availability: 'inactive' };
    const hold = current.usageLimit !== null && clientKey !== null ? await decideHold(tx, link.id, clientKey, now) : { kind: 'new' as const };
    const { availability: state, placesLeft } = await linkPlaces(tx, current, now);
    // A closed link stays closed even for a client holding a place of it (e.g. just deactivated).
    if (state !== 'open' && (hold.kind !== 'reuse' || state !== 'reserved')) return { kind: 'closed', availability: state };
    if (hold.kind === 'opening') return { kind: 'closed', availability: 'reserved' };
    if (hold.kind === 'new') {
      // A quantity-3 purchase uses 3 of the usage limit's places.
      if (placesLeft !== null && quantity > placesLeft) return { kind: 'too_many', placesLeft };
      // The code's cap is decided one checkout at a time, like the link's places (code-uses.ts).
      if (code && code.usageCap !== null) {
        await lockCode(tx, code.id);
        // The same press again (same link, same total) goes back to its session; anything else waits for it to end.
        const held = clientKey === null ? null : await clientCodeHold(tx, code.id, clientKey, now);
        if (held?.sessionUrl && held.linkId === link.id && held.amount === priced.amount.total) return { kind: 'reuse', sessionUrl: held.sessionUrl, checkoutId: held.id };
        if (held) return { kind: 'code_held' };
        if (!(await hasUseLeft(tx, code, now))) return { kind: 'code_used_up' };
      }
      const chosen = {
        chosenAmount: priced.chosenAmount,
        discountCodeId: code?.id ?? null,
        discountCode: code?.code ?? null,
        discountAmount: priced.amount.discount,
        tipAmount: priced.amount.tip,
        amount: priced.amount.total,
      };
      const buyerDetails = options.details && Object.keys(options.details).length > 0 ? { buyerDetails: options.details as Prisma.InputJsonObject } : {};
      await tx.checkout.create({ data: { id: checkoutId, orderNumber, linkId: link.id, provider: provider.name, clientKey, quantity, ...chosen, ...buyerDetails } });
    }
    return hold;
  });
  if (decision.kind === 'closed') return { kind: 'closed', link, availability: decision.availability };
  if (decision.kind === 'too_many') return { kind: 'invalid', link, field: 'quantity', reason: 'not_enough_left', placesLeft: decision.placesLeft };
  if (decision.kind === 'code_used_up') return { kind: 'invalid', link, field: 'code', reason: 'used_up' };
  if (decision.kind === 'code_held') return { kind: 'invalid', link, field: 'code', reason: 'held' };
  if (decision.kind === 'hold_limit') return { kind: 'hold_limit', link };
  if (decision.kind === 'reuse') return { kind: 'redirect', sessionUrl: decision.sessionUrl, checkoutId: decision.checkoutId, reused: true };

  try {
    const session = await provider.createSession({
      amount: priced.amount.total,
      currency: link.currency,
      locale: isLanguage(link.language) ? link.language : 'ja',
      returnUrl: `${linkPageUrl(config.publicBaseUrl, link.slug)}/return`,
      lineItem: { ...lineItemFor(link, priced, quantity), imageUrl: link.imageId ? mediaUrl(config.publicBaseUrl, link.imageId) : undefined },
      metadata: { ...buyerMetadata(options.details), ...choiceMetadata(priced), [LINK_ID_METADATA_KEY]: link.id, [CHECKOUT_ID_METADATA_KEY]: checkoutId },
      ...(options.details?.email ? { email: options.details.email } : {}),
      ...(paymentTypes.length > 0 ? { paymentTypes } : {}),
      ...(subscription ? { mode: 'customer' as const } : {}),
      orderNumber,
      idempotencyKey: checkoutId,
      expiresInSeconds: sessionLifetimeSeconds(link, now, code !== null && code.usageCap !== null),
    });
    await prisma.checkout.update({
      where: { id: checkoutId },
      data: { sessionId: session.id, sessionUrl: session.sessionUrl, ...(subscription && session.customerId ? { customerId: session.customerId } : {}) },
    });
    return { kind: 'redirect', sessionUrl: session.sessionUrl, checkoutId, reused: false };
  } catch (error) {
    await prisma.checkout.update({ where: { id: checkoutId }, data: { status: 'error' } });
    const detail = error instanceof Error ? error.message : String(error);
    const fields = error instanceof ProviderError ? { code: error.code, status: error.status, retryable: error.retryable } : {};
    log.error({ linkId: link.id, checkoutId, provider: provider.name, ...fields, detail }, 'checkout: provider could not open a session');
    return { kind: 'provider_error', link, checkoutId };
  }
}
