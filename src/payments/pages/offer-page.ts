// A link's page as the offer rule (links/offer-rule.ts) renders it: the quantity range, amount
// presets, tips and code field the buyer may choose now, and nothing else. Pure (no request, no
// database), so the property test (test/unit/payments/offer-page-property.test.ts) renders it for
// random links and states and submits the form as it stands.
import type { BuyerLink } from '../../links/buyer-link.js';
import { readDiscountOff } from '../../discounts/discount-rule.js';
import { isSupportedCurrency, maxAmount } from '../../i18n/currency.js';
import { formatStoredPrice, priceParts } from '../../i18n/format.js';
import { isLanguage, translator, type Language } from '../../i18n/i18n.js';
import { readBillingInterval } from '../../links/billing.js';
import { BUYER_FIELD_MAX, readBuyerFields, type BuyerField } from '../../links/buyer-fields.js';
import { CUSTOM_AMOUNT_CHOICE, NO_TIP_CHOICE, tipChoiceValue } from '../../links/link-price.js';
import { linkPageUrl, mediaUrl, qrImageUrl } from '../../links/link-urls.js';
import type { OpenOffer } from '../../links/offer-rule.js';
import { readPaymentTypes } from '../../links/payment-types.js';
import { isAdjustable } from '../../links/quantity.js';
import type { CheckoutOrder, FormProblem } from '../read-checkout-form.js';
import { encodeShownPrices, shownPricesOf } from '../shown-prices.js';
import { formToken } from '../../pages/form-token.js';
import { newScriptNonce } from '../../pages/html.js';
import { TOTAL_MARK, type LivePricing } from './live-total.js';
import { linkPageScript, renderLinkPage, subscriptionTerms, type AmountField, type Breakdown, type FieldError, type TipField } from './link-page-views.js';
import { type ShopBrand } from '../../pages/buyer-page-parts.js';

/** The Pay form's token purpose (pages/form-token.ts). */
export const CHECKOUT_FORM = 'checkout';
/** The buyer's fields a 422 page shows again as typed. */
const BUYER_FORM_FIELDS: readonly BuyerField[] = ['buyerName', 'phone', 'email', 'country', 'postalCode', 'address1', 'address2', 'answer'];

export function linkLanguage(link: BuyerLink): Language {
  return isLanguage(link.language) ? link.language : 'ja';
}

export interface OfferPageRetry {
  errors: FieldError[];
  form: Record<string, unknown>;
  priced?: CheckoutOrder | null;
  /** The owner changed the price or the tips since the buyer's page was rendered: nothing was charged (409). */
  pricesChanged?: boolean;
}

interface OfferPageInput {
  link: BuyerLink;
  shop: ShopBrand;
  offer: OpenOffer;
  config: { publicBaseUrl: string; appSecret: string };
  /** The buyer's answers again, and what was wrong with them (422). */
  retry?: OfferPageRetry | undefined;
}

/** "Card, PayPay" in the page's language when the link limits the payment types; null: all. */
function paymentMethodNames(link: BuyerLink, language: Language): string | null {
  const types = readPaymentTypes(link.paymentTypes);
  if (types.length === 0) return null;
  const t = translator(language, 'links');
  return types.map((type) => t(`paymentTypes.names.${type}`)).join(t('buyerAsk.separator'));
}

/** The page's message for a field the offer does not accept, in the link's language. */
function problemMessage(link: BuyerLink, offer: OpenOffer, language: Language, problem: FormProblem, country: 'JP' | 'KR'): string {
  const t = translator(language, 'pages');
  switch (problem.field) {
    case 'quantity':
      return t(`link.errors.quantity.${problem.reason}`, { min: offer.quantity.min, max: problem.reason === 'above_max' ? offer.quantityMax : offer.quantity.max, count: offer.placesLeft ?? 0 });
    case 'tip':
      return t('link.errors.tip.not_an_option');
    case 'code':
      return t(`link.errors.code.${problem.reason}`);
    case 'amount': {
      const [min, max] = offer.price.mode === 'buyer' ? [offer.price.min, offer.price.max] : [offer.price.amount, offer.price.amount];
      return t(`link.errors.amount.${problem.reason}`, { min: formatStoredPrice(min, link.currency, language), max: formatStoredPrice(max, link.currency, language), currency: link.currency });
    }
    default: {
      const key = problem.reason === 'not_postal_code' ? (`not_postal_code_${country}` as const) : problem.reason;
      return t(`link.buyer.errors.${key}`, { max: BUYER_FIELD_MAX[problem.field] });
    }
  }
}

