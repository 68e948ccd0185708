// A link's money kept per day, for the sales chart: the summary's "captured amount" (what buyers
// paid, tax and fee included, minus refunds; charged-back and fully refunded payments add 0; the
// link's currency only) grouped by the Japan-time day the payment was captured.
import { Prisma } from '../generated/prisma/client.js';
import { getLinkSummaries, type LedgerReader } from './summary.js';

const CHART_DAYS = 30;
const DAY_MS = 86_400_000;
// Japan time (UTC+9, no daylight saving): the day a merchant in Japan or Korea calls "today".
const ZONE_OFFSET_MS = 9 * 60 * 60 * 1000;

export interface DailyAmount {
  /** YYYY-MM-DD in Japan time. */
  day: string;
  amount: number;
}

function dayOf(time: number): string {
  return new Date(time + ZONE_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last 30 days (or since the link was made, when that is sooner), every day present, oldest first. */
export function getDailyCaptured(db: LedgerReader, link: { id: string; currency: string; createdAt: Date }, now = new Date()): Promise<DailyAmount[]> {
  return dailyKept(db, Prisma.sql`p."linkId" = ${link.id}`, link.currency, link.createdAt, now);
}

async function dailyKept(db: LedgerReader, scope: Prisma.Sql, currency: string, since: Date, now: Date): Promise<DailyAmount[]> {
  const today = dayOf(now.getTime());
  const earliest = dayOf(Math.max(since.getTime(), now.getTime() - (CHART_DAYS - 1) * DAY_MS));
  const rows = await db.$queryRaw<{ day: string; amount: bigint | number | string }[]>(Prisma.sql`
    SELECT to_char(p."capturedAt" AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS "day",
           SUM(COALESCE(p."total", p."amount") - GREATEST(p."amountRefunded", COALESCE(r."total", 0)))::bigint AS "amount"
      FROM "Payment" p
      JOIN "Link" l ON l."id" = p."linkId"
      LEFT JOIN LATERAL (SELECT SUM(rf."amount") AS "total", bool_or(rf."chargeback") AS "chargedBack"
                           FROM "Refund" rf WHERE rf."paymentId" = p."id") r ON true
     WHERE ${scope}
       AND p."currency" = ${currency}
       AND p."capturedAt" IS NOT NULL
       AND p."capturedAt" >= ${new Date(Date.parse(`${earliest}T00:00:00Z`) - ZONE_OFFSET_MS)}
       AND NOT COALESCE(r."chargedBack", false)
       AND p."status" <> 'refunded'
     GROUP BY 1`);
  const byDay = new Map(rows.map((row) => [row.day, Math.max(0, Number(row.amount))]));
  const days: DailyAmount[] = [];
  for (let time = Date.parse(`${earliest}T00:00:00Z`); dayOf(time - ZONE_OFFSET_MS) <= today; time += DAY_MS) {
    const day = new Date(time).toISOString().slice(0, 10);
    days.push({ day, amount: byDay.get(day) ?? 0 });
  }
  return days;
}

export interface ShopSales {
  /** The currency most of the shop's captured payments are in; the picture shows only it. */
  currency: string;
  /** Kept in that currency over all links (the summaries' captured amounts added). */
  capturedAmount: number;
  capturedPayments: number;
  /** The links with most money kept, at most `top`. */
  topLinks: { productName: string; capturedAmount: number }[];
  days: DailyAmount[];
}

/** Links read for the shop picture: the newest ones (a shop with more sees its recent links ranked). */
const SHOP_LINKS_READ = 500;

/** The whole shop's picture: daily total over the last 30 days and its top links, in its main currency. */
export async function getShopSales(db: LedgerReader, merchantId: string, top: number, now = new Date()): Promise<ShopSales | null> {
  const links = await db.link.findMany({
    where: { merchantId },
    select: { id: true, productName: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: SHOP_LINKS_READ,
  });
  const summaries = await getLinkSummaries(
    db,
    links.map((link) => link.id),
  );
  const payments = new Map<string, number>();
  for (const summary of summaries.values()) payments.set(summary.currency, (payments.get(summary.currency) ?? 0) + summary.capturedPayments);
  const currency = [...payments.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (currency === undefined) return null;
  const ranked = links
    .map((link) => ({ productName: link.productName, summary: summaries.get(link.id) }))
    .filter((entry) => entry.summary?.currency === currency && entry.summary.capturedAmount > 0)
    .sort((a, b) => (b.summary?.capturedAmount ?? 0) - (a.summary?.capturedAmount ?? 0));
  const days = await dailyKept(db, Prisma.sql`l."merchantId" = ${merchantId}`, currency, new Date(0), now);
  return {
    currency,
    capturedAmount: ranked.reduce((sum, entry) => sum + (entry.summary?.capturedAmount ?? 0), 0),
    capturedPayments: payments.get(currency) ?? 0,
    topLinks: ranked.slice(0, top).map((entry) => ({ productName: entry.productName, capturedAmount: entry.summary?.capturedAmount ?? 0 })),
    days,
  };
}
