// The Pay button: the order read from the form (read-checkout-form.ts) is checked once more against
// the offer under the link's lock (places may have gone since the page was read), the checkout is
// recorded, a provider session opened for it and the page the buyer goes to handed back. One press, one session — except on a
// link with a usage limit, where each checkout holds a place while it can be paid, and so:
//   - a client (one address, see http/client-address.ts) holds at most ONE place of a link: a
//     further press from it goes back to the session it already holds (no new session, no new
//     pending payment), so pressing Pay a hundred times holds one place, not a hundred;
//   - a hold is short (CHECKOUT_HOLD_SECONDS) and the session expires with it, so a place held
//     by a buyer who walked away comes back soon and can never be paid after it came back;
//   - a client whose holds on a link ended unpaid MAX_UNPAID_HOLDS times in a day gets no new one
//     there until the day is over, so one client cannot keep renewing its hold to close the link.
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Prisma as Db } from '../db/database.js';
import type { SqlQuery } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { BuyerLink } from '../links/buyer-link.js';
import { isLanguage, translator } from '../i18n/i18n.js';
import { formatStoredPrice } from '../i18n/format.js';
import { clientCodeHoldSql, codeUsesSql, type CodeHoldRow } from '../discounts/code-uses.js';
import { CHECKOUT_HOLD_SECONDS } from '../links/checkout-holds.js';
import { NO_LIVE_STATE, offerFor, offerTermsOf, type ClosedOffer } from '../links/offer-rule.js';
import { linkPageUrl, mediaUrl } from '../links/link-urls.js';
import type { Logger } from '../logger.js';
import type { BuyerDetails } from '../links/buyer-fields.js';
import { readPaymentTypes } from '../links/payment-types.js';
import { readBillingInterval, SUBSCRIPTION_PAYMENT_TYPES } from '../links/billing.js';
import { liveStateOf, maxPlacesTaken, placesSql, type PlacesRow } from './link-offer.js';
import type { CheckoutOrder } from './read-checkout-form.js';
import { newOrderNumber } from './order-number.js';
import { openMerchantKomojuKeys, type SealedKomojuKeys } from '../merchants/komoju-keys.js';
import { providerForKeys, providerForLink, servesLinkMode } from './provider-for-link.js';
import { ProviderError } from './provider.js';
import { CHECKOUT_ID_METADATA_KEY, LINK_ID_METADATA_KEY } from './record-payment-event.js';

// A KOMOJU session lives at most 24 h.
const MAX_SESSION_SECONDS = 86_400;
// A held session is handed out again only while it has this long left to be paid in.
const REUSE_MARGIN_SECONDS = 120;
// A press whose session is still being opened (the provider is slow) blocks a second hold this long.
const OPENING_SECONDS = 60;
/** Holds of one link a client may let lapse unpaid within UNPAID_HOLDS_WINDOW_MS. */
const MAX_UNPAID_HOLDS = 3;
const UNPAID_HOLDS_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CheckoutDeps {
  prisma: Db;
  /** The same database's plain SQL (named prepared statements on PostgreSQL): the buyer's hot path. */
  db: SqlQuery;
  config: Config;
  log: Logger;
}

export type StartCheckoutResult =
  /** `reused`: the client already held a place of this link; it goes back to that session. */
  | { kind: 'redirect'; sessionUrl: string; checkoutId: string; reused: boolean }
  /** This client let MAX_UNPAID_HOLDS holds of this usage-limited link lapse unpaid today. */
  | { kind: 'hold_limit'; link: BuyerLink }
  /** The offer closed since the page was read (checked under the link's lock). */
  | { kind: 'closed'; link: BuyerLink; offer: ClosedOffer }
  /** Places went since the page was read: fewer are left than the order's quantity; nothing was started. */
  | { kind: 'invalid'; link: BuyerLink; field: 'quantity'; reason: 'not_enough_left'; placesLeft: number }
  /** The code's cap was reached, or this client holds its use on another order (checked under the code's lock). */
  | { kind: 'invalid'; link: BuyerLink; field: 'code'; reason: 'unknown' | 'held' }
  /** The provider in use now is live and the link was made in test mode, or the other way round. */
  | { kind: 'mode_mismatch'; link: BuyerLink }
  | { kind: 'provider_error'; link: BuyerLink; checkoutId: string | null };

