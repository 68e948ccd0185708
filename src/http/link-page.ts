// A link's public pages: GET /l/:slug (the product and a Pay button; starts nothing, since chat
// apps' preview crawlers fetch it), POST /l/:slug/checkout (the Pay button), and
// GET /l/:slug/return (where the provider sends the buyer back).
import express, { type Request, type Response } from 'express';
import type { Link } from '../generated/prisma/client.js';
import { isLanguage, translator, type Language } from '../i18n/i18n.js';
import { formatStoredPrice } from '../i18n/format.js';
import { linkPageUrl, mediaUrl, qrImageUrl } from '../links/link-urls.js';
import { isSlug } from '../links/slug.js';
import { countAttempt } from '../merchants/rate-limit.js';
import { confirmCheckoutReturn } from '../payments/confirm-checkout-return.js';
import { linkPlaces } from '../payments/link-availability.js';
import { readPaymentTypes } from '../links/payment-types.js';
import { isAdjustable, readBuyerQuantity, type BuyerQuantityError } from '../links/quantity.js';
import { BUYER_FIELD_MAX, readBuyerDetails, readBuyerFields, type BuyerField } from '../links/buyer-fields.js';
import { noticeStarter } from '../payments/notify-capture.js';
import { providerForLink, servesLinkMode } from '../payments/provider-for-link.js';
import { priceCheckout, startCheckout, type PricedCheckout } from '../payments/start-checkout.js';
import { offersCodes } from '../discounts/find-code.js';
import { CUSTOM_AMOUNT_CHOICE, NO_TIP_CHOICE, readBuyerAmount, readBuyerTip, readLinkPrice, readTipOptions } from '../links/link-price.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import type { Language as PageLanguage } from '../i18n/i18n.js';
import { clientKey } from './client-address.js';
import { formToken, isSameOriginPost, verifyFormToken } from './csrf.js';
import type { RouteFactory } from './route-deps.js';
import { newScriptNonce, preferredLanguage, sendPage } from './html.js';
import { linkPageScript, renderClosedPage, renderLinkPage, renderMessagePage, renderReturnPage, subscriptionTerms, type AmountField, type Breakdown, type ClosedReason, type FieldError, type ShopBrand, type TipField } from './link-page-views.js';
import { readBillingInterval } from '../links/billing.js';
import { loadShopBrand } from './shop-brand.js';

const CHECKOUT_FORM = 'checkout';
/** The buyer's fields a 422 page shows again as typed. */
const BUYER_FORM_FIELDS: readonly BuyerField[] = ['buyerName', 'phone', 'email', 'country', 'postalCode', 'address1', 'address2', 'answer'];
// Pay presses per client IP per minute: generous for a hesitant buyer, useless for a flood.
const CHECKOUT_RATE_LIMIT = { limit: 10, windowMs: 60_000 };
// Return-page views per client per minute: a buyer comes back once or reloads a few times.
const RETURN_RATE_LIMIT = { limit: 20, windowMs: 60_000 };

/** "Card, PayPay" in the page's language when the link limits the payment types; null: all. */
function paymentMethodNames(link: Link, language: Language): string | null {
  const types = readPaymentTypes(link.paymentTypes);
  if (types.length === 0) return null;
  const t = translator(language, 'links');
  return types.map((type) => t(`paymentTypes.names.${type}`)).join(t('buyerAsk.separator'));
}

function linkLanguage(link: Link): Language {
  return isLanguage(link.language) ? link.language : 'ja';
}

type PriceRefusal = Extract<PricedCheckout, { kind: 'invalid' }>;

/** The page's message for a refused amount, tip or code, in the link's language. */
function priceRefusalMessage(link: Link, language: PageLanguage, refusal: PriceRefusal): string {
  const t = translator(language, 'pages');
  if (refusal.field === 'tip') return t('link.errors.tip.not_an_option');
  if (refusal.field === 'code') return t(`link.errors.code.${refusal.reason}`);
  const price = readLinkPrice(link);
  const [min, max] = price.mode === 'buyer' ? [price.min, price.max] : [link.amount, link.amount];
  return t(`link.errors.amount.${refusal.reason}`, { min: formatStoredPrice(min, link.currency, language), max: formatStoredPrice(max, link.currency, language), currency: link.currency });
}

