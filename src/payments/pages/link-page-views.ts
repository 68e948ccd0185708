// The buyer-facing pages of a link, in the link's language: the page with its Pay form, closed, returned. Every user-supplied text goes
// through the `html` template, which escapes it.
import type { Translate } from '../../i18n/i18n.js';
import type { ClosedReason as OfferClosedReason } from '../../links/offer-rule.js';
import type { ReturnOutcome } from '../confirm-checkout-return.js';
import { html, renderPage, type Html } from '../../pages/html.js';
import { legalFooter, renderMessagePage, shopHeader, testBadge, type MessagePageView, type ShopBrand } from '../../pages/buyer-page-parts.js';
import { LIVE_TOTAL_SCRIPT } from './live-total.js';
import { ADDRESS_LINE_MAX, ANSWER_MAX, BUYER_NAME_MAX, type BuyerField, type BuyerFields } from '../../links/buyer-fields.js';
import type { BillingInterval } from '../../links/billing.js';

export interface LinkPageView {
  language: string;
  t: Translate<'pages'>;
  shop: ShopBrand;
  productName: string;
  description: string;
  price: string;
  /** Absolute URLs (Open Graph needs them). */
  pageUrl: string;
  imageUrl: string | null;
  /** The link's QR PNG: the preview image when the product has no photo. */
  qrImageUrl: string;
  checkoutPath: string;
  formToken: string;
  testMode: boolean;
  /** Adjustable quantity (a stepper); null when the quantity is fixed. */
  quantity: QuantityField | null;
  /** What Pay charges for a fixed quantity (the unit price × that quantity). */
  fixedTotal: string;
  /** A fixed quantity above one is shown ("Quantity: 3"). */
  fixedQuantity: number;
  /** The buyer's answers refused by the server (422), shown at their fields. */
  errors: FieldError[];
  /** The nonce the CSP allows the stepper's script to run with. */
  scriptNonce: string;
  /** What the link asks the buyer before Pay. */
  buyerFields: BuyerFields;
  /** The buyer's answers as posted, shown again on a 422 page. */
  values: Partial<Record<BuyerField, string>>;
  /** The payment methods offered, when the link limits them ("Card, PayPay"); null: all. */
  paymentMethods: string | null;
  /** A subscription link's terms, said plainly; null for one-time payments. */
  subscription?: SubscriptionTerms | null;
  /** A buyer-chosen price: preset buttons and a field; null for a fixed price. */
  amountField?: AmountField | null;
  /** Tips the buyer may add ("No tip" first); null when the link offers none. */
  tipField?: TipField | null;
  /** The discount code field, when the shop has a code for this link; null otherwise. */
  codeField?: CodeField | null;
  /** What Pay will charge, computed by the server (Apply / Show total, or a 422 page); null: not yet. */
  breakdown?: Breakdown | null;
  /** "The price changed since you opened this page…": Pay was refused, nothing charged (409). */
  pricesChanged?: string | null;
  /** The live total (live-total.ts): the form's pricing JSON, and the total shown before the script runs (null: hidden). */
  liveTotal?: { pricing: string; initial: string | null } | null;
}

interface Choice {
  value: string;
  label: string;
}

export interface AmountField {
  presets: Choice[];
  /** The radio chosen: a preset's value or "custom". */
  choice: string;
  /** The typed amount, as typed. */
  custom: string;
  hint: string;
}

export interface TipField {
  options: Choice[];
  choice: string;
}

interface CodeField {
  value: string;
  /** "Code SPRING10 applied: −¥300" once the server accepted it. */
  applied: string | null;
}

export interface Breakdown {
  rows: { label: string; value: string }[];
  total: string;
}

/** "¥1,000 every month" and "¥1,000 every month, card only, until cancelled". */
export interface SubscriptionTerms {
  every: string;
  terms: string;
}

