// What every buyer page shares: who sells (name, logo, legal notice link), the TEST badge, and the
// page with one message (not found, forbidden, closed, paid…). Every text goes through `html`,
// which escapes it.
import type { Translate } from '../i18n/i18n.js';
import { html, renderPage, type Html } from './html.js';

/** Who sells, as every buyer page shows it: name, logo, and where the legal notice is. */
export interface ShopBrand {
  name: string;
  logoUrl: string | null;
  /** Our /s/<shop slug>/legal page, or the shop's own legal notice URL. */
  legalUrl: string;
  /** Whose law the legal page follows (its link is named after it); absent: Japan's. */
  legalCountry?: 'JP' | 'KR';
}

export function shopHeader(shop: ShopBrand | undefined): Html | null {
  if (!shop) return null;
  return html`<p class="shop" data-testid="shop">${shop.logoUrl ? html`<img class="shop-logo" src="${shop.logoUrl}" alt="" data-testid="shop-logo">` : null}<span data-testid="shop-name">${shop.name}</span></p>`;
}

export function legalFooter(t: Translate<'pages'>, shop: ShopBrand | undefined): Html | undefined {
  if (!shop) return undefined;
  return html`<footer><a href="${shop.legalUrl}" data-testid="legal-link">${t(shop.legalCountry === 'KR' ? 'legal.linkKR' : 'legal.linkJP')}</a></footer>`;
}

export function testBadge(t: Translate<'pages'>, testMode: boolean): Html | null {
  return testMode ? html`<span class="test-badge" data-testid="test-badge">${t('link.testBadge')}</span>` : null;
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
  /** Shown after the message (the order reference, the shop's after-payment message). */
  extra?: Html | null;
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
${view.extra}
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