function newCheckoutId(): string {
  return `chk_${randomBytes(12).toString('hex')}`;
}

/** The stored form of a client's address: keyed, so the table never holds buyers' addresses. */
function checkoutClientKey(appSecret: string, client: string): string {
  return createHmac('sha256', appSecret).update(`checkout-client:${client}`).digest('base64url').slice(0, 32);
}

type HoldDecision = { kind: 'new' } | { kind: 'reuse'; sessionUrl: string; checkoutId: string } | { kind: 'opening' } | { kind: 'hold_limit' };

/**
 * The checkout of the link this client still holds a place with, if its session can be handed out
 * again: nobody has paid into it yet (a started konbini payment, say, shows that buyer's payment
 * slip) — a declined attempt is not a payment, and the session still holds its place, so the buyer
 * goes back to it rather than taking a second place. At most one row: the newest.
 */
function reusableHoldSql(linkId: string, clientKey: string, now: Date): Prisma.Sql {
  const reusableSince = new Date(now.getTime() - (CHECKOUT_HOLD_SECONDS - REUSE_MARGIN_SECONDS) * 1000);
  return Prisma.sql`
    SELECT c."id", c."sessionUrl", c."createdAt"
      FROM "Checkout" c
     WHERE c."linkId" = ${linkId} AND c."clientKey" = ${clientKey} AND c."status" = 'pending' AND c."createdAt" > ${reusableSince}
       AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p."checkoutId" = c."id" AND NOT (p."status" = 'failed' AND p."capturedAt" IS NULL))
     ORDER BY c."createdAt" DESC
     LIMIT 1`;
}

/**
 * Where Pay sends a client back to while every place is held (by others, and one by itself): its
 * own session, or null. Read-only: handing out a session already opened takes nothing.
 */
export async function heldSessionUrl(deps: CheckoutDeps, link: BuyerLink, client: string, now: Date): Promise<string | null> {
  if (link.usageLimit === null) return null;
  const read = reusableHoldSql(link.id, checkoutClientKey(deps.config.appSecret, client), now);
  const [held] = await deps.db.query<{ sessionUrl: string | null }>(read.text, read.values);
  return held?.sessionUrl ?? null;
}

interface HoldRow {
  id: string | null;
  sessionUrl: string | null;
  createdAt: Date | null;
  unpaid: number;
}

/** This client's hold it may go back to, and its holds of the link that ended unpaid today: one row. */
function holdSql(linkId: string, clientKey: string, now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT h."id", h."sessionUrl", h."createdAt", u."unpaid"
      FROM (SELECT count(*)::int AS "unpaid"
              FROM "Checkout" c
             WHERE c."linkId" = ${linkId} AND c."clientKey" = ${clientKey} AND c."status" <> 'error'
               AND c."createdAt" > ${new Date(now.getTime() - UNPAID_HOLDS_WINDOW_MS)}
               AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p."checkoutId" = c."id" AND (p."status" IN ('captured', 'refunded') OR p."capturedAt" IS NOT NULL))) u
      LEFT JOIN LATERAL (${reusableHoldSql(linkId, clientKey, now)}) h ON true`;
}

/** For a usage-limited link, under its row lock: what this client's press may do (see the top). */
function holdDecision(row: HoldRow, now: Date): HoldDecision {
  if (row.id && row.sessionUrl) return { kind: 'reuse', sessionUrl: row.sessionUrl, checkoutId: row.id };
  if (row.createdAt && now.getTime() - new Date(row.createdAt).getTime() < OPENING_SECONDS * 1000) return { kind: 'opening' };
  return row.unpaid >= MAX_UNPAID_HOLDS ? { kind: 'hold_limit' } : { kind: 'new' };
}

/** The checkout a press records (its columns, as checkout_under_lock inserts them). */
interface CheckoutRow {
  id: string;
  orderNumber: string;
  linkId: string;
  provider: string;
  clientKey: string | null;
  quantity: number;
  chosenAmount: number | null;
  discountCodeId: string | null;
  discountCode: string | null;
  discountAmount: number;
  tipAmount: number;
  amount: number;
  buyerDetails: BuyerDetails | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The checkout in one statement, when nothing is counted (plain SQL: no ORM on the buyer's path). */
function insertCheckoutSql(c: CheckoutRow): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "Checkout" ("id", "orderNumber", "linkId", "provider", "clientKey", "quantity", "chosenAmount", "discountCodeId", "discountCode",
                            "discountAmount", "tipAmount", "amount", "buyerDetails", "createdAt", "updatedAt")
    VALUES (${c.id}, ${c.orderNumber}, ${c.linkId}, ${c.provider}, ${c.clientKey}, ${c.quantity}, ${c.chosenAmount}, ${c.discountCodeId}, ${c.discountCode},
            ${c.discountAmount}, ${c.tipAmount}, ${c.amount}, ${c.buyerDetails === null ? null : JSON.stringify(c.buyerDetails)}::jsonb, ${c.createdAt}, ${c.updatedAt})`;
}