export function subscriptionTerms(t: Translate<'pages'>, interval: BillingInterval | null, price: string): SubscriptionTerms | null {
  if (interval === null) return null;
  const every = t(`subscription.every.${interval}`, { price });
  return { every, terms: t('subscription.terms', { every }) };
}

interface QuantityField {
  min: number;
  max: number;
  /** As the buyer sent it, or the minimum. */
  value: string;
}

export interface FieldError {
  field: 'quantity' | 'amount' | 'tip' | 'code' | BuyerField;
  message: string;
}

function errorFor(errors: FieldError[], field: FieldError['field']): FieldError | undefined {
  return errors.find((error) => error.field === field);
}

function quantityInput(view: LinkPageView, quantity: QuantityField): Html {
  const { t } = view;
  const error = errorFor(view.errors, 'quantity');
  const described = ['quantity-hint', ...(error ? ['quantity-error'] : [])].join(' ');
  return html`<div class="field">
<label for="quantity">${t('link.quantity')}</label>
<p class="hint" id="quantity-hint">${t('link.quantityHint', { min: quantity.min, max: quantity.max })}</p>
${error ? html`<p class="field-error" id="quantity-error" data-testid="quantity-error">${error.message}</p>` : null}
<div class="stepper"><input id="quantity" name="quantity" type="number" inputmode="numeric" min="${quantity.min}" max="${quantity.max}" step="1" value="${quantity.value}" required aria-describedby="${described}"${error ? html` aria-invalid="true"` : null} data-decrease="${t('link.decrease')}" data-increase="${t('link.increase')}" data-testid="quantity"></div>
</div>`;
}

/** The total as the buyer chooses (live-total.ts); hidden until known, and while the server's breakdown shows it. */
function liveTotalLine(view: LinkPageView, live: NonNullable<LinkPageView['liveTotal']>): Html {
  const hidden = live.initial === null || Boolean(view.breakdown);
  return html`<p class="total" id="live-total"${hidden ? html` hidden` : null}>${view.t('link.total')} <output id="total" aria-live="polite" data-testid="total">${live.initial ?? ''}</output></p>`;
}

/** A group of radio buttons with its legend, hint and error tied together for screen readers. */
function radioGroup(view: LinkPageView, field: 'amount' | 'tip', legend: string, name: string, choices: Choice[], chosen: string, extra: { hint?: string; after?: Html } = {}): Html {
  const error = errorFor(view.errors, field);
  const described = [...(extra.hint ? [`${field}-hint`] : []), ...(error ? [`${field}-error`] : [])].join(' ');
  return html`<fieldset class="field group" id="${field}"${described ? html` aria-describedby="${described}"` : null} data-testid="${field}-field">
<legend>${legend}</legend>
${extra.hint ? html`<p class="hint" id="${field}-hint">${extra.hint}</p>` : null}
${error ? html`<p class="field-error" id="${field}-error" data-testid="${field}-error">${error.message}</p>` : null}
<div class="choices">${choices.map(
    (choice, index) =>
      html`<label class="choice"><input type="radio" name="${name}" value="${choice.value}"${chosen === choice.value ? html` checked` : null} data-testid="${field}-choice-${index}"> ${choice.label}</label>`,
  )}</div>
${extra.after ?? null}
</fieldset>`;
}

function amountInput(view: LinkPageView, amount: AmountField): Html {
  const { t } = view;
  const error = errorFor(view.errors, 'amount');
  const custom = html`<div class="field"><label for="customAmount">${t('link.amount.customLabel')}</label>
<input id="customAmount" name="customAmount" type="text" inputmode="decimal" autocomplete="off" maxlength="20" value="${amount.custom}"${error ? html` aria-invalid="true"` : null} data-testid="custom-amount"></div>`;
  const choices = amount.presets.length > 0 ? [...amount.presets, { value: 'custom', label: t('link.amount.custom') }] : [];
  return radioGroup(view, 'amount', t('link.amount.legend'), 'amountChoice', choices, amount.choice, { hint: amount.hint, after: custom });
}

