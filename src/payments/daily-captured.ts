// A link's money kept per day, for the sales chart: the summary's "captured amount" (what buyers
// paid, tax and fee included, minus refunds; charged-back and fully refunded payments add 0; the
// link's currency only) grouped by the Japan-time day the payment was captured.
import { Prisma } from '../generated/prisma/client.js';
import type { LedgerReader } from './summary.js';

export const CHART_DAYS = 30;
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
export async function getDailyCaptured(db: LedgerReader, link: { id: string; currency: string; createdAt: Date }, now = new Date()): Promise<DailyAmount[]> {
  const today = dayOf(now.getTime());
  const earliest = dayOf(Math.max(link.createdAt.getTime(), now.getTime() - (CHART_DAYS - 1) * DAY_MS));
  const rows = await db.$queryRaw<{ day: string; amount: bigint | number | string }[]>(Prisma.sql`
    SELECT to_char(p."capturedAt" AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS "day",
           SUM(COALESCE(p."total", p."amount") - GREATEST(p."amountRefunded", COALESCE(r."total", 0)))::bigint AS "amount"
      FROM "Payment" p
      LEFT JOIN LATERAL (SELECT SUM(rf."amount") AS "total", bool_or(rf."chargeback") AS "chargedBack"
                           FROM "Refund" rf WHERE rf."paymentId" = p."id") r ON true
     WHERE p."linkId" = ${link.id}
       AND p."currency" = ${link.currency}
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
