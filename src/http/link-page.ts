// A link's public pages: GET /l/:slug (the product and a Pay button; starts nothing, since chat
// apps' preview crawlers fetch it), POST /l/:slug/checkout (the Pay button), and
// GET /l/:slug/return (where the provider sends the buyer back).
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { countPageView } from '../links/count-page-view.js';
import { answerOwnViewMarker, isOwnView } from './own-view.js';
import type { Link } from '../generated/prisma/client.js';
import { translator } from '../i18n/i18n.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import { isSlug } from '../links/slug.js';
import { confirmCheckoutReturn } from '../payments/confirm-checkout-return.js';
import { readLinkOffer } from '../payments/link-offer.js';
import type { ClosedOffer, OpenOffer } from '../links/offer-rule.js';
import { providerForLink, servesLinkMode } from '../payments/provider-for-link.js';
import { heldSessionUrl, startCheckout } from '../payments/start-checkout.js';
import { readCheckoutForm, type CheckoutOrder, type FormProblem } from '../payments/read-checkout-form.js';
import { decodeShownPrices, pricesChangedSince } from '../payments/shown-prices.js';
import { clientKey } from './client-address.js';
import { countClientAttempt } from './count-client-attempt.js';
import { isSameOriginPost } from './csrf.js';
import { readFormToken } from '../pages/form-token.js';
import type { RouteFactory } from './route-deps.js';
import { preferredLanguage, sendPage } from '../pages/html.js';
import { renderClosedPage, renderReturnPage, subscriptionTerms, type ClosedReason } from '../payments/pages/link-page-views.js';
import { renderMessagePage, type ShopBrand } from '../pages/buyer-page-parts.js';
import { CHECKOUT_FORM, linkLanguage, problemErrors, renderOfferPage, type OfferPageRetry } from '../payments/pages/offer-page.js';
import { readBillingInterval } from '../links/billing.js';
import { loadShopBrand } from '../shop-profile/shop-brand.js';

// Pay presses per client IP per minute: generous for a hesitant buyer, useless for a flood.
const CHECKOUT_RATE_LIMIT = { limit: 10, windowMs: 60_000 };
// Return-page views per client per minute: a buyer comes back once or reloads a few times.
const RETURN_RATE_LIMIT = { limit: 20, windowMs: 60_000 };

// Places held by checkouts come back within minutes; when nothing says when, a minute is a fair guess.
const RESERVED_RETRY_AFTER_SECONDS = 60;

/** Why a page or Pay press was refused by a rule (not a failure): the /metrics label. */
type RefusalReason = ClosedOffer['reason'] | 'mode_mismatch' | 'rate_limited' | 'hold_limit' | 'invalid_field' | 'forbidden' | 'prices_changed';

function linkPath(slug: string): string {
  return `/l/${encodeURIComponent(slug)}`;
}