/** The buyer's price choices on the page, as posted (or the defaults on first view). */
function amountFieldFor(link: Link, language: PageLanguage, form: Record<string, unknown> | undefined): AmountField | null {
  const price = readLinkPrice(link);
  if (price.mode !== 'buyer') return null;
  const t = translator(language, 'pages');
  const format = (amount: number) => formatStoredPrice(amount, link.currency, language);
  const posted = typeof form?.amountChoice === 'string' ? form.amountChoice.slice(0, 20) : null;
  return {
    presets: price.presets.map((preset) => ({ value: String(preset), label: format(preset) })),
    choice: posted ?? (price.presets[0] !== undefined ? String(price.presets[0]) : CUSTOM_AMOUNT_CHOICE),
    custom: typeof form?.customAmount === 'string' ? form.customAmount.slice(0, 20) : '',
    hint: t('link.amount.hint', { min: format(price.min), max: format(price.max) }),
  };
}

function tipFieldFor(link: Link, language: PageLanguage, form: Record<string, unknown> | undefined): TipField | null {
  const tips = readTipOptions(link.tipOptions);
  if (!tips) return null;
  const t = translator(language, 'pages');
  const options = tips.values.map((value, index) => ({
    value: String(index),
    label: tips.kind === 'percent' ? t('link.tip.percent', { percent: value }) : formatStoredPrice(value, link.currency, language),
  }));
  return { options: [{ value: NO_TIP_CHOICE, label: t('link.tip.none') }, ...options], choice: typeof form?.tip === 'string' ? form.tip.slice(0, 8) : NO_TIP_CHOICE };
}

function breakdownFor(link: Link, language: PageLanguage, priced: Extract<PricedCheckout, { ok: true }>): Breakdown {
  const t = translator(language, 'pages');
  const format = (amount: number) => formatStoredPrice(amount, link.currency, language);
  const { amount, code } = priced;
  const rows: Breakdown['rows'] = [];
  if (amount.discount > 0 || amount.tip > 0) rows.push({ label: t('link.breakdown.subtotal'), value: format(amount.subtotal) });
  if (code && amount.discount > 0) rows.push({ label: t('link.breakdown.discount', { code: code.code }), value: `−${format(amount.discount)}` });
  if (amount.tip > 0) rows.push({ label: t('link.breakdown.tip'), value: format(amount.tip) });
  return { rows, total: format(amount.total) };
}

// Places held by other buyers' checkouts come back when those end or expire: a moment, not gone.
const RESERVED_RETRY_AFTER_SECONDS = 60;

function sendClosedPage(res: Response, link: Link, reason: ClosedReason, shop: ShopBrand, places?: { count: number; min: number }): void {
  const language = linkLanguage(link);
  const page = renderClosedPage(language, translator(language, 'pages'), link.productName, reason, shop, places);
  if (reason === 'reserved') {
    res.set('Retry-After', String(RESERVED_RETRY_AFTER_SECONDS));
    sendPage(res, 503, page);
    return;
  }
  sendPage(res, 410, page);
}

function modeMismatchReason(link: Link): ClosedReason {
  return link.testMode ? 'made_in_test_mode' : 'made_in_live_mode';
}

function linkPath(slug: string): string {
  return `/l/${encodeURIComponent(slug)}`;
}