function codeInput(view: LinkPageView, code: CodeField): Html {
  const { t } = view;
  const error = errorFor(view.errors, 'code');
  const described = error ? 'code-error' : code.applied ? 'code-applied' : null;
  return html`<div class="field">
<label for="code">${t('link.code.label')}</label>
${error ? html`<p class="field-error" id="code-error" data-testid="code-error">${error.message}</p>` : null}
${code.applied && !error ? html`<p class="applied" id="code-applied" data-testid="code-applied">${code.applied}</p>` : null}
<div class="code-row"><input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" maxlength="40" value="${code.value}"${described ? html` aria-describedby="${described}"` : null}${error ? html` aria-invalid="true"` : null} data-testid="code">
<button class="button secondary" type="submit" name="preview" value="1" formnovalidate data-testid="apply-code">${t('link.code.apply')}</button></div>
</div>`;
}

function breakdownList(view: LinkPageView, breakdown: Breakdown): Html {
  return html`<dl class="breakdown" id="breakdown" data-testid="breakdown">${breakdown.rows.map((row) => html`<dt>${row.label}</dt><dd>${row.value}</dd>`)}<dt class="grand">${view.t('link.breakdown.total')}</dt><dd class="grand" data-testid="breakdown-total">${breakdown.total}</dd></dl>`;
}

/** One labelled input, its error (if any) tied to it for screen readers. */
function textInput(
  view: LinkPageView,
  field: BuyerField,
  options: { label: string; type: 'text' | 'tel' | 'email'; autocomplete: string; maxlength: number; required: boolean; inputmode?: string; hint?: string },
): Html {
  const error = errorFor(view.errors, field);
  const described = [...(options.hint ? [`${field}-hint`] : []), ...(error ? [`${field}-error`] : [])].join(' ');
  return html`<div class="field">
<label for="${field}">${options.label}</label>
${options.hint ? html`<p class="hint" id="${field}-hint">${options.hint}</p>` : null}
${error ? html`<p class="field-error" id="${field}-error" data-testid="${field}-error">${error.message}</p>` : null}
<input id="${field}" name="${field}" type="${options.type}" autocomplete="${options.autocomplete}" maxlength="${options.maxlength}"${options.inputmode ? html` inputmode="${options.inputmode}"` : null}${options.required ? html` required aria-required="true"` : null}${described ? html` aria-describedby="${described}"` : null}${error ? html` aria-invalid="true"` : null} value="${view.values[field] ?? ''}" data-testid="${field}">
</div>`;
}

function addressFields(view: LinkPageView): Html {
  const { t } = view;
  const country = view.values.country ?? (view.language === 'ko' ? 'KR' : 'JP');
  const option = (code: 'JP' | 'KR') => html`<option value="${code}"${country === code ? html` selected` : null}>${t(`link.buyer.countries.${code}`)}</option>`;
  return html`<fieldset class="field group">
<legend>${t('link.buyer.address')}</legend>
<div class="field"><label for="country">${t('link.buyer.country')}</label>
<select id="country" name="country" autocomplete="country" data-testid="country">${option('JP')}${option('KR')}</select></div>
${textInput(view, 'postalCode', { label: t('link.buyer.postalCode'), type: 'text', autocomplete: 'postal-code', maxlength: 10, required: true, inputmode: 'numeric', hint: t('link.buyer.postalCodeHint') })}
${textInput(view, 'address1', { label: t('link.buyer.address1'), type: 'text', autocomplete: 'address-line1', maxlength: ADDRESS_LINE_MAX, required: true })}
${textInput(view, 'address2', { label: t('link.buyer.address2'), type: 'text', autocomplete: 'address-line2', maxlength: ADDRESS_LINE_MAX, required: false })}
</fieldset>`;
}

