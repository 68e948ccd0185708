// A sales picture fetched by its token (GET /charts/<token>.png, http/chart-route.ts): LINE's
// servers fetch it with no login, so the signed token (chart-token.ts) is the permission; the
// picture is drawn from the ledger at that moment, and only while the member the token names is
// still a member of the shop: a removed member's picture is gone at once.
import type { Prisma } from '../db/database.js';
import { translator } from '../i18n/i18n.js';
import { membershipOf } from '../merchants/authorization.js';
import { getDailyCaptured, getShopSales } from '../payments/daily-captured.js';
import { getLinkSummary } from '../payments/summary.js';
import { verifyChartToken } from './chart-token.js';
import { salesChartView, shopChartView } from './sales-chart-view.js';

/** The PNG the token grants; null for a token that is not ours or too old, a member no longer of the shop, or a link or shop gone. */
export async function chartPicture(prisma: Prisma, appSecret: string, token: string): Promise<Buffer | null> {
  const grant = verifyChartToken(appSecret, token);
  if (!grant) return null;
  const { scope, userId, language } = grant;
  const merchantId = 'linkId' in scope ? (await prisma.link.findUnique({ where: { id: scope.linkId }, select: { merchantId: true } }))?.merchantId : scope.merchantId;
  if (merchantId === undefined || !(await membershipOf(prisma, userId, merchantId))) return null;
  // resvg (a native module) loads on the first picture, not while the server starts.
  const { renderSalesChart } = await import('./sales-chart.js');
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
