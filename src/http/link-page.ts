// A link's public pages: GET /l/:slug (payments/show-link-page.ts), POST /l/:slug/checkout (the
// Pay button, payments/press-pay.ts), and GET /l/:slug/return (where the provider sends the buyer
// back). Each parses the request, calls its payments function and maps the outcome to a response.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import { answerOwnViewMarker, isOwnView } from './own-view.js';
import type { BuyerLink } from '../links/buyer-link.js';
import { translator } from '../i18n/i18n.js';
import { formatDateTime } from '../i18n/format.js';
import { OWN_VIEW_PARAM } from '../links/own-view-marker.js';
import type { OpenOffer } from '../links/offer-rule.js';
import type { ClosedPageOffer } from '../payments/link-page-state.js';
import { pressPay } from '../payments/press-pay.js';
import { showLinkPage } from '../payments/show-link-page.js';
import { showReturnPage } from '../payments/show-return-page.js';
import { clientNetworks } from './client-address.js';
import { isSameOriginPost } from './csrf.js';
import type { RouteFactory } from './route-deps.js';
import { preferredLanguage, sendPage } from '../pages/html.js';
import { renderClosedPage, type ClosedReason } from '../payments/pages/link-page-views.js';
import { renderMessagePage, type ShopBrand } from '../pages/buyer-page-parts.js';
import { linkLanguage, renderOfferPage, type OfferPageRetry } from '../payments/pages/offer-page.js';

// Places held by checkouts come back within minutes; when nothing says when, a minute is a fair guess.
const RESERVED_RETRY_AFTER_SECONDS = 60;

/** Why a page or Pay press was refused by a rule (not a failure): the /metrics label. */
type RefusalReason = ClosedPageOffer['reason'] | 'mode_mismatch' | 'rate_limited' | 'hold_limit' | 'invalid_field' | 'forbidden' | 'prices_changed';

/** The posted form: urlencoded fields as sent (a missing body is an empty form, refused for its missing token). */
const postedForm = z.record(z.string(), z.unknown()).catch({});

function linkPath(slug: string): string {
  return `/l/${encodeURIComponent(slug)}`;
}

export const linkPageRoutes: RouteFactory = ({ db, config, log, metrics }) => {
  const { prisma } = db;
  const deps = { prisma, db, config, log };
  const router = express.Router();
  const refused = (reason: RefusalReason) => metrics?.buyerRefused.inc({ reason });

  /**
   * The closed page: 410 Gone for a link that takes no more payments (inactive, expired, used up,
   * too few left, made in the other mode); 409 Conflict with Retry-After while every place left is
   * held by other buyers — business states, never 5xx (CONTRACT.md).
   */
  function sendClosedPage(res: Response, link: BuyerLink, offer: ClosedPageOffer, shop: ShopBrand): void {
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

  function sendNotFound(req: Request, res: Response): void {
    const language = preferredLanguage(req);
    const t = translator(language, 'pages');
    sendPage(res, 404, renderMessagePage({ language, title: t('notFound.title'), message: t('notFound.body'), testId: 'not-found' }));
  }

  /** The link's page, rendered from the offer (payments/pages/offer-page.ts): on GET, or again with what was wrong (422). */
  function sendLinkPage(res: Response, link: BuyerLink, shop: ShopBrand, offer: OpenOffer, retry?: OfferPageRetry): void {
    const page = renderOfferPage({ link, shop, offer, config, retry });
    // Pay redirects to KOMOJU's hosted page, or to the sandbox's at PUBLIC_BASE_URL.
    sendPage(res, page.status, page.html, [config.publicBaseUrl, config.komojuApiBaseUrl], page.scriptNonce);
  }

  router.get('/l/:slug', async (req, res) => {
    const slug = req.params.slug;
    const outcome = await showLinkPage(deps, {
      slug,
      marked: req.query[OWN_VIEW_PARAM] !== undefined,
      ownView: isOwnView(req, slug, config.appSecret),
      userAgent: req.get('user-agent'),
    });
    switch (outcome.kind) {
      case 'not_found':
        sendNotFound(req, res);
        return;
      case 'marked':
        answerOwnViewMarker(req, res, outcome.link.slug, config);
        return;
      case 'closed':
        sendClosedPage(res, outcome.link, outcome.offer, outcome.shop);
        return;
      case 'open':
        sendLinkPage(res, outcome.link, outcome.shop, outcome.offer);
    }
  });

  router.post('/l/:slug/checkout', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const outcome = await pressPay(deps, { slug: req.params.slug, form: postedForm.parse(req.body), sameOrigin: isSameOriginPost(req, config.publicBaseUrl), networks: clientNetworks(req) });
    if (outcome.kind === 'not_found') {
      sendNotFound(req, res);
      return;
    }
    if (outcome.kind === 'redirect') {
      res.redirect(303, outcome.url);
      return;
    }
    const { link } = outcome;
    const language = linkLanguage(link);
    const t = translator(language, 'pages');
    const back = { href: linkPath(link.slug), label: t('forbidden.back') };
    switch (outcome.kind) {
      case 'forbidden':
        log.warn({ linkId: link.id, origin: req.get('origin') }, 'checkout refused: cross-site post or bad form token');
        refused('forbidden');
        sendPage(res, 403, renderMessagePage({ language, title: t('forbidden.title'), message: t('forbidden.body'), action: back, testId: 'forbidden' }));
        return;
      case 'rate_limited':
        refused('rate_limited');
        res.set('Retry-After', String(outcome.retryAfterSeconds));
        sendPage(res, 429, renderMessagePage({ language, title: t('rateLimited.title'), message: t('rateLimited.body'), action: back, testId: 'rate-limited' }));
        return;
      case 'closed':
        sendClosedPage(res, link, outcome.offer, outcome.shop);
        return;
      case 'page':
        if (outcome.refused) refused(outcome.refused);
        sendLinkPage(res, link, outcome.shop, outcome.offer, outcome.retry);
        return;
      case 'hold_limit':
        refused('hold_limit');
        sendPage(res, 429, renderMessagePage({ language, title: t('holdLimit.title'), message: t('holdLimit.body'), testId: 'hold-limit' }));
        return;
      case 'provider_error':
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
    }
  });

  router.get('/l/:slug/return', async (req, res) => {
    const outcome = await showReturnPage(deps, { slug: req.params.slug, sessionId: req.query.session_id, networks: clientNetworks(req) });
    if (outcome.kind === 'not_found') {
      sendNotFound(req, res);
      return;
    }
    if (outcome.kind === 'rate_limited') {
      const language = linkLanguage(outcome.link);
      const t = translator(language, 'pages');
      res.set('Retry-After', String(outcome.retryAfterSeconds));
      sendPage(res, 429, renderMessagePage({ language, title: t('rateLimited.title'), message: t('rateLimited.body'), testId: 'rate-limited' }));
      return;
    }
    sendPage(res, 200, outcome.html);
  });

  // Last, so it sees every route's error: a buyer page that broke (not one a rule refused), what an
  // operator's alert should see; app.ts still answers it.
  router.use(((error, _req, _res, next) => {
    metrics?.buyerFailed.inc({ reason: 'error' });
    next(error);
  }) as ErrorRequestHandler);

  return router;
};
