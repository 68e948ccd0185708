// A shop's day at a glance, read from the ledger: what was captured today (gross: what buyers
// paid on payments captured since local midnight), the same weekday last week up to the same time
// (so a morning is compared with a morning), payments still awaiting the buyer (konbini, bank
// transfer) and those whose deadline falls within 24 hours, refunds given today (chargebacks are
// not refunds the merchant gave) and the links that took most today. Money is in the shop's main
// currency; money in any other currency is reported apart, never added.
import { Prisma } from '../generated/prisma/client.js';
import type { LedgerReader } from '../payments/summary.js';
import { TODAY_TOP_LINKS, type TodayView } from './effects.js';
import { shiftShopDay, shopDayOf, type ShopTimeZone } from './shop-day.js';

const AWAITING_SOON_MS = 24 * 60 * 60 * 1000;

interface CapturedRow {
  currency: string;
  today: boolean;
  payments: number;
  amount: bigint | number | string;
}

/** Today's picture of the merchant's shop at `now`, in `zone`. */
export async function getShopToday(db: LedgerReader, merchantId: string, now: Date, zone: ShopTimeZone): Promise<TodayView> {
  const today = shopDayOf(now, zone);
  const lastWeek = shiftShopDay(today, -7, zone);
  const lastWeekUntil = new Date(lastWeek.start.getTime() + (now.getTime() - today.start.getTime()));

  const captured = await db.$queryRaw<CapturedRow[]>(Prisma.sql`
    SELECT p."currency", p."capturedAt" >= ${today.start} AS "today",
           COUNT(*)::int AS "payments", SUM(COALESCE(p."total", p."amount"))::bigint AS "amount"
      FROM "Payment" p JOIN "Link" l ON l."id" = p."linkId"
     WHERE l."merchantId" = ${merchantId}
       AND ((p."capturedAt" >= ${today.start} AND p."capturedAt" < ${today.end})
         OR (p."capturedAt" >= ${lastWeek.start} AND p."capturedAt" < ${lastWeekUntil}))
     GROUP BY 1, 2`);
  const currency = await mainCurrency(db, merchantId, captured);
  const sum = (isToday: boolean, inCurrency: boolean) => captured.filter((row) => row.today === isToday && (row.currency === currency) === inCurrency);

  const [awaiting] = await db.$queryRaw<{ awaiting: number; dueSoon: number }[]>(Prisma.sql`
    SELECT COUNT(*)::int AS "awaiting",
           (COUNT(*) FILTER (WHERE p."paymentDeadline" < ${new Date(now.getTime() + AWAITING_SOON_MS)}))::int AS "dueSoon"
      FROM "Payment" p JOIN "Link" l ON l."id" = p."linkId"
     WHERE l."merchantId" = ${merchantId}
       AND p."status" IN ('pending', 'authorized') AND p."capturedAt" IS NULL
       AND (p."paymentDeadline" IS NULL OR p."paymentDeadline" > ${now})`);

  const [refunds] = await db.$queryRaw<{ refunds: number; amount: bigint | number | string | null }[]>(Prisma.sql`
    SELECT COUNT(*)::int AS "refunds", SUM(r."amount")::bigint AS "amount"
      FROM "Refund" r JOIN "Payment" p ON p."id" = r."paymentId" JOIN "Link" l ON l."id" = p."linkId"
     WHERE l."merchantId" = ${merchantId} AND NOT r."chargeback" AND p."currency" = ${currency}
       AND r."createdAt" >= ${today.start} AND r."createdAt" < ${today.end}`);

  const top = await db.$queryRaw<{ linkId: string; productName: string; payments: number; amount: bigint | number | string }[]>(Prisma.sql`
    SELECT l."id" AS "linkId", l."productName", COUNT(*)::int AS "payments", SUM(COALESCE(p."total", p."amount"))::bigint AS "amount"
      FROM "Payment" p JOIN "Link" l ON l."id" = p."linkId"
     WHERE l."merchantId" = ${merchantId} AND p."currency" = ${currency}
       AND p."capturedAt" >= ${today.start} AND p."capturedAt" < ${today.end}
     GROUP BY l."id", l."productName"
     ORDER BY 4 DESC, 3 DESC, l."id"
     LIMIT ${TODAY_TOP_LINKS}`);

  const total = (rows: CapturedRow[]) => rows.reduce((acc, row) => acc + Number(row.amount), 0);
  const count = (rows: CapturedRow[]) => rows.reduce((acc, row) => acc + row.payments, 0);
  return {
    zone,
    asOf: now.toISOString(),
    day: today.day,
    weekday: today.weekday,
    currency,
    capturedAmount: total(sum(true, true)),
    capturedPayments: count(sum(true, true)),
    lastWeekAmount: total(sum(false, true)),
    lastWeekPayments: count(sum(false, true)),
    awaitingPayments: awaiting?.awaiting ?? 0,
    awaitingDueSoon: awaiting?.dueSoon ?? 0,
    refunds: refunds?.refunds ?? 0,
    refundedAmount: Number(refunds?.amount ?? 0),
    topLinks: top.map((row) => ({ linkId: row.linkId, productName: row.productName, amount: Number(row.amount), payments: row.payments })),
    otherCurrencies: Object.fromEntries(sum(true, false).map((row) => [row.currency, Number(row.amount)])),
  };
}

/** The currency most of the period's payments are in, else the newest link's, else yen. */
async function mainCurrency(db: LedgerReader, merchantId: string, captured: CapturedRow[]): Promise<string> {
  const byCurrency = new Map<string, number>();
  for (const row of captured) byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0) + row.payments);
  const busiest = [...byCurrency.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (busiest) return busiest;
  const newest = await db.link.findFirst({ where: { merchantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { currency: true } });
  return newest?.currency ?? 'JPY';
}