function questionField(view: LinkPageView, question: NonNullable<BuyerFields['question']>): Html {
  const error = errorFor(view.errors, 'answer');
  if (question.choices.length === 0) {
    return textInput(view, 'answer', { label: question.text, type: 'text', autocomplete: 'off', maxlength: ANSWER_MAX, required: true });
  }
  return html`<fieldset class="field group"${error ? html` aria-describedby="answer-error"` : null}>
<legend id="answer">${question.text}</legend>
${error ? html`<p class="field-error" id="answer-error" data-testid="answer-error">${error.message}</p>` : null}
${question.choices.map(
  (choice, index) =>
    html`<label class="choice"><input type="radio" name="answer" value="${choice}" required${view.values.answer === choice ? html` checked` : null}${error ? html` aria-invalid="true"` : null} data-testid="answer-${index}"> ${choice}</label>`,
)}
</fieldset>`;
}

/** The details the link asks for, before Pay. */
function buyerInputs(view: LinkPageView): Html | null {
  const { t, buyerFields } = view;
  if (buyerFields.ask.length === 0 && !buyerFields.question) return null;
  const parts: Html[] = [];
  for (const kind of buyerFields.ask) {
    if (kind === 'name') parts.push(textInput(view, 'buyerName', { label: t('link.buyer.name'), type: 'text', autocomplete: 'name', maxlength: BUYER_NAME_MAX, required: true }));
    if (kind === 'phone')
      parts.push(textInput(view, 'phone', { label: t('link.buyer.phone'), type: 'tel', autocomplete: 'tel', maxlength: 30, required: true, inputmode: 'tel', hint: t('link.buyer.phoneHint') }));
    if (kind === 'email') parts.push(textInput(view, 'email', { label: t('link.buyer.email'), type: 'email', autocomplete: 'email', maxlength: 254, required: true }));
    if (kind === 'address') parts.push(addressFields(view));
  }
  if (buyerFields.question) parts.push(questionField(view, buyerFields.question));
  return html`<div class="buyer-details" data-testid="buyer-details"><p class="hint">${t('link.buyer.intro')}</p>${parts}</div>`;
}

/** The field's name as the error summary says it. */
function fieldName(view: LinkPageView, field: FieldError['field']): string {
  if (field === 'quantity') return view.t('link.quantity');
  if (field === 'amount') return view.t('link.amount.legend');
  if (field === 'tip') return view.t('link.tip.legend');
  if (field === 'code') return view.t('link.code.label');
  if (field === 'answer') return view.buyerFields.question?.text ?? view.t('link.buyer.answer');
  if (field === 'buyerName') return view.t('link.buyer.name');
  return view.t(`link.buyer.${field}`);
}

function errorSummary(view: LinkPageView): Html | null {
  if (view.errors.length === 0) return null;
  return html`<div class="error-summary" role="alert" data-testid="error-summary"><p>${view.t('link.fixErrors')}</p><ul>${view.errors.map(
    // A field no longer offered (e.g. the quantity once one place is left) has nothing to jump to.
    (error) => (error.field !== 'quantity' || view.quantity ? html`<li><a href="#${error.field}">${fieldName(view, error.field)}: ${error.message}</a></li>` : html`<li>${error.message}</li>`),
  )}</ul></div>`;
}

/** The page's inline script (run by its nonce), if it needs one: the live total. */
export function linkPageScript(view: Pick<LinkPageView, 'liveTotal'>): string | null {
  return view.liveTotal ? LIVE_TOTAL_SCRIPT : null;
}

/** "Pay ¥1,350" when the total is known for sure; plain "Pay" while the buyer still chooses (the live total names it); "Subscribe: ¥1,000 every month". */
function payLabel(view: LinkPageView): string {
  if (view.subscription) return view.t('subscription.subscribe', { every: view.subscription.every });
  if (view.breakdown && !view.quantity) return view.t('link.pay', { price: view.breakdown.total });
  if (view.quantity || view.amountField || view.tipField) return view.t('link.payAdjustable');
  return view.t('link.pay', { price: view.fixedTotal });
}

