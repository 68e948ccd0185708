// The Pay button (POST /l/:slug/checkout), and Apply / Show total on the same form: from the press
// to what the buyer sees next. The form token must be ours and the post from our own pages; the
// client's presses are rate-limited; the form is read once against the offer as it is at the
// press (the same rule the page was rendered from), checked against the prices the page signed,
// and only then is a checkout started.
import type { BuyerLink } from '../links/buyer-link.js';
import type { OpenOffer } from '../links/offer-rule.js';
import type { ShopBrand } from '../pages/buyer-page-parts.js';
import { readFormToken } from '../pages/form-token.js';
import { countClientAttempt, retryAfterSeconds } from './count-client-attempt.js';
import { type ClosedLinkPage, modeMismatch, providerServesLink, readLinkPage } from './link-page-state.js';
import { readLinkOffer } from './link-offer.js';
import { CHECKOUT_FORM, type OfferPageRetry, problemErrors } from './pages/offer-page.js';
import { readCheckoutForm } from './read-checkout-form.js';
import { decodeShownPrices, pricesChangedSince } from './shown-prices.js';
import { type CheckoutDeps, heldSessionUrl, startCheckout } from './start-checkout.js';

// Pay presses per client IP per minute: generous for a hesitant buyer, useless for a flood.
const CHECKOUT_RATE_LIMIT = { limit: 10, windowMs: 60_000 };

export interface PayPress {
  slug: unknown;
  /** The posted form, as sent. */
  form: Record<string, unknown>;
  /** Whether the browser says the post came from our own pages (http/csrf.ts). */
  sameOrigin: boolean;
  /** The client's networks, its own first (http/client-address.ts). */
  networks: readonly string[];
}

/** The link's page shown again: priced (Apply / Show total), with what was wrong, or with new prices; `refused` is the /metrics label when a rule refused the press. */
interface PageAgain {
  kind: 'page';
  link: BuyerLink;
  shop: ShopBrand;
  offer: OpenOffer;
  retry: OfferPageRetry;
  refused?: 'invalid_field' | 'prices_changed';
}

export type PayOutcome =
  | { kind: 'not_found' }
  | { kind: 'forbidden'; link: BuyerLink }
  | { kind: 'rate_limited'; link: BuyerLink; retryAfterSeconds: number }
  /** To the provider's page: a new session, or the one this client already holds. */
  | { kind: 'redirect'; url: string }
  | ClosedLinkPage
  | PageAgain
  | { kind: 'hold_limit'; link: BuyerLink }
  | { kind: 'provider_error'; link: BuyerLink };

export async function pressPay(deps: CheckoutDeps, press: PayPress): Promise<PayOutcome> {
  const { prisma, config, log } = deps;
  // The link, its shop and keys and the offer on its live state, in one statement: this press's
  // read of the terms the checkout is decided on (unlimited) or checked against (under the lock).
  const atPress = await readLinkPage(deps, press.slug, new Date());
  if (!atPress) return { kind: 'not_found' };
  const { link, shop, offer } = atPress;
  const { form } = press;
  const token = readFormToken(config.appSecret, CHECKOUT_FORM, link.slug, form.token);
  if (!press.sameOrigin || token === null) return { kind: 'forbidden', link };
  const client = press.networks[0] ?? 'unknown';
  const attempt = await countClientAttempt(deps.db, config.appSecret, 'checkout', press.networks, CHECKOUT_RATE_LIMIT);
  if (!attempt.allowed) {
    log.warn({ linkId: link.id, client: attempt.client }, 'checkout refused: rate limit');
    return { kind: 'rate_limited', link, retryAfterSeconds: retryAfterSeconds(attempt.resetAt) };
  }

  // The same rule the page was rendered from, on the state as it is at the press.
  if (!offer.open) {
    // A buyer whose own session holds one of the held places (e.g. declined, trying again) goes back to it.
    const own = offer.reason === 'reserved' ? await heldSessionUrl(deps, link, client, new Date()) : null;
    return own ? { kind: 'redirect', url: own } : { kind: 'closed', link, shop, offer };
  }
  // Apply (the code) / Show total: the server prices the order and shows the page again; nothing starts.
  const preview = form.preview !== undefined;
  const read = await readCheckoutForm(deps.db, link, offer, form, new Date(), preview ? 'preview' : 'pay');
  if (!preview && pricesChangedSince(decodeShownPrices(token.payload), link, offer, form, read)) {
    // The owner changed the price or the tips since this page was rendered: the buyer sees the new total first
    // — on a page that can be paid (a link made in the other mode than the provider now is closed, as on GET).
    if (!providerServesLink(deps, atPress)) return { kind: 'closed', link, shop, offer: modeMismatch(link) };
    log.info({ linkId: link.id }, 'checkout refused: the prices changed since the page was shown');
    const errors = read.ok ? [] : problemErrors(link, offer, read.problems, form);
    return { kind: 'page', link, shop, offer, retry: { errors, form, priced: read.ok ? read.order : read.priced, pricesChanged: true }, refused: 'prices_changed' };
  }
  if (!read.ok) {
    log.info({ linkId: link.id, fields: read.problems.map((problem) => problem.field), preview }, 'checkout refused: fields the buyer filled in are not acceptable');
    const retry = { errors: problemErrors(link, offer, read.problems, form), form, priced: read.priced };
    return preview ? { kind: 'page', link, shop, offer, retry } : { kind: 'page', link, shop, offer, retry, refused: 'invalid_field' };
  }
  if (preview) return { kind: 'page', link, shop, offer, retry: { errors: [], form, priced: read.order } };

  const result = await startCheckout(deps, link, read.order, { client, keys: atPress.keys });
  switch (result.kind) {
    case 'invalid': {
      // Places or the code's uses went between the page and the press: the page as it is now.
      log.info({ linkId: link.id, field: result.field, reason: result.reason }, 'checkout refused: taken by others since the page was read');
      const now = await readLinkOffer(prisma, link, new Date(), { codes: true });
      if (!now.open) return { kind: 'closed', link, shop, offer: now };
      const problem = result.field === 'quantity' ? { field: 'quantity' as const, reason: result.reason } : { field: 'code' as const, reason: result.reason };
      return { kind: 'page', link, shop, offer: now, retry: { errors: problemErrors(link, now, [problem], form), form, priced: null }, refused: 'invalid_field' };
    }
    case 'redirect':
      return { kind: 'redirect', url: result.sessionUrl };
    case 'hold_limit':
      log.warn({ linkId: link.id, client: attempt.client }, 'checkout refused: this client let too many holds of the link lapse unpaid today');
      return { kind: 'hold_limit', link };
    case 'closed':
      return { kind: 'closed', link, shop, offer: result.offer };
    case 'mode_mismatch':
      return { kind: 'closed', link, shop, offer: modeMismatch(link) };
    default:
      return { kind: 'provider_error', link };
  }
}
