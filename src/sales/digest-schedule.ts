// When a member's daily digest is next due, as a scheduled `sales.digestDue` domain event: the next
// time the shop's clock reads the chosen time (today if still ahead, else tomorrow). The event's
// dedupe key names the member and the shop's day, so any number of instances scheduling the same
// digest make one event, and a day has at most one.
import type { Prisma } from '../generated/prisma/client.js';
import { recordDomainEvents } from '../events/domain-events.js';
import { shiftShopDay, shopDayOf, shopTimeOn, type ShopDay, type ShopTimeZone } from './shop-day.js';

type Transaction = Pick<Prisma.TransactionClient, 'domainEvent'>;

export interface DigestOwner {
  merchantId: string;
  userId: string;
}

function dedupeKey(owner: DigestOwner, day: string): string {
  return `sales.digestDue:${owner.merchantId}:${owner.userId}:${day}`;
}

/** The first shop day on or after `from` whose chosen time is still ahead of `now`, and that time. */
export function nextDigestDue(now: Date, minutes: number, zone: ShopTimeZone, from: ShopDay = shopDayOf(now, zone)): { day: string; at: Date } {
  let day = from;
  while (shopTimeOn(day, minutes, zone).getTime() <= now.getTime()) day = shiftShopDay(day, 1, zone);
  return { day: day.day, at: shopTimeOn(day, minutes, zone) };
}

/** Records the member's next digest event (a no-op when that day's is already recorded). */
export async function scheduleDigest(tx: Transaction, owner: DigestOwner, due: { day: string; at: Date }): Promise<void> {
  await recordDomainEvents(tx, [
    {
      type: 'sales.digestDue',
      dedupeKey: dedupeKey(owner, due.day),
      subjectId: owner.userId,
      merchantId: owner.merchantId,
      payload: { merchantId: owner.merchantId, userId: owner.userId, day: due.day },
      notBefore: due.at,
    },
  ]);
}

/**
 * Drops the member's digests still waiting to run (a new time replaces them; `off` ends them). One
 * a worker holds right now is left alone: its handler reads the setting again before sending.
 */
export async function unscheduleDigests(tx: Transaction, owner: DigestOwner, now: Date): Promise<void> {
  await tx.domainEvent.deleteMany({
    where: {
      type: 'sales.digestDue',
      status: 'pending',
      dedupeKey: { startsWith: `sales.digestDue:${owner.merchantId}:${owner.userId}:` },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
  });
}