export function renderLinkPage(view: LinkPageView): string {
  const { t } = view;
  const script = linkPageScript(view);
  const summary = view.description.trim() === '' ? view.price : `${view.price} — ${view.description}`;
  const ogDescription = summary.length > 200 ? `${summary.slice(0, 199)}…` : summary;
  const head = html`<meta name="robots" content="noindex">
<meta name="description" content="${ogDescription}">
<meta property="og:type" content="website">
<meta property="og:title" content="${view.productName}">
<meta property="og:description" content="${ogDescription}">
<meta property="og:url" content="${view.pageUrl}">
<meta property="og:image" content="${view.imageUrl ?? view.qrImageUrl}">
<meta name="twitter:card" content="${view.imageUrl ? 'summary_large_image' : 'summary'}">`;
  const body = html`<div class="card">
${view.imageUrl ? html`<img class="product-image" src="${view.imageUrl}" alt="${view.productName}">` : null}
<div class="body">
${testBadge(t, view.testMode)}
${shopHeader(view.shop)}
<h1 data-testid="product-name">${view.productName}</h1>
<p class="price"><span data-testid="price">${view.price}</span><span class="tax-note" data-testid="tax-note">${t('link.taxIncluded')}</span></p>
${view.subscription ? html`<p class="description" data-testid="subscription-terms"><strong>${view.subscription.terms}</strong></p>` : null}
${view.description.trim() === '' ? null : html`<p class="description" data-testid="description">${view.description}</p>`}
${view.fixedQuantity > 1 && !view.quantity ? html`<p data-testid="fixed-quantity">${t('link.fixedQuantity', { count: view.fixedQuantity })}</p>` : null}
${view.pricesChanged ? html`<div class="error-summary" role="alert" data-testid="prices-changed"><p>${view.pricesChanged}</p></div>` : null}
${errorSummary(view)}
<form method="post" action="${view.checkoutPath}" novalidate${view.liveTotal ? html` data-pricing="${view.liveTotal.pricing}"` : null}>
<input type="hidden" name="token" value="${view.formToken}">
${view.amountField ? amountInput(view, view.amountField) : null}
${view.quantity ? quantityInput(view, view.quantity) : null}
${view.tipField ? radioGroup(view, 'tip', t('link.tip.legend'), 'tip', view.tipField.options, view.tipField.choice) : null}
${view.codeField ? codeInput(view, view.codeField) : null}
${view.liveTotal ? liveTotalLine(view, view.liveTotal) : null}
${view.breakdown ? breakdownList(view, view.breakdown) : null}
${!view.codeField && (view.amountField || view.tipField) ? html`<div class="field"><button class="button secondary" type="submit" name="preview" value="1" formnovalidate data-testid="show-total">${t('link.showTotal')}</button></div>` : null}
${buyerInputs(view)}
<button class="button primary" type="submit" data-testid="pay">${payLabel(view)}</button>
</form>
<p class="notice center">${t('link.payNote')}</p>
${view.subscription ? html`<p class="notice center" data-testid="subscription-explain">${t('subscription.explain')}</p>` : null}
${view.paymentMethods ? html`<p class="notice center" data-testid="payment-methods">${t('link.paymentMethods', { methods: view.paymentMethods })}</p>` : null}
${view.testMode ? html`<p class="notice center">${t('link.testNotice')}</p>` : null}
</div>
</div>`;
  return renderPage({
    language: view.language,
    title: `${view.errors.length > 0 ? `${t('link.errorTitle')} — ` : ''}${view.productName} — ${view.price}`,
    head,
    body,
    footer: legalFooter(t, view.shop),
    ...(script ? { script: { nonce: view.scriptNonce, source: script } } : {}),
  });
}

/** Why a link's page takes no payment: its own state, or a provider now in another mode (test/live) than the link. */
/**
 * The offer rule's reasons (links/offer-rule.ts); `reserved_awaiting`: the last places are held by
 * payments awaiting payment at a store or bank, and free up at `time` if not paid.
 */
export type ClosedReason = OfferClosedReason | 'reserved_awaiting' | 'made_in_test_mode' | 'made_in_live_mode';