export const linkPageRoutes: RouteFactory = ({ db, config, line, log }) => {
  const { prisma } = db;
  const router = express.Router();
  const startNotice = noticeStarter({ prisma, line, log: log.child({ component: 'capture-notice' }) });

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

  /**
   * The link's page: on GET, or again with the buyer's answers and what was wrong with them (422).
   * `placesLeft` caps the stepper (a usage limit's remaining places).
   */
  async function sendLinkPage(
    res: Response,
    link: Link,
    shop: ShopBrand,
    placesLeft: number | null,
    retry?: { errors: FieldError[]; form: Record<string, unknown>; priced?: Extract<PricedCheckout, { ok: true }> },
  ): Promise<void> {
    const language = linkLanguage(link);
    const t = translator(language, 'pages');
    const range = { min: link.quantityMin, max: placesLeft === null ? link.quantityMax : Math.min(link.quantityMax, placesLeft) };
    const price = (quantity: number) => formatStoredPrice(link.amount * quantity, link.currency, language);
    // A subscription bills its fixed price every period: no buyer-chosen amount, tip or code.
    const subscription = readBillingInterval(link.billingInterval);
    const amountField = subscription ? null : amountFieldFor(link, language, retry?.form);
    const tipField = subscription ? null : tipFieldFor(link, language, retry?.form);
    // The stepper's live totals only hold for a fixed price without a tip; otherwise Show total / Apply tells.
    const totals: string[] = [];
    if (!amountField && !tipField) for (let quantity = range.min; quantity <= range.max; quantity += 1) totals.push(price(quantity));
    const priceMode = readLinkPrice(link);
    const headline = priceMode.mode === 'buyer' ? t('link.priceRange', { min: formatStoredPrice(priceMode.min, link.currency, language), max: formatStoredPrice(priceMode.max, link.currency, language) }) : price(1);
    // A code the buyer typed stays on the page with its error even when no code is live any more.
    const typedCode = typeof retry?.form.code === 'string' && retry.form.code.trim() !== '';
    const codeField = !subscription && (typedCode || (await offersCodes(prisma, link, new Date())))
      ? {
          value: typeof retry?.form.code === 'string' ? retry.form.code.slice(0, 40) : '',
          applied:
            retry?.priced?.code && retry.priced.amount.discount > 0
              ? t('link.code.applied', { code: retry.priced.code.code, amount: formatStoredPrice(retry.priced.amount.discount, link.currency, language) })
              : null,
        }
      : null;
    const posted = typeof retry?.form.quantity === 'string' ? retry.form.quantity.slice(0, 8) : String(range.min);
    const values: Partial<Record<BuyerField, string>> = {};
    for (const field of BUYER_FORM_FIELDS) {
      const value = retry?.form[field];
      if (typeof value === 'string') values[field] = value.slice(0, 300);
    }
    const scriptNonce = newScriptNonce();
    const quantityView = { min: range.min, max: range.max, value: posted, totals };
    sendPage(
      res,
      retry && retry.errors.length > 0 ? 422 : 200,
      renderLinkPage({
        language,
        t,
        shop,
        productName: link.productName,
        description: link.description,
        price: headline,
        pageUrl: linkPageUrl(config.publicBaseUrl, link.slug),
        imageUrl: link.imageId ? mediaUrl(config.publicBaseUrl, link.imageId) : null,
        qrImageUrl: qrImageUrl(config.publicBaseUrl, link.slug),
        checkoutPath: `${linkPath(link.slug)}/checkout`,
        formToken: formToken(config.appSecret, CHECKOUT_FORM, link.slug),
        testMode: link.testMode,
        quantity: isAdjustable(range) ? quantityView : null,
        fixedTotal: price(link.quantityMin),
        fixedQuantity: link.quantityMin,
        errors: retry?.errors ?? [],
        scriptNonce,
        buyerFields: readBuyerFields(link.buyerFields),
        values,
        paymentMethods: paymentMethodNames(link, language),
        subscription: subscriptionTerms(t, subscription, price(1)),
        amountField,
        tipField,
        codeField,
        breakdown: retry?.priced ? breakdownFor(link, language, retry.priced) : null,
      }),
      // Pay redirects to KOMOJU's hosted page, or to the sandbox's at PUBLIC_BASE_URL.
      [config.publicBaseUrl, config.komojuApiBaseUrl],
      linkPageScript({ quantity: isAdjustable(range) ? quantityView : null, amountField, tipField, codeField }) ? scriptNonce : undefined,
    );
  }

  router.get('/l/:slug', async (req, res) => {
    const link = await findLink(req, res);
    if (!link) return;
    const language = linkLanguage(link);
    const shop = await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language);
    const { availability, placesLeft, uncaptured } = await linkPlaces(prisma, link, new Date());
    if (availability !== 'open') {
      sendClosedPage(res, link, availability, shop);
      return;
    }
    // A fixed quantity of 3 cannot be bought while 2 places are left: "try again soon" while held
    // places may come back, closed for good when even they would not make 3.
    if (placesLeft !== null && placesLeft < link.quantityMin) {
      if (uncaptured !== null && uncaptured < link.quantityMin) sendClosedPage(res, link, 'too_few_left', shop, { count: uncaptured, min: link.quantityMin });
      else sendClosedPage(res, link, 'reserved', shop);
      return;
    }
    if (!(await providerServesLink(link))) {
      sendClosedPage(res, link, modeMismatchReason(link), shop);
      return;
    }
    await sendLinkPage(res, link, shop, placesLeft);
  });

  router.post('/l/:slug/checkout', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const link = await findLink(req, res);
    if (!link) return;
    const language = linkLanguage(link);
    const t = translator(language, 'pages');
    const back = { href: linkPath(link.slug), label: t('forbidden.back') };
    const token: unknown = (req.body as Record<string, unknown> | undefined)?.token;
    if (!isSameOriginPost(req, config.publicBaseUrl) || !verifyFormToken(config.appSecret, CHECKOUT_FORM, link.slug, token)) {
      log.warn({ linkId: link.id, origin: req.get('origin') }, 'checkout refused: cross-site post or bad form token');
      sendPage(res, 403, renderMessagePage({ language, title: t('forbidden.title'), message: t('forbidden.body'), action: back, testId: 'forbidden' }));
      return;
    }
    const client = clientKey(req);
    const attempt = await countAttempt(prisma, `checkout:${client}`, CHECKOUT_RATE_LIMIT, new Date());
    if (!attempt.allowed) {
      log.warn({ linkId: link.id, client }, 'checkout refused: rate limit');
      res.set('Retry-After', String(Math.max(1, Math.ceil((attempt.resetAt.getTime() - Date.now()) / 1000))));
      sendPage(res, 429, renderMessagePage({ language, title: t('rateLimited.title'), message: t('rateLimited.body'), action: back, testId: 'rate-limited' }));
      return;
    }

    const form = (req.body ?? {}) as Record<string, unknown>;
    // Apply (the code) / Show total: the server prices the order and shows the page again; nothing starts.
    if (form.preview !== undefined) {
      const shop = await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language);
      const quantity = readBuyerQuantity(form.quantity, { min: link.quantityMin, max: link.quantityMax }, null);
      if (!quantity.ok) {
        await sendLinkPage(res, link, shop, null, { errors: [{ field: 'quantity', message: t(`link.errors.quantity.${quantity.reason}`, { min: link.quantityMin, max: link.quantityMax, count: 0 }) }], form });
        return;
      }
      const priced = await priceCheckout(prisma, link, { amountChoice: form.amountChoice, customAmount: form.customAmount, tip: form.tip, code: form.code, quantity: quantity.quantity }, new Date());
      if ('ok' in priced) {
        await sendLinkPage(res, link, shop, null, { errors: [], form, priced });
      } else {
        log.info({ linkId: link.id, field: priced.field, reason: priced.reason }, 'preview refused: the buyer\'s price choice is not acceptable');
        await sendLinkPage(res, link, shop, null, { errors: [{ field: priced.field, message: priceRefusalMessage(link, language, priced) }], form });
      }
      return;
    }
    const quantityMessage = (reason: BuyerQuantityError, placesLeft: number | null) =>
      t(`link.errors.quantity.${reason}`, { min: link.quantityMin, max: link.quantityMax, count: placesLeft ?? 0 });
    // Every field is checked before anything starts, and every problem is reported at once.
    const errors: FieldError[] = [];
    const quantity = readBuyerQuantity(form.quantity, { min: link.quantityMin, max: link.quantityMax }, null);
    if (!quantity.ok) errors.push({ field: 'quantity', message: quantityMessage(quantity.reason, null) });
    const price = readLinkPrice(link);
    if (price.mode === 'buyer' && isSupportedCurrency(link.currency)) {
      const chosen = readBuyerAmount(form.amountChoice, form.customAmount, price, link.currency);
      if (!chosen.ok) errors.push({ field: 'amount', message: priceRefusalMessage(link, language, { kind: 'invalid', link, field: 'amount', reason: chosen.reason }) });
    }
    if (!readBuyerTip(form.tip, readTipOptions(link.tipOptions)).ok) errors.push({ field: 'tip', message: t('link.errors.tip.not_an_option') });
    const details = readBuyerDetails(form, readBuyerFields(link.buyerFields));
    if (!details.ok) {
      const country = form.country === 'KR' ? 'KR' : 'JP';
      for (const { field, reason } of details.errors) {
        const key = reason === 'not_postal_code' ? (`not_postal_code_${country}` as const) : reason;
        errors.push({ field, message: t(`link.buyer.errors.${key}`, { max: BUYER_FIELD_MAX[field] }) });
      }
    }
    if (errors.length > 0) {
      log.info({ linkId: link.id, fields: errors.map((error) => error.field) }, 'checkout refused: fields the buyer filled in are not acceptable');
      const shop = await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language);
      await sendLinkPage(res, link, shop, null, { errors, form });
      return;
    }
    const result = await startCheckout({ prisma, config, log }, link, {
      client,
      quantity: form.quantity,
      amountChoice: form.amountChoice,
      customAmount: form.customAmount,
      tip: form.tip,
      code: form.code,
      ...(details.ok ? { details: details.details } : {}),
    });
    const shop = await loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language);
    if (result.kind === 'invalid') {
      log.info({ linkId: link.id, field: result.field, reason: result.reason }, 'checkout refused: the buyer\'s choice is not acceptable');
      if (result.field === 'quantity') {
        await sendLinkPage(res, link, shop, result.placesLeft, { errors: [{ field: result.field, message: quantityMessage(result.reason, result.placesLeft) }], form });
      } else {
        await sendLinkPage(res, link, shop, null, { errors: [{ field: result.field, message: priceRefusalMessage(link, language, result) }], form });
      }
      return;
    }
    if (result.kind === 'redirect') {
      res.redirect(303, result.sessionUrl);
      return;
    }
    if (result.kind === 'hold_limit') {
      log.warn({ linkId: link.id, client }, 'checkout refused: this client let too many holds of the link lapse unpaid today');
      sendPage(res, 429, renderMessagePage({ language, title: t('holdLimit.title'), message: t('holdLimit.body'), testId: 'hold-limit' }));
      return;
    }
    if (result.kind === 'closed') {
      sendClosedPage(res, link, result.availability, shop);
      return;
    }
    if (result.kind === 'mode_mismatch') {
      sendClosedPage(res, link, modeMismatchReason(link), shop);
      return;
    }
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
    const client = clientKey(req);
    const attempt = await countAttempt(prisma, `return:${client}`, RETURN_RATE_LIMIT, new Date());
    if (!attempt.allowed) {
      log.warn({ linkId: link.id, client }, 'return page refused: rate limit');
      const t = translator(language, 'pages');
      res.set('Retry-After', String(Math.max(1, Math.ceil((attempt.resetAt.getTime() - Date.now()) / 1000))));
      sendPage(res, 429, renderMessagePage({ language, title: t('rateLimited.title'), message: t('rateLimited.body'), testId: 'rate-limited' }));
      return;
    }
    const outcome = await confirmCheckoutReturn(
      { prisma, config, log, onPaymentRecorded: startNotice },
      link,
      req.query.session_id,
    );
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

  return router;
};
