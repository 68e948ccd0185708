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
import { isLanguage } from '../i18n/i18n.js';
import { linkPageUrl, mediaUrl } from '../links/link-urls.js';
import type { Logger } from '../logger.js';
import { readBuyerQuantity, type BuyerQuantityError } from '../links/quantity.js';
import type { BuyerDetails } from '../links/buyer-fields.js';
import { readPaymentTypes } from '../links/payment-types.js';
import { readBillingInterval, SUBSCRIPTION_PAYMENT_TYPES } from '../links/billing.js';
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
// under a usage limit is given back (see countCheckoutsInFlight).
function sessionLifetimeSeconds(link: Link, now: Date): number | undefined {
  const cap = link.usageLimit === null ? MAX_SESSION_SECONDS : RESERVED_SESSION_SECONDS;
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

  // A subscription link's session saves the buyer's card (customer mode, card only); the
  // subscription is created once it completed (payments/subscriptions/ensure-subscription.ts).
  const paymentTypes = subscription ? SUBSCRIPTION_PAYMENT_TYPES : readPaymentTypes(link.paymentTypes);
  const checkoutId = newCheckoutId();
  type Decision = HoldDecision | { kind: 'closed'; availability: Exclude<LinkAvailability, 'open'> } | { kind: 'too_many'; placesLeft: number };
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
      const buyerDetails = options.details && Object.keys(options.details).length > 0 ? { buyerDetails: options.details as Prisma.InputJsonObject } : {};
      await tx.checkout.create({ data: { id: checkoutId, linkId: link.id, provider: provider.name, clientKey, quantity, ...buyerDetails } });
    }
    return hold;
  });
  if (decision.kind === 'closed') return { kind: 'closed', link, availability: decision.availability };
  if (decision.kind === 'too_many') return { kind: 'invalid', link, field: 'quantity', reason: 'not_enough_left', placesLeft: decision.placesLeft };
  if (decision.kind === 'hold_limit') return { kind: 'hold_limit', link };
  if (decision.kind === 'reuse') return { kind: 'redirect', sessionUrl: decision.sessionUrl, checkoutId: decision.checkoutId, reused: true };

  try {
    const session = await provider.createSession({
      amount: link.amount * quantity,
      currency: link.currency,
      locale: isLanguage(link.language) ? link.language : 'ja',
      returnUrl: `${linkPageUrl(config.publicBaseUrl, link.slug)}/return`,
      lineItem: {
        description: link.productName,
        amount: link.amount,
        quantity,
        imageUrl: link.imageId ? mediaUrl(config.publicBaseUrl, link.imageId) : undefined,
      },
      metadata: { ...buyerMetadata(options.details), [LINK_ID_METADATA_KEY]: link.id, [CHECKOUT_ID_METADATA_KEY]: checkoutId },
      ...(options.details?.email ? { email: options.details.email } : {}),
      ...(paymentTypes.length > 0 ? { paymentTypes } : {}),
      ...(subscription ? { mode: 'customer' as const } : {}),
      idempotencyKey: checkoutId,
      expiresInSeconds: sessionLifetimeSeconds(link, now),
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