/** What of a link the offer rule reads and the link's lock guards, as the press read it or as committed under the lock. */
type LockedTerms = Pick<BuyerLink, 'status' | 'expiresAt' | 'usageLimit' | 'quantityMin' | 'quantityMax' | 'billingInterval'>;

/** What checkout_under_lock read under the locks: the terms, and what the press counts (absent when not read). */
type LockedRead = Omit<LockedTerms, 'expiresAt'> & { expiresAt: string | null; admit: boolean; codeUses?: number } & Partial<PlacesRow & HoldRow & CodeHoldRow>;

/** What the press would count against (see lockedReadSql): read only when there is something to count. */
interface Counted {
  places: boolean;
  hold: boolean;
  code: { id: string; cap: number } | null;
}

type LinkPriceColumns = Pick<BuyerLink, 'priceMode' | 'amount' | 'amountMin' | 'amountMax' | 'amountPresets' | 'tipOptions'>;

/**
 * The read checkout_under_lock runs under the link's lock (and the code's): the link's terms as
 * committed, its places (link-offer.ts, the page's own SQL), this client's holds, the code's uses
 * and this client's use of it; and "admit", whether the order goes in: the terms are still the ones
 * the bound was derived from, the places taken are within it (maxPlacesTaken), the client's hold
 * lets it take a new one (holdDecision: none to go back to, none opening, not too many unpaid) and
 * the code has a use left that this client does not already hold.
 */
function lockedReadSql(terms: LockedTerms & LinkPriceColumns, counted: Counted, linkId: string, clientKey: string | null, quantity: number, now: Date): Prisma.Sql {
  const joins: Prisma.Sql[] = [];
  const admit: Prisma.Sql[] = [
    Prisma.sql`(lk."status", lk."expiresAt", lk."usageLimit", lk."quantityMin", lk."quantityMax", lk."billingInterval")
               IS NOT DISTINCT FROM (${terms.status}::text, ${terms.expiresAt}::timestamptz, ${terms.usageLimit}::int, ${terms.quantityMin}::int, ${terms.quantityMax}::int, ${terms.billingInterval}::text)`,
  ];
  if (counted.places) {
    joins.push(Prisma.sql`CROSS JOIN LATERAL (${placesSql(Prisma.sql`lk."id"`, now)}) s`);
    const max = maxPlacesTaken(terms, quantity, now);
    admit.push(max === null ? Prisma.sql`false` : Prisma.sql`s."captured" + s."inFlight" + s."awaiting" <= ${max}`);
  } else {
    const offer = offerFor(offerTermsOf(terms), NO_LIVE_STATE, now);
    if (!offer.open || quantity > offer.quantity.max) admit.push(Prisma.sql`false`);
  }
  if (counted.hold && clientKey !== null) {
    joins.push(Prisma.sql`CROSS JOIN (${holdSql(linkId, clientKey, now)}) d`);
    admit.push(Prisma.sql`NOT (d."id" IS NOT NULL AND d."sessionUrl" IS NOT NULL)
                          AND (d."createdAt" IS NULL OR d."createdAt" <= ${new Date(now.getTime() - OPENING_SECONDS * 1000)})
                          AND d."unpaid" < ${MAX_UNPAID_HOLDS}`);
  }
  if (counted.code) {
    joins.push(Prisma.sql`CROSS JOIN (SELECT ${codeUsesSql(counted.code.id, now)} AS "codeUses") u`);
    admit.push(Prisma.sql`u."codeUses" < ${counted.code.cap}`);
    if (clientKey !== null) {
      joins.push(Prisma.sql`LEFT JOIN LATERAL (${clientCodeHoldSql(counted.code.id, clientKey, now)}) ch ON true`);
      admit.push(Prisma.sql`ch."codeHoldId" IS NULL`);
    }
  }
  return Prisma.sql`
    SELECT to_jsonb(r) FROM (
      SELECT lk."status", lk."expiresAt", lk."usageLimit", lk."quantityMin", lk."quantityMax", lk."billingInterval", ${Prisma.raw(
        [counted.places ? 's.*' : '', counted.hold && clientKey !== null ? 'd.*' : '', counted.code ? 'u.*' : '', counted.code && clientKey !== null ? 'ch.*' : '']
          .filter(Boolean)
          .map((columns) => `${columns}, `)
          .join(''),
      )}(${Prisma.join(admit, ' AND ')}) AS "admit"
        FROM "Link" lk ${joins.length > 0 ? Prisma.join(joins, ' ') : Prisma.empty}
       WHERE lk."id" = ${linkId}) r`;
}

