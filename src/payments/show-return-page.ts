// Where the provider sends the buyer back (GET /l/:slug/return): the client's views are
// rate-limited, the session is confirmed with the provider (confirm-checkout-return.ts), and the
// page says paid, awaiting, subscribing or not completed.
import type { Link } from '../generated/prisma/client.js';
import { translator } from '../i18n/i18n.js';
import { formatStoredPrice } from '../i18n/format.js';
import { readBillingInterval } from '../links/billing.js';
import { confirmCheckoutReturn } from './confirm-checkout-return.js';
import { countClientAttempt, retryAfterSeconds } from './count-client-attempt.js';
import { findLinkBySlug, shopOfLink } from './link-page-state.js';
import { renderReturnPage, subscriptionTerms } from './pages/link-page-views.js';
import { linkLanguage } from './pages/offer-page.js';
import type { CheckoutDeps } from './start-checkout.js';

// Return-page views per client per minute: a buyer comes back once or reloads a few times.
const RETURN_RATE_LIMIT = { limit: 20, windowMs: 60_000 };

export interface ReturnVisit {
  slug: unknown;
  /** The provider's `session_id` query parameter, as sent. */
  sessionId: unknown;
  /** The client's networks, its own first (http/client-address.ts). */
  networks: readonly string[];
}

export type ReturnPageOutcome = { kind: 'not_found' } | { kind: 'rate_limited'; link: Link; retryAfterSeconds: number } | { kind: 'page'; html: string };

export async function showReturnPage(deps: CheckoutDeps, visit: ReturnVisit): Promise<ReturnPageOutcome> {
  const { prisma, config, log } = deps;
  const link = await findLinkBySlug(deps, visit.slug);
  if (!link) return { kind: 'not_found' };
  const language = linkLanguage(link);
  const attempt = await countClientAttempt(deps.db, config.appSecret, 'return', visit.networks, RETURN_RATE_LIMIT);
  if (!attempt.allowed) {
    log.warn({ linkId: link.id, client: attempt.client }, 'return page refused: rate limit');
    return { kind: 'rate_limited', link, retryAfterSeconds: retryAfterSeconds(attempt.resetAt) };
  }
  const { sessionId } = visit;
  const outcome = await confirmCheckoutReturn(deps, link, sessionId);
  // confirmCheckoutReturn checked the session belongs to this link before saying paid or awaiting.
  const checkout =
    outcome !== 'not_completed' && typeof sessionId === 'string' ? await prisma.checkout.findUnique({ where: { sessionId }, select: { orderNumber: true, quantity: true, amount: true } }) : null;
  const t = translator(language, 'pages');
  const html = renderReturnPage({
    language,
    t,
    shop: await shopOfLink(deps, link),
    outcome,
    productName: link.productName,
    price: formatStoredPrice(checkout?.amount ?? link.amount * (checkout?.quantity ?? 1), link.currency, language),
    linkPath: `/l/${encodeURIComponent(link.slug)}`,
    // The short number the buyer can read out; a checkout from before it existed shows none.
    orderReference: checkout?.orderNumber ?? null,
    afterPaymentMessage: link.afterPaymentMessage,
    lineAddFriendUrl: config.lineAddFriendUrl ?? null,
    subscription: subscriptionTerms(t, readBillingInterval(link.billingInterval), formatStoredPrice(link.amount, link.currency, language)),
    // A checkout only opens in the link's own mode.
    testMode: link.testMode,
  });
  return { kind: 'page', html };
}
