// The buyer-facing pages of a link, in the link's language. Every user-supplied text goes
// through the `html` template, which escapes it.
import type { Translate } from '../i18n/i18n.js';
import type { LinkAvailability } from '../payments/link-availability-rule.js';
import type { ReturnOutcome } from '../payments/confirm-checkout-return.js';
import { html, renderPage, type Html } from './html.js';

/** Who sells, as every buyer page shows it: name, logo, and where the legal notice is. */
export interface ShopBrand {
  name: string;
  logoUrl: string | null;
  /** Our /s/<shop slug>/legal page, or the shop's own legal notice URL. */
  legalUrl: string;
}

export function shopHeader(shop: ShopBrand | undefined): Html | null {
  if (!shop) return null;
  return html`<p class="shop" data-testid="shop">${shop.logoUrl ? html`<img class="shop-logo" src="${shop.logoUrl}" alt="" data-testid="shop-logo">` : null}<span data-testid="shop-name">${shop.name}</span></p>`;
}

export function legalFooter(t: Translate<'pages'>, shop: ShopBrand | undefined): Html | undefined {
  if (!shop) return undefined;
  return html`<footer><a href="${shop.legalUrl}" data-testid="legal-link">${t('legal.link')}</a></footer>`;
}

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
}

function testBadge(t: Translate<'pages'>, testMode: boolean): Html | null {
  return testMode ? html`<span class="test-badge" data-testid="test-badge">${t('link.testBadge')}</span>` : null;
}

export function renderLinkPage(view: LinkPageView): string {
  const { t } = view;
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
<p class="price"><span data-testid="price">${view.price}</span> <span class="tax-note" data-testid="tax-note">${t('link.taxIncluded')}</span></p>
${view.description.trim() === '' ? null : html`<p class="description" data-testid="description">${view.description}</p>`}
<form method="post" action="${view.checkoutPath}">
<input type="hidden" name="token" value="${view.formToken}">
<button class="button primary" type="submit" data-testid="pay">${t('link.pay', { price: view.price })}</button>
</form>
<p class="notice center">${t('link.payNote')}</p>
${view.testMode ? html`<p class="notice center">${t('link.testNotice')}</p>` : null}
</div>
</div>`;
  return renderPage({ language: view.language, title: `${view.productName} — ${view.price}`, head, body, footer: legalFooter(t, view.shop) });
}

export interface MessagePageView {
  language: string;
  title: string;
  message: string;
  /** A symbol any font has (phones' emoji fonts are not everywhere). */
  icon?: { symbol: string; waiting?: boolean };
  action?: { href: string; label: string };
  testMode?: boolean;
  t?: Translate<'pages'>;
  /** Shown above the message (e.g. which product this is about). */
  detail?: string;
  /** The shop the page is about, when it is about one. */
  shop?: ShopBrand;
  testId: string;
}

export function renderMessagePage(view: MessagePageView): string {
  const body = html`<div class="card"><div class="body center" data-testid="${view.testId}">
${view.t ? testBadge(view.t, view.testMode ?? false) : null}
${shopHeader(view.shop)}
${view.icon ? html`<div class="status-icon${view.icon.waiting ? ' waiting' : ''}" aria-hidden="true">${view.icon.symbol}</div>` : null}
<h1>${view.title}</h1>
${view.detail ? html`<p class="price">${view.detail}</p>` : null}
<p class="description">${view.message}</p>
${view.action ? html`<a class="button secondary" href="${view.action.href}">${view.action.label}</a>` : null}
</div></div>`;
  return renderPage({
    language: view.language,
    title: view.title,
    head: html`<meta name="robots" content="noindex">`,
    body,
    footer: view.t ? legalFooter(view.t, view.shop) : undefined,
  });
}

/** Why a link's page takes no payment: its own state, or a provider now in another mode (test/live) than the link. */
export type ClosedReason = Exclude<LinkAvailability, 'open'> | 'made_in_test_mode' | 'made_in_live_mode';

export function renderClosedPage(language: string, t: Translate<'pages'>, productName: string, reason: ClosedReason, shop?: ShopBrand): string {
  return renderMessagePage({
    language,
    t,
    ...(shop ? { shop } : {}),
    title: reason === 'reserved' ? t('closed.reservedTitle') : t('closed.title'),
    detail: productName,
    message: t(`closed.${reason}`),
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
      title: t('return.paidTitle'),
      message: t('return.paidBody', { product: view.productName, price: view.price }),
      testId: 'paid',
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
