// GET /charts/<token>.png: a link's sales picture for the image message `summary` sends. LINE's
// servers fetch it with no login, so the signed token (sales/chart-token.ts) is the permission; the
// picture is drawn from the ledger at that moment.
import express from 'express';
import { translator } from '../i18n/i18n.js';
import { getDailyCaptured } from '../payments/daily-captured.js';
import { getLinkSummary } from '../payments/summary.js';
import { verifyChartToken } from '../sales/chart-token.js';
import { renderSalesChart } from '../sales/sales-chart.js';
import { salesChartView } from '../sales/sales-chart-view.js';
import type { RouteFactory } from './route-deps.js';

export const chartRoutes: RouteFactory = ({ db, config }) => {
  const router = express.Router();
  router.get('/charts/:token.png', async (req, res) => {
    const grant = verifyChartToken(config.appSecret, String(req.params.token ?? ''));
    const link = grant ? await db.prisma.link.findUnique({ where: { id: grant.linkId }, select: { id: true, productName: true, currency: true, createdAt: true } }) : null;
    if (!grant || !link) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const [summary, days] = await Promise.all([getLinkSummary(db.prisma, link.id), getDailyCaptured(db.prisma, link)]);
    const png = renderSalesChart(salesChartView(link, summary, days, grant.language, translator(grant.language, 'sales')));
    res.status(200).set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=300', 'X-Robots-Tag': 'noindex' }).send(png);
  });
  return router;
};