/**
 * A read for checkout_under_lock (prepared there, see its migration): its parameters go as one text array ($1), each cast
 * back to the type it was bound with (the function's signature cannot vary with the read).
 */
function asExecute(sql: Prisma.Sql): { text: string; args: (string | null)[] } {
  const { values } = sql;
  const text = sql.text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    const cast = value instanceof Date ? '::timestamptz' : typeof value === 'number' ? '::numeric' : typeof value === 'boolean' ? '::boolean' : '';
    return `($1[${n}]${cast})`;
  });
  const args = values.map((value) => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error('only a text, number, boolean or date parameter can go through checkout_under_lock');
  });
  return { text, args };
}

function sameTerms(a: LockedTerms, b: LockedTerms): boolean {
  return (
    a.status === b.status &&
    (a.expiresAt?.getTime() ?? null) === (b.expiresAt?.getTime() ?? null) &&
    a.usageLimit === b.usageLimit &&
    a.quantityMin === b.quantityMin &&
    a.quantityMax === b.quantityMax &&
    a.billingInterval === b.billingInterval
  );
}

const CHECKOUT_UNDER_LOCK_SQL = `SELECT checkout_under_lock($1, $2, $3, $4::text[], $5::jsonb) AS "read"`;

// The session opened for a checkout; a subscription's customer only when the provider made one.
const SESSION_SQL = `UPDATE "Checkout" SET "sessionId" = $2, "sessionUrl" = $3, "customerId" = COALESCE($4, "customerId"), "updatedAt" = now() WHERE "id" = $1`;

// A session must not stay payable after the link itself expires, nor after the place it holds
// under a usage limit, or the use of a capped discount code, is given back (links/checkout-holds.ts).
function sessionLifetimeSeconds(link: BuyerLink, now: Date, holdsCodeUse: boolean): number | undefined {
  const cap = link.usageLimit !== null || holdsCodeUse ? CHECKOUT_HOLD_SECONDS : MAX_SESSION_SECONDS;
  const seconds = link.expiresAt === null ? cap : Math.max(Math.ceil((link.expiresAt.getTime() - now.getTime()) / 1000), 1);
  const lifetime = Math.min(seconds, cap);
  return lifetime < MAX_SESSION_SECONDS ? lifetime : undefined;
}

export interface CheckoutOptions {
  now?: Date;
  /** Who pressed (http/client-address.ts); presses without one (operator tools) are each their own client. */
  client?: string;
  /** The shop's keys as read with the link at the press (payments/link-page-state.ts); read here when absent. */
  keys?: SealedKomojuKeys;
}

/** The one line KOMOJU's page shows; its amount × quantity is always the session amount. */
function lineItemFor(link: BuyerLink, priced: CheckoutOrder, quantity: number): { description: string; amount: number; quantity: number } {
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
function choiceMetadata(priced: CheckoutOrder): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (priced.chosenAmount !== null) metadata.chosenAmount = String(priced.chosenAmount);
  if (priced.code) {
    metadata.discountCode = priced.code.code;
    metadata.discountAmount = String(priced.amount.discount);
  }
  if (priced.amount.tip > 0) metadata.tipAmount = String(priced.amount.tip);
  return metadata;
}

