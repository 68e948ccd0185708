// GET /s/:shopSlug/legal — the shop's legal notice (特定商取引法に基づく表記), built from the profile
// the owner keeps in chat. Items not given yet say so, so every link's footer link works from the
// first day; a shop that keeps its notice on its own site is linked from here too.
import express from 'express';
import { isLanguage, translator, type Language, type Translate } from '../i18n/i18n.js';
import { findShopBySlug, shopDisplayName, type ShopProfile } from '../merchants/shop-profile.js';
import { LEGAL_ITEMS, type LegalItem } from '../merchants/shop-profile-rules.js';
import { mediaUrl } from '../links/link-urls.js';
import { html, preferredLanguage, renderPage, sendPage } from './html.js';
import { renderMessagePage, shopHeader } from './link-page-views.js';
import type { RouteFactory } from './route-deps.js';

const SHOP_SLUG = /^[0-9a-f]{32}$/;

// The Act's order: seller, responsible person, address, phone, contact, price, payment, delivery, returns.
const ROWS: (LegalItem | 'contact' | 'price' | 'payment')[] = [
  'legalName',
  'legalResponsible',
  'legalAddress',
  'legalPhone',
  'contact',
  'price',
  'payment',
  'deliveryTiming',
  'returnsPolicy',
];

function rowValue(profile: ShopProfile, row: (typeof ROWS)[number], t: Translate<'pages'>): string {
  if (row === 'price') return t('legal.priceValue');
  if (row === 'payment') return t('legal.paymentValue');
  return profile[row] ?? t('legal.notProvided');
}

export function renderLegalPage(profile: ShopProfile, language: Language, publicBaseUrl: string): string {
  const t = translator(language, 'pages');
  const name = shopDisplayName(profile);
  const nothingGiven = !profile.legalUrl && LEGAL_ITEMS.every((item) => !profile[item]);
  const shop = { name, logoUrl: profile.logoId ? mediaUrl(publicBaseUrl, profile.logoId) : null, legalUrl: '' };
  const rows = ROWS.map(
    (row) => html`<div class="legal-row"><dt>${t(`legal.items.${row}`)}</dt><dd data-testid="legal-${row}">${rowValue(profile, row, t)}</dd></div>`,
  );
  const body = html`<div class="card"><div class="body" data-testid="legal">
${shopHeader(shop)}
<h1>${t('legal.title')}</h1>
${profile.legalUrl ? html`<p class="description"><a href="${profile.legalUrl}" data-testid="legal-own-page" rel="noopener">${t('legal.ownPage')}</a></p>` : null}
${nothingGiven ? html`<p class="description" data-testid="legal-pending">${t('legal.pending')}</p>` : null}
<dl class="legal">${rows}</dl>
</div></div>`;
  return renderPage({ language, title: `${t('legal.title')} — ${name}`, head: html`<meta name="robots" content="noindex">`, body });
}

export const shopPageRoutes: RouteFactory = ({ db, config }) => {
  const router = express.Router();
  router.get('/s/:shopSlug/legal', async (req, res) => {
    const requested = req.query.lang;
    const language: Language = isLanguage(requested) ? requested : preferredLanguage(req);
    const slug = req.params.shopSlug;
    const profile = SHOP_SLUG.test(slug) ? await findShopBySlug(db.prisma, slug) : null;
    if (!profile) {
      const t = translator(language, 'pages');
      sendPage(res, 404, renderMessagePage({ language, title: t('notFound.title'), message: t('legal.notFound'), testId: 'not-found' }));
      return;
    }
    sendPage(res, 200, renderLegalPage(profile, language, config.publicBaseUrl));
  });
  return router;
};