/** The buyer's price choices on the page, as posted (or the defaults on first view). */
function amountFieldFor(link: BuyerLink, offer: OpenOffer, language: Language, form: Record<string, unknown> | undefined): AmountField | null {
  const price = offer.price;
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

function tipFieldFor(link: BuyerLink, offer: OpenOffer, language: Language, form: Record<string, unknown> | undefined): TipField | null {
  const tips = offer.tips;
  if (!tips) return null;
  const t = translator(language, 'pages');
  const options = tips.values.map((value) => ({
    value: tipChoiceValue(tips.kind, value),
    label: tips.kind === 'percent' ? t('link.tip.percent', { percent: value }) : formatStoredPrice(value, link.currency, language),
  }));
  // A tip no longer offered (the owner changed the options) is not shown as chosen.
  const posted = typeof form?.tip === 'string' ? form.tip.slice(0, 12) : NO_TIP_CHOICE;
  return { options: [{ value: NO_TIP_CHOICE, label: t('link.tip.none') }, ...options], choice: options.some((option) => option.value === posted) ? posted : NO_TIP_CHOICE };
}

function breakdownFor(link: BuyerLink, language: Language, priced: CheckoutOrder): Breakdown {
  const t = translator(language, 'pages');
  const format = (amount: number) => formatStoredPrice(amount, link.currency, language);
  const { amount, code } = priced;
  const rows: Breakdown['rows'] = [];
  if (amount.discount > 0 || amount.tip > 0) rows.push({ label: t('link.breakdown.subtotal'), value: format(amount.subtotal) });
  if (code && amount.discount > 0) rows.push({ label: t('link.breakdown.discount', { code: code.code }), value: `−${format(amount.discount)}` });
  if (amount.tip > 0) rows.push({ label: t('link.breakdown.tip'), value: format(amount.tip) });
  return { rows, total: format(amount.total) };
}

/** The page's HTML and status (422 when it shows problems), and the nonce of its script if it has one. */
export function renderOfferPage(input: OfferPageInput): { status: number; html: string; scriptNonce: string | undefined } {
  const { link, shop, offer, config, retry } = input;
  const language = linkLanguage(link);
  const t = translator(language, 'pages');
  const range = offer.quantity;
  const unit = offer.price.mode === 'fixed' ? offer.price.amount : offer.price.min;
  const price = (quantity: number) => formatStoredPrice(unit * quantity, link.currency, language);
  const subscription = readBillingInterval(link.billingInterval);
  const amountField = amountFieldFor(link, offer, language, retry?.form);
  const tipField = tipFieldFor(link, offer, language, retry?.form);
  const headline =
    offer.price.mode === 'buyer'
      ? t('link.priceRange', { min: formatStoredPrice(offer.price.min, link.currency, language), max: formatStoredPrice(offer.price.max, link.currency, language) })
      : price(1);
  // A code the buyer typed stays on the page with its error even when no code is live any more.
  const typedCode = !offer.subscription && typeof retry?.form.code === 'string' && retry.form.code.trim() !== '';
  const codeField =
    offer.code || typedCode
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
  const quantity = isAdjustable(range) ? { min: range.min, max: range.max, value: posted } : null;
  const pricing = quantity || amountField || tipField || codeField ? livePricing(link, offer, language, retry?.priced ?? null) : null;
  // Before the script runs (and without it) a fixed price's total shows for the quantity posted; choices wait for Show total.
  const postedQuantity = Number(posted);
  const initial = !amountField && !tipField && Number.isInteger(postedQuantity) && postedQuantity >= range.min && postedQuantity <= range.max ? price(postedQuantity) : null;
  const liveTotal = pricing ? { pricing: JSON.stringify(pricing), initial: quantity ? initial : null } : null;
  return {
    status: retry?.pricesChanged ? 409 : retry && retry.errors.length > 0 ? 422 : 200,
    html: renderLinkPage({
      language,
      t,
      shop,
      productName: link.productName,
      description: link.description,
      price: headline,
      pageUrl: linkPageUrl(config.publicBaseUrl, link.slug),
      imageUrl: link.imageId ? mediaUrl(config.publicBaseUrl, link.imageId) : null,
      qrImageUrl: qrImageUrl(config.publicBaseUrl, link.slug),
      checkoutPath: `/l/${encodeURIComponent(link.slug)}/checkout`,
      // The prices this page shows, signed: Pay is refused if they changed since (payments/shown-prices.ts).
      formToken: formToken(config.appSecret, CHECKOUT_FORM, link.slug, Date.now(), encodeShownPrices(shownPricesOf(link, offer))),
      testMode: link.testMode,
      quantity,
      fixedTotal: price(range.min),
      fixedQuantity: range.min,
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
      pricesChanged: retry?.pricesChanged
        ? retry.priced
          ? t('link.pricesChanged.total', { total: formatStoredPrice(retry.priced.amount.total, link.currency, language) })
          : t('link.pricesChanged.plain')
        : null,
      liveTotal,
    }),
    scriptNonce: linkPageScript({ liveTotal }) ? scriptNonce : undefined,
  };
}

/** What the page's live total prices from (live-total.ts); null when the currency's prices cannot be formatted the server's way in the script. */
function livePricing(link: BuyerLink, offer: OpenOffer, language: Language, priced: CheckoutOrder | null): LivePricing | null {
  const money = priceParts(link.currency, language);
  if (!money || !isSupportedCurrency(link.currency)) return null;
  const t = translator(language, 'pages');
  const range = offer.quantity;
  const fewerLeft = range.max < offer.quantityMax;
  const off = priced?.code && priced.amount.discount > 0 ? readDiscountOff(priced.code) : null;
  return {
    price: offer.price.mode === 'fixed' ? { fixed: offer.price.amount } : { min: offer.price.min, max: offer.price.max, presets: offer.price.presets },
    tips: offer.tips,
    quantity: isAdjustable(range)
      ? {
          min: range.min,
          max: range.max,
          errors: {
            notANumber: t('link.errors.quantity.not_a_number'),
            belowMin: t('link.errors.quantity.below_min', { min: range.min }),
            aboveMax: fewerLeft ? t('link.errors.quantity.not_enough_left', { count: offer.placesLeft ?? range.max }) : t('link.errors.quantity.above_max', { max: range.max }),
          },
        }
      : null,
    fixedQuantity: range.min,
    off,
    max: maxAmount(link.currency),
    money,
    pay: t('link.pay', { price: TOTAL_MARK }),
    plain: t('link.payAdjustable'),
  };
}

/** A message at each field the offer does not accept, in the link's language. */
export function problemErrors(link: BuyerLink, offer: OpenOffer, problems: FormProblem[], form: Record<string, unknown>): FieldError[] {
  const country = form.country === 'KR' ? 'KR' : 'JP';
  return problems.map((problem) => ({ field: problem.field, message: problemMessage(link, offer, linkLanguage(link), problem, country) }));
}
