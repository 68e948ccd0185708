// GET /exports/<token>: the owner's CSV of payments (exports/download-export.ts), for 24 hours from
// when the chat issued the link. The signed token is the permission, so the answer is never cached
// and never indexed, and sends no Referer onwards.
import express from 'express';
import { downloadExport } from '../exports/download-export.js';
import { translator } from '../i18n/i18n.js';
import { preferredLanguage, sendPage } from '../pages/html.js';
import { renderMessagePage } from '../pages/buyer-page-parts.js';
import type { RouteFactory } from './route-deps.js';

export const exportRoutes: RouteFactory = ({ db, config, log }) => {
  const router = express.Router();
  router.get('/exports/:token', async (req, res) => {
    const download = await downloadExport(db.prisma, config.appSecret, req.params.token);
    if (!download.ok) {
      const { reason } = download;
      const language = preferredLanguage(req);
      const t = translator(language, 'exports');
      const title = t('page.title');
      sendPage(res, reason === 'invalid' ? 404 : 410, renderMessagePage({ language, title, message: t(`page.${reason}`), testId: `export-${reason}` }));
      return;
    }
    const { grant } = download;
    log.info({ merchantId: grant.merchantId, linkId: grant.linkId }, 'payments CSV downloaded');
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${download.filename}"`,
        'Cache-Control': 'private, no-store',
        'X-Robots-Tag': 'noindex',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(download.csv);
  });
  return router;
};
