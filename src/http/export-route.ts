// GET /exports/<token>: the owner's CSV of payments, for 24 hours from when the chat issued the
// link (exports/export-token.ts). No login: the signed token is the permission, so the answer is
// never cached and never indexed, and sends no Referer onwards. The grant names the owner who
// asked, and works only while they still may read buyers' details as an owner of the shop: a
// removed or demoted owner's link answers 410 (the file is built now, so it would hold buyers who
// paid after they left).
import express from 'express';
import { verifyExportToken } from '../exports/export-token.js';
import { membershipOf } from '../merchants/authorization.js';
import { paymentsCsv } from '../exports/payments-csv.js';
import { translator } from '../i18n/i18n.js';
import { preferredLanguage, sendPage } from '../pages/html.js';
import { renderMessagePage } from '../pages/buyer-page-parts.js';
import type { RouteFactory } from './route-deps.js';

export const exportRoutes: RouteFactory = ({ db, config, log }) => {
  const router = express.Router();
  router.get('/exports/:token', async (req, res) => {
    const verified = verifyExportToken(config.appSecret, req.params.token);
    const refusal = verified.ok ? ((await membershipOf(db.prisma, verified.grant.userId, verified.grant.merchantId))?.role === 'owner' ? null : 'revoked') : verified.reason;
    if (!verified.ok || refusal !== null) {
      const reason = refusal ?? 'invalid';
      const language = preferredLanguage(req);
      const t = translator(language, 'exports');
      const title = t('page.title');
      sendPage(res, reason === 'invalid' ? 404 : 410, renderMessagePage({ language, title, message: t(`page.${reason}`), testId: `export-${reason}` }));
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
