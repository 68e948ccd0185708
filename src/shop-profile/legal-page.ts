// The seller's legal page (GET /s/:shopSlug/legal, http/shop-legal-page.ts), built from the
// profile the owner keeps in chat, for the law of the seller's country: a Japanese seller's 特定商取引法に基づく表記 (titled so a Korean
// reader knows what it is: 판매자 정보 (일본 특정상거래법에 따른 표시)), a Korean seller's 판매자 정보
// (전자상거래법). An item left empty says it is disclosed on request — the accepted way to omit one —
// never "not provided", which reads like a warning. A shop that keeps its page on its own site is
// linked from here too.
import type { Prisma } from '../db/database.js';
import { translator, type Language, type Translate } from '../i18n/i18n.js';
import { findShopBySlug, shopDisplayName, type ShopProfile } from '../merchants/shop-profile.js';
import { LEGAL_ITEMS, shopCountry, type LegalItem } from '../merchants/shop-profile-rules.js';
import { mediaUrl } from '../links/link-urls.js';
import { html, renderPage } from '../pages/html.js';
import { shopHeader } from '../pages/buyer-page-parts.js';

const SHOP_SLUG = /^[0-9a-f]{32}$/;

type JapaneseRow = (typeof LEGAL_ITEMS)['JP'][number] | 'price' | 'payment' | 'paymentTiming';

// The order KOMOJU's and the Consumer Affairs Agency's examples use; what we write ourselves
// (price, payment methods, when payment is due) sits among the seller's items.
const JAPANESE_ROWS: readonly JapaneseRow[] = [
  'legalName',
  'legalResponsible',
  'legalAddress',
  'legalPhone',
  'legalEmail',
  'price',
  'extraCharges',
  'payment',
  'paymentTiming',
  'deliveryTiming',
  'returnsPolicy',
];

function itemValue(profile: ShopProfile, item: LegalItem, t: Translate<'pages'>): string {
  return profile[item] ?? t('legal.onRequest');
}

function japaneseRowValue(profile: ShopProfile, row: JapaneseRow, t: Translate<'pages'>): string {
  switch (row) {
    case 'price':
      return t('legal.priceValue');
    case 'payment':
      return t('legal.paymentValue');
    case 'paymentTiming':
      return t('legal.paymentTimingValue');
    default:
      return itemValue(profile, row, t);
  }
}

function legalRow(label: string, testId: string, value: string) {
  return html`<div class="legal-row"><dt>${label}</dt><dd data-testid="legal-${testId}">${value}</dd></div>`;
}

export function renderLegalPage(profile: ShopProfile, language: Language, publicBaseUrl: string): string {
  const t = translator(language, 'pages');
  const name = shopDisplayName(profile);
  const country = shopCountry(profile);
  const items: readonly LegalItem[] = LEGAL_ITEMS[country];
  const nothingGiven = !profile.legalUrl && items.every((item) => !profile[item]);
  const shop = { name, logoUrl: profile.logoId ? mediaUrl(publicBaseUrl, profile.logoId) : null, legalUrl: '', legalCountry: country };
  const rows =
    country === 'JP'
      ? JAPANESE_ROWS.map((row) => legalRow(t(`legal.itemsJP.${row}`), row, japaneseRowValue(profile, row, t)))
      : LEGAL_ITEMS.KR.map((item) => legalRow(t(`legal.itemsKR.${item}`), item, itemValue(profile, item, t)));
  const title = t(country === 'JP' ? 'legal.titleJP' : 'legal.titleKR');
  const body = html`<div class="card"><div class="body" data-testid="legal">
${shopHeader(shop)}
<h1>${title}</h1>
${profile.legalUrl ? html`<p class="description"><a href="${profile.legalUrl}" data-testid="legal-own-page" rel="noopener">${t('legal.ownPage')}</a></p>` : null}
${nothingGiven ? html`<p class="description" data-testid="legal-pending">${t('legal.pending')}</p>` : null}
<dl class="legal">${rows}</dl>
</div></div>`;
  return renderPage({ language, title: `${title} — ${name}`, head: html`<meta name="robots" content="noindex">`, body });
}

/** The legal page of the shop with this slug in `language`; null for no such shop (or a path that is no shop slug). */
export async function showLegalPage(prisma: Prisma, publicBaseUrl: string, slug: unknown, language: Language): Promise<string | null> {
  const profile = typeof slug === 'string' && SHOP_SLUG.test(slug) ? await findShopBySlug(prisma, slug) : null;
  return profile ? renderLegalPage(profile, language, publicBaseUrl) : null;
}