export async function startCheckout(deps: CheckoutDeps, link: BuyerLink, order: CheckoutOrder, options: CheckoutOptions = {}): Promise<StartCheckoutResult> {
  const now = options.now ?? new Date();
  const clientKey = options.client === undefined ? null : checkoutClientKey(deps.config.appSecret, options.client);
  const { prisma, config, log } = deps;
  let provider;
  try {
    ({ provider } = options.keys === undefined ? await providerForLink(deps, link) : providerForKeys(deps, openMerchantKomojuKeys(config.appSecret, options.keys), link));
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
  const { code, quantity } = order;
  // A subscription link's session saves the buyer's card (customer mode, card only); the
  // subscription is created once it completed (payments/subscriptions/ensure-subscription.ts).
  const paymentTypes = subscription ? SUBSCRIPTION_PAYMENT_TYPES : readPaymentTypes(link.paymentTypes);
  const checkoutId = newCheckoutId();
  const orderNumber = newOrderNumber();
  type Decision = HoldDecision | { kind: 'closed'; offer: ClosedOffer } | { kind: 'too_many'; placesLeft: number } | { kind: 'code_used_up' } | { kind: 'code_held' };
  const at = new Date();
  const checkout: CheckoutRow = {
    id: checkoutId,
    orderNumber,
    linkId: link.id,
    provider: provider.name,
    clientKey,
    quantity,
    chosenAmount: order.chosenAmount,
    discountCodeId: code?.id ?? null,
    discountCode: code?.code ?? null,
    discountAmount: order.amount.discount,
    tipAmount: order.amount.tip,
    amount: order.amount.total,
    buyerDetails: order.details && Object.keys(order.details).length > 0 ? order.details : null,
    createdAt: at,
    updatedAt: at,
  };
  const capped = code !== null && code.usageCap !== null ? { id: code.id, cap: code.usageCap } : null;
  /**
   * The press decided by the one offer rule (and, counted under the lock, the client's hold and the
   * code's uses): whether it takes a new checkout (`new`), or what it gets instead.
   */
  const decide = (terms: LockedTerms, read: LockedRead | null): Decision => {
    const current = { ...link, ...terms };
    const state = read?.captured === undefined ? NO_LIVE_STATE : liveStateOf(read as PlacesRow, false);
    const hold: HoldDecision = read?.unpaid === undefined ? { kind: 'new' } : holdDecision(read as HoldRow, now);
    // The same rule the page was rendered from, on the counts as committed now.
    const offer = offerFor(offerTermsOf(current), state, now);
    // A closed link stays closed even for a client holding a place of it (e.g. just deactivated).
    if (!offer.open && (hold.kind !== 'reuse' || offer.reason !== 'reserved')) return { kind: 'closed', offer };
    if (hold.kind === 'opening') return { kind: 'closed', offer: { open: false, reason: 'reserved', freesAt: new Date(now.getTime() + OPENING_SECONDS * 1000), byAwaiting: false } };
    if (hold.kind !== 'new' || !offer.open) return hold;
    // A quantity-3 purchase uses 3 of the usage limit's places.
    if (quantity > offer.quantity.max) return { kind: 'too_many', placesLeft: offer.placesLeft ?? 0 };
    if (capped && read) {
      // The same press again (same link, same total) goes back to its session; anything else waits for it to end.
      if (read.codeHoldId) {
        if (read.codeHoldSessionUrl && read.codeHoldLinkId === link.id && read.codeHoldAmount === order.amount.total)
          return { kind: 'reuse', sessionUrl: read.codeHoldSessionUrl, checkoutId: read.codeHoldId };
        return { kind: 'code_held' };
      }
      if ((read.codeUses ?? 0) >= capped.cap) return { kind: 'code_used_up' };
    }
    return { kind: 'new' };
  };
  /**
   * Under the link's row lock (and the capped code's), in one round trip: checkout_under_lock
   * (migration 20261207180000) reads the places, holds and uses as committed now and inserts the
   * checkout when the read admits it. The rule is applied again here to the same read, to say why
   * not; the two must agree. Terms changed since the page's read (the merchant edited the link)
   * make the bound stale: the press is then tried again against the terms as committed.
   */
  const decideUnderLock = async (): Promise<Decision> => {
    let terms: LockedTerms = link;
    for (let attempt = 0; attempt < 3; attempt++) {
      const counted: Counted = { places: terms.usageLimit !== null, hold: terms.usageLimit !== null && clientKey !== null, code: capped };
      const { text, args } = asExecute(lockedReadSql({ ...link, ...terms }, counted, link.id, clientKey, quantity, now));
      const [row] = await deps.db.query<{ read: LockedRead | null }>(CHECKOUT_UNDER_LOCK_SQL, [link.id, capped?.id ?? null, text, args, JSON.stringify(checkout)]);
      const read = row?.read ?? null;
      if (!read) return { kind: 'closed', offer: { open: false, reason: 'inactive' } };
      const committed: LockedTerms = { ...read, expiresAt: read.expiresAt === null ? null : new Date(read.expiresAt) };
      if (!sameTerms(terms, committed)) {
        if (read.admit) throw new Error(`checkout ${checkoutId} admitted against changed terms`);
        terms = committed;
        continue;
      }
      const decision = decide(committed, read);
      if (read.admit !== (decision.kind === 'new')) {
        if (read.admit) await deps.db.query(`UPDATE "Checkout" SET "status" = 'error', "updatedAt" = now() WHERE "id" = $1`, [checkoutId]);
        throw new Error(`checkout under lock: the database's bound (admit ${read.admit}) and the offer rule (${decision.kind}) disagree on link ${link.id}`);
      }
      return decision;
    }
    throw new Error(`checkout under lock: the terms of link ${link.id} kept changing`);
  };
  // Without a usage limit or a capped code there are no places or uses to count, so nothing to
  // take one at a time: the terms as this press read them (with the link, payments/link-page-state.ts),
  // then the checkout — no transaction (a deactivation committed between them is as if it came just
  // after the press). Otherwise the decision is taken under the link's row lock (decideUnderLock).
  const nothingToCount = link.usageLimit === null && capped === null;
  let decision: Decision;
  if (nothingToCount) {
    decision = decide(link, null);
    if (decision.kind === 'new') {
      const insert = insertCheckoutSql(checkout);
      await deps.db.query(insert.text, insert.values);
    }
  } else decision = await decideUnderLock();
  if (decision.kind === 'closed') return { kind: 'closed', link, offer: decision.offer };
  if (decision.kind === 'too_many') return { kind: 'invalid', link, field: 'quantity', reason: 'not_enough_left', placesLeft: decision.placesLeft };
  if (decision.kind === 'code_used_up') return { kind: 'invalid', link, field: 'code', reason: 'unknown' };
  if (decision.kind === 'code_held') return { kind: 'invalid', link, field: 'code', reason: 'held' };
  if (decision.kind === 'hold_limit') return { kind: 'hold_limit', link };
  if (decision.kind === 'reuse') return { kind: 'redirect', sessionUrl: decision.sessionUrl, checkoutId: decision.checkoutId, reused: true };
  const priced = order;

  try {
    const session = await provider.createSession({
      amount: priced.amount.total,
      currency: link.currency,
      locale: isLanguage(link.language) ? link.language : 'ja',
      returnUrl: `${linkPageUrl(config.publicBaseUrl, link.slug)}/return`,
      lineItem: { ...lineItemFor(link, priced, quantity), imageUrl: link.imageId ? mediaUrl(config.publicBaseUrl, link.imageId) : undefined },
      metadata: { ...buyerMetadata(order.details), ...choiceMetadata(priced), [LINK_ID_METADATA_KEY]: link.id, [CHECKOUT_ID_METADATA_KEY]: checkoutId },
      ...(order.details?.email ? { email: order.details.email } : {}),
      ...(paymentTypes.length > 0 ? { paymentTypes } : {}),
      ...(subscription ? { mode: 'customer' as const } : {}),
      orderNumber,
      idempotencyKey: checkoutId,
      expiresInSeconds: sessionLifetimeSeconds(link, now, code !== null && code.usageCap !== null),
    });
    await deps.db.query(SESSION_SQL, [checkoutId, session.id, session.sessionUrl, subscription && session.customerId ? session.customerId : null]);
    return { kind: 'redirect', sessionUrl: session.sessionUrl, checkoutId, reused: false };
  } catch (error) {
    await prisma.checkout.update({ where: { id: checkoutId }, data: { status: 'error' } });
    const detail = error instanceof Error ? error.message : String(error);
    const fields = error instanceof ProviderError ? { code: error.code, status: error.status, retryable: error.retryable } : {};
    log.error({ linkId: link.id, checkoutId, provider: provider.name, ...fields, detail }, 'checkout: provider could not open a session');
    return { kind: 'provider_error', link, checkoutId };
  }
}
