// GET /charts/<token>.png: a link's sales picture for the image message `summary` sends. LINE's
// servers fetch it with no login, so the signed token (sales/chart-token.ts) is the permission; the
// picture is drawn from the ledger at that moment, and only while the member the token names is
// still a member of the shop: a removed member's picture is gone at once (404). Never cached, so
// a removal is never outlived by a copy.
import express from 'express';
import { translator, type Language } from '../i18n/i18n.js';
import { getDailyCaptured, getShopSales } from '../payments/daily-captured.js';
import { getLinkSummary } from '../payments/summary.js';
import { membershipOf } from '../merchants/authorization.js';
import { verifyChartToken, type ChartScope } from '../sales/chart-token.js';
import { salesChartView, shopChartView } from '../sales/sales-chart-view.js';
import type { RouteFactory } from './route-deps.js';

export const chartRoutes: RouteFactory = ({ db, config }) => {
  const router = express.Router();
  const { prisma } = db;

  async function drawChart(scope: ChartScope, userId: string, language: Language): Promise<Buffer | null> {
    const merchantId = 'linkId' in scope ? (await prisma.link.findUnique({ where: { id: scope.linkId }, select: { merchantId: true } }))?.merchantId : scope.merchantId;
    if (merchantId === undefined || !(await membershipOf(prisma, userId, merchantId))) return null;
    // resvg (a native module) loads on the first picture, not while the server starts.
    const { renderSalesChart } = await import('../sales/sales-chart.js');
    const t = translator(language, 'sales');
    if ('linkId' in scope) {
      const link = await prisma.link.findUnique({ where: { id: scope.linkId }, select: { id: true, productName: true, currency: true, createdAt: true } });
      if (!link) return null;
      const [summary, days] = await Promise.all([getLinkSummary(prisma, link.id), getDailyCaptured(prisma, link)]);
      return renderSalesChart(salesChartView(link, summary, days, language, t));
    }
    const merchant = await prisma.merchant.findUnique({ where: { id: scope.merchantId }, select: { name: true } });
    // Three top links beside the total fill the picture's four panels.
    const sales = merchant ? await getShopSales(prisma, scope.merchantId, 3) : null;
    return merchant && sales ? renderSalesChart(shopChartView(merchant.name, sales, new Date(), language, t)) : null;
  }

  router.get('/charts/:token.png', async (req, res) => {
    const grant = verifyChartToken(config.appSecret, req.params.token);
    const png = grant ? await drawChart(grant.scope, grant.userId, grant.language) : null;
    if (!png) {
      res.status(404).set({ 'Cache-Control': 'no-store' }).type('text/plain').send('Not found');
      return;
    }
    res.status(200).set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'no-referrer' }).send(png);
  });
  return router;
};