export const linkPageRoutes: RouteFactory = ({ db, config, log, metrics }) => {
  const { prisma } = db;
  const router = express.Router();
  const refused = (reason: RefusalReason) => metrics?.buyerRefused.inc({ reason });

  /**
   * The closed page: 410 Gone for a link that takes no more payments (inactive, expired, used up,
   * too few left, made in the other mode); 409 Conflict with Retry-After while every place left is
   * held by other buyers — business states, never 5xx (CONTRACT.md).
   */
  function sendClosedPage(res: Response, link: Link, offer: ClosedOffer | { reason: 'made_in_test_mode' | 'made_in_live_mode' }, shop: ShopBrand): void {
    const language = linkLanguage(link);
    const t = translator(language, 'pages');
    refused(offer.reason === 'made_in_test_mode' || offer.reason === 'made_in_live_mode' ? 'mode_mismatch' : offer.reason);
    if ('open' in offer && offer.reason === 'reserved') {
      const now = Date.now();
      const seconds = offer.freesAt ? Math.max(1, Math.ceil((offer.freesAt.getTime() - now) / 1000)) : RESERVED_RETRY_AFTER_SECONDS;
      res.set('Retry-After', String(seconds));
      const reason: ClosedReason = offer.byAwaiting && offer.freesAt ? 'reserved_awaiting' : 'reserved';
      const time = offer.freesAt ? formatDateTime(offer.freesAt.toISOString(), language) : '';
      sendPage(res, 409, renderClosedPage(language, t, link.productName, reason, shop, { count: 0, min: 1, time }));
      return;
    }
    const places = 'open' in offer && offer.reason === 'too_few_left' ? { count: offer.left, min: offer.setSize } : undefined;
    sendPage(res, 410, renderClosedPage(language, t, link.productName, offer.reason, shop, places));
  }

  function modeMismatch(link: Link): { reason: 'made_in_test_mode' | 'made_in_live_mode' } {
    return { reason: link.testMode ? 'made_in_test_mode' : 'made_in_live_mode' };
  }

  /** The link named in the path; when there is none, the 404 page has been sent. */
  async function findLink(req: Request, res: Response): Promise<Link | null> {
    const slug = req.params.slug;
    const link = typeof slug === 'string' && isSlug(slug) ? await prisma.link.findUnique({ where: { slug } }) : null;
    if (!link) {
      const language = preferredLanguage(req);
      const t = translator(language, 'pages');
      sendPage(res, 404, renderMessagePage({ language, title: t('notFound.title'), message: t('notFound.body'), testId: 'not-found' }));
    }
    return link;
  }

  /** Whether the provider checkout would use now takes payments in the link's mode (see servesLinkMode). */
  async function providerServesLink(link: Link): Promise<boolean> {
    let provider;
    try {
      ({ provider } = await providerForLink({ prisma, config }, link));
    } catch (error) {
      // Unreadable merchant keys must not take the product page down; checkout reports them.
      log.error({ linkId: link.id, err: error }, 'link page: could not determine the payment provider');
      return true;
    }
    if (servesLinkMode(provider, link)) return true;
    log.warn(
      { linkId: link.id, linkTestMode: link.testMode, providerTestMode: provider.testMode },
      "link page closed: the link was made in another mode (test/live) than the shop's payment account is in now; the shop must issue a new link",
    );
    return false;
  }

  /** The link's page, rendered from the offer (payments/pages/offer-page.ts): on GET, or again with what was wrong (422). */
  function sendLinkPage(res: Response, link: Link, shop: ShopBrand, offer: OpenOffer, retry?: OfferPageRetry): void {
    const page = renderOfferPage({ link, shop, offer, config, retry });
    // Pay redirects to KOMOJU's hosted page, or to the sandbox's at PUBLIC_BASE_URL.
    sendPage(res, page.status, page.html, [config.publicBaseUrl, config.komojuApiBaseUrl], page.scriptNonce);
  }

  /** The page again with a message at each field the offer does not accept (422). */
  function sendProblems(res: Response, link: Link, shop: ShopBrand, offer: OpenOffer, problems: FormProblem[], form: Record<string, unknown>, priced: CheckoutOrder | null): void {
    sendLinkPage(res, link, shop, offer, { errors: problemErrors(link, offer, problems, form), form, priced });
  }

  router.get('/l/:slug', async (req, res) => {
    const link = await findLink(req, res);
    if (!link || answerOwnViewMarker(req, res, link.slug, config)) return;
    const language = linkLanguage(link);
    const shop = await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language);
    const offer = await readLinkOffer(prisma, link, new Date(), { codes: true });
    if (!offer.open) {
      sendClosedPage(res, link, offer, shop);
      return;
    }
    if (!(await providerServesLink(link))) {
      sendClosedPage(res, link, modeMismatch(link), shop);
      return;
    }
    if (!isOwnView(req, link.slug, config.appSecret)) await countPageView(prisma, link.id, req.get('user-agent'));
    sendLinkPage(res, link, shop, offer);
  });

  router.post('/l/:slug/checkout', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const link = await findLink(req, res);
    if (!link) return;
    const language = linkLanguage(link);
    const t = translator(language, 'pages');
    const back = { href: linkPath(link.slug), label: t('forbidden.back') };
    const token = readFormToken(config.appSecret, CHECKOUT_FORM, link.slug, (req.body as Record<string, unknown> | undefined)?.token);
    if (!isSameOriginPost(req, config.publicBaseUrl) || token === null) {
      log.warn({ linkId: link.id, origin: req.get('origin') }, 'checkout refused: cross-site post or bad form token');
      refused('forbidden');
      sendPage(res, 403, renderMessagePage({ language, title: t('forbidden.title'), message: t('forbidden.body'), action: back, testId: 'forbidden' }));
      return;
    }
    const client = clientKey(req);
    const attempt = await countClientAttempt(prisma, config.appSecret, 'checkout', req, CHECKOUT_RATE_LIMIT);
    if (!attempt.allowed) {
      log.warn({ linkId: link.id, client: attempt.client }, 'checkout refused: rate limit');
      refused('rate_limited');
      res.set('Retry-After', String(Math.max(1, Math.ceil((attempt.resetAt.getTime() - Date.now()) / 1000))));
      sendPage(res, 429, renderMessagePage({ language, title: t('rateLimited.title'), message: t('rateLimited.body'), action: back, testId: 'rate-limited' }));
      return;
    }

    const form = (req.body ?? {}) as Record<string, unknown>;
    const shop = await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language);
    // The same rule the page was rendered from, on the state as it is at the press.
    const offer = await readLinkOffer(prisma, link, new Date(), { codes: true });
    if (!offer.open) {
      // A buyer whose own session holds one of the held places (e.g. declined, trying again) goes back to it.
      const own = offer.reason === 'reserved' ? await heldSessionUrl({ prisma, config, log }, link, client, new Date()) : null;
      if (own) res.redirect(303, own);
      else sendClosedPage(res, link, offer, shop);
      return;
    }
    // Apply (the code) / Show total: the server prices the order and shows the page again; nothing starts.
    const preview = form.preview !== undefined;
    const read = await readCheckoutForm(prisma, link, offer, form, new Date(), preview ? 'preview' : 'pay');
    if (!preview && pricesChangedSince(decodeShownPrices(token.payload), link, offer, form, read)) {
      // The owner changed the price or the tips since this page was rendered: the buyer sees the new total first
      // — on a page that can be paid (a link made in the other mode than the provider now is closed, as on GET).
      if (!(await providerServesLink(link))) {
        sendClosedPage(res, link, modeMismatch(link), shop);
        return;
      }
      log.info({ linkId: link.id }, 'checkout refused: the prices changed since the page was shown');
      refused('prices_changed');
      const errors = read.ok ? [] : problemErrors(link, offer, read.problems, form);
      sendLinkPage(res, link, shop, offer, { errors, form, priced: read.ok ? read.order : read.priced, pricesChanged: true });
      return;
    }
    if (!read.ok) {
      log.info({ linkId: link.id, fields: read.problems.map((problem) => problem.field), preview }, 'checkout refused: fields the buyer filled in are not acceptable');
      if (!preview) refused('invalid_field');
      sendProblems(res, link, shop, offer, read.problems, form, read.priced);
      return;
    }
    if (preview) {
      sendLinkPage(res, link, shop, offer, { errors: [], form, priced: read.order });
      return;
    }
    const result = await startCheckout({ prisma, config, log }, link, read.order, { client });
    if (result.kind === 'invalid') {
      // Places or the code's uses went between the page and the press: the page as it is now.
      log.info({ linkId: link.id, field: result.field, reason: result.reason }, 'checkout refused: taken by others since the page was read');
      const now = await readLinkOffer(prisma, link, new Date(), { codes: true });
      if (!now.open) {
        sendClosedPage(res, link, now, shop);
        return;
      }
      refused('invalid_field');
      sendProblems(res, link, shop, now, [result.field === 'quantity' ? { field: 'quantity', reason: result.reason } : { field: 'code', reason: result.reason }], form, null);
      return;
    }
    if (result.kind === 'redirect') {
      res.redirect(303, result.sessionUrl);
      return;
    }
    if (result.kind === 'hold_limit') {
      log.warn({ linkId: link.id, client: attempt.client }, 'checkout refused: this client let too many holds of the link lapse unpaid today');
      refused('hold_limit');
      sendPage(res, 429, renderMessagePage({ language, title: t('holdLimit.title'), message: t('holdLimit.body'), testId: 'hold-limit' }));
      return;
    }
    if (result.kind === 'closed') {
      sendClosedPage(res, link, result.offer, shop);
      return;
    }
    if (result.kind === 'mode_mismatch') {
      sendClosedPage(res, link, modeMismatch(link), shop);
      return;
    }
    metrics?.buyerFailed.inc({ reason: 'provider_error' });
    sendPage(
      res,
      502,
      renderMessagePage({
        language,
        title: t('providerError.title'),
        message: t('providerError.body'),
        action: { href: linkPath(link.slug), label: t('providerError.retry') },
        testId: 'provider-error',
      }),
    );
  });

  router.get('/l/:slug/return', async (req, res) => {
    const link = await findLink(req, res);
    if (!link) return;
    const language = linkLanguage(link);
    const attempt = await countClientAttempt(prisma, config.appSecret, 'return', req, RETURN_RATE_LIMIT);
    if (!attempt.allowed) {
      log.warn({ linkId: link.id, client: attempt.client }, 'return page refused: rate limit');
      const t = translator(language, 'pages');
      res.set('Retry-After', String(Math.max(1, Math.ceil((attempt.resetAt.getTime() - Date.now()) / 1000))));
      sendPage(res, 429, renderMessagePage({ language, title: t('rateLimited.title'), message: t('rateLimited.body'), testId: 'rate-limited' }));
      return;
    }
    const outcome = await confirmCheckoutReturn({ prisma, config, log }, link, req.query.session_id);
    // confirmCheckoutReturn checked the session belongs to this link before saying paid or awaiting.
    const checkout =
      outcome !== 'not_completed' && typeof req.query.session_id === 'string'
        ? await prisma.checkout.findUnique({ where: { sessionId: req.query.session_id }, select: { orderNumber: true, quantity: true, amount: true } })
        : null;
    sendPage(
      res,
      200,
      renderReturnPage({
        language,
        t: translator(language, 'pages'),
        shop: await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language),
        outcome,
        productName: link.productName,
        price: formatStoredPrice(checkout?.amount ?? link.amount * (checkout?.quantity ?? 1), link.currency, language),
        linkPath: linkPath(link.slug),
        // The short number the buyer can read out; a checkout from before it existed shows none.
        orderReference: checkout?.orderNumber ?? null,
        afterPaymentMessage: link.afterPaymentMessage,
        lineAddFriendUrl: config.lineAddFriendUrl ?? null,
        subscription: subscriptionTerms(translator(language, 'pages'), readBillingInterval(link.billingInterval), formatStoredPrice(link.amount, link.currency, language)),
        // A checkout only opens in the link's own mode.
        testMode: link.testMode,
      }),
    );
  });

  // Last, so it sees every route's error: a buyer page that broke (not one a rule refused), what an
  // operator's alert should see; app.ts still answers it.
  router.use(((error, _req, _res, next) => {
    metrics?.buyerFailed.inc({ reason: 'error' });
    next(error);
  }) as ErrorRequestHandler);

  return router;
};
