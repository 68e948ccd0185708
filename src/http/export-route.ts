// GET /exports/<token>: the owner's CSV of payments, for 24 hours from when the chat issued the
// link (exports/export-token.ts). No login: the signed token is the permission, so the answer is
// never cached and never indexed, and sends no Referer onwards.
import express from 'express';
import { verifyExportToken } from '../exports/export-token.js';
import { paymentsCsv } from '../exports/payments-csv.js';
import { translator } from '../i18n/i18n.js';
import { preferredLanguage, sendPage } from './html.js';
import { renderMessagePage } from './link-page-views.js';
import type { RouteFactory } from './route-deps.js';

export const exportRoutes: RouteFactory = ({ db, config, log }) => {
  const router = express.Router();
  router.get('/exports/:token', async (req, res) => {
    const verified = verifyExportToken(config.appSecret, String(req.params.token ?? ''));
    if (!verified.ok) {
      const language = preferredLanguage(req);
      const t = translator(language, 'exports');
      const title = t('page.title');
      sendPage(res, verified.reason === 'expired' ? 410 : 404, renderMessagePage({ language, title, message: t(`page.${verified.reason}`), testId: `export-${verified.reason}` }));
      return;
    }
    const { grant } = verified;
    const csv = await paymentsCsv(db.prisma, grant, grant.language);
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    log.info({ merchantId: grant.merchantId, linkId: grant.linkId }, 'payments CSV downloaded');
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="payments-${day}.csv"`,
        'Cache-Control': 'private, no-store',
        'X-Robots-Tag': 'noindex',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(csv);
  });
  return router;
};