export function renderClosedPage(
  language: string,
  t: Translate<'pages'>,
  productName: string,
  reason: ClosedReason,
  shop?: ShopBrand,
  places: { count: number; min: number; time?: string } = { count: 0, min: 1 },
): string {
  return renderMessagePage({
    language,
    t,
    ...(shop ? { shop } : {}),
    title: reason === 'reserved' || reason === 'reserved_awaiting' ? t('closed.reservedTitle') : t('closed.title'),
    detail: productName,
    message: t(`closed.${reason}`, { time: '', ...places }),
    testId: 'closed',
  });
}

export interface ReturnPageView {
  language: string;
  t: Translate<'pages'>;
  shop: ShopBrand;
  outcome: ReturnOutcome;
  productName: string;
  price: string;
  linkPath: string;
  testMode: boolean;
  /** Our checkout id, which KOMOJU also holds as the order number: what the buyer quotes to the shop. */
  orderReference: string | null;
  /** The shop's message for buyers who paid. */
  afterPaymentMessage: string | null;
  /** The bot's add-friend URL, when the operator configured the channel's basic ID. */
  lineAddFriendUrl: string | null;
  /** A subscription link's terms; null for one-time payments. */
  subscription?: SubscriptionTerms | null;
}

function orderDetails(view: ReturnPageView, withMessage: boolean): Html | null {
  const { t } = view;
  if (!view.orderReference && !(withMessage && view.afterPaymentMessage)) return null;
  return html`${view.orderReference ? html`<p class="notice" data-testid="order-reference">${t('return.orderReference')} <strong>${view.orderReference}</strong></p>` : null}
${withMessage && view.afterPaymentMessage ? html`<div class="after-payment" data-testid="after-payment-message"><p class="description">${view.afterPaymentMessage}</p></div>` : null}`;
}

function backToLine(view: ReturnPageView): MessagePageView['action'] {
  return view.lineAddFriendUrl ? { href: view.lineAddFriendUrl, label: view.t('return.backToLine') } : undefined;
}

export function renderReturnPage(view: ReturnPageView): string {
  const { t } = view;
  if (view.outcome === 'paid') {
    return renderMessagePage({
      language: view.language,
      t,
      shop: view.shop,
      testMode: view.testMode,
      icon: { symbol: '✓' },
      title: view.subscription ? t('return.subscribedTitle') : t('return.paidTitle'),
      message: view.subscription ? t('return.subscribedBody', { product: view.productName, terms: view.subscription.terms }) : t('return.paidBody', { product: view.productName, price: view.price }),
      extra: orderDetails(view, true),
      action: backToLine(view),
      testId: 'paid',
    });
  }
  if (view.outcome === 'subscribing') {
    return renderMessagePage({
      language: view.language,
      t,
      shop: view.shop,
      testMode: view.testMode,
      icon: { symbol: '…', waiting: true },
      title: t('return.subscribingTitle'),
      detail: view.subscription ? `${view.productName} — ${view.subscription.terms}` : view.productName,
      message: t('return.subscribingBody'),
      extra: orderDetails(view, false),
      action: backToLine(view),
      testId: 'subscribing',
    });
  }
  if (view.outcome === 'awaiting') {
    return renderMessagePage({
      language: view.language,
      t,
      shop: view.shop,
      testMode: view.testMode,
      icon: { symbol: '…', waiting: true },
      title: t('return.awaitingTitle'),
      detail: view.productName,
      message: t('return.awaitingBody'),
      extra: orderDetails(view, false),
      action: backToLine(view),
      testId: 'awaiting',
    });
  }
  return renderMessagePage({
    language: view.language,
    t,
    shop: view.shop,
    testMode: view.testMode,
    title: t('return.notCompletedTitle'),
    detail: view.productName,
    message: t('return.notCompletedBody'),
    action: { href: view.linkPath, label: t('return.retry') },
    testId: 'not-completed',
  });
}
