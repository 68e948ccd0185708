// GET /s/:shopSlug/legal — the seller's legal page (shop-profile/legal-page.ts), in the language
// asked for (?lang=) or the browser's.
import express from 'express';
import { isLanguage, translator, type Language } from '../i18n/i18n.js';
import { renderMessagePage } from '../pages/buyer-page-parts.js';
import { preferredLanguage, sendPage } from '../pages/html.js';
import { showLegalPage } from '../shop-profile/legal-page.js';
import type { RouteFactory } from './route-deps.js';

export const shopPageRoutes: RouteFactory = ({ db, config }) => {
  const router = express.Router();
  router.get('/s/:shopSlug/legal', async (req, res) => {
    const requested = req.query.lang;
    const language: Language = isLanguage(requested) ? requested : preferredLanguage(req);
    const page = await showLegalPage(db.prisma, config.publicBaseUrl, req.params.shopSlug, language);
    if (page === null) {
      const t = translator(language, 'pages');
      sendPage(res, 404, renderMessagePage({ language, title: t('notFound.title'), message: t('legal.notFound'), testId: 'not-found' }));
      return;
    }
    sendPage(res, 200, page);
  });
  return router;
};
