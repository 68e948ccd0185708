import type { webhook } from '@line/bot-sdk';
import type { Prisma } from '../db/database.js';

/**
 * Stores webhook events before LINE gets its 2xx. Redelivered events (same webhookEventId) are
 * ignored by the primary key, so each is processed once. Throws when the database cannot store,
 * and the caller answers 5xx so LINE redelivers.
 */
export async function storeEvents(prisma: Prisma, events: webhook.Event[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await prisma.lineEvent.createMany({
    data: events.map((event) => ({
      webhookEventId: event.webhookEventId,
      userId: event.source?.type === 'user' ? event.source.userId ?? null : event.source?.userId ?? null,
      payload: event as object,
      eventTimestamp: BigInt(event.timestamp),
    })),
    skipDuplicates: true,
  });
  return result.count;
}
