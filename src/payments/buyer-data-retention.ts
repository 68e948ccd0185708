// Buyers' details (name, phone, email, address, answer) are kept with their checkout for the
// operator's retention period (BUYER_DATA_RETENTION_DAYS, default 365 days), then erased: the
// checkout keeps its amount and quantity for the summary and the books, and says when its details
// went. Copies we hold elsewhere go too: the sandbox's sessions and the KOMOJU events we store
// carry them in `metadata`. (KOMOJU's own copy follows KOMOJU's retention, not ours.)
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often a running server looks for details past their retention. */
const ERASE_EVERY_MS = 60 * 60 * 1000;

/** The metadata keys start-checkout.ts writes the buyer's details under. */
const BUYER_METADATA_KEYS = ['buyerName', 'buyerPhone', 'shippingAddress', 'buyerAnswer'] as const;

export interface ErasedCounts {
  checkouts: number;
  sandboxSessions: number;
  providerEvents: number;
}

export async function eraseExpiredBuyerDetails(prisma: Prisma, retentionDays: number, now = new Date()): Promise<ErasedCounts> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const checkouts = await prisma.$executeRaw`
    UPDATE "Checkout" SET "buyerDetails" = NULL, "buyerDetailsErasedAt" = ${now}
     WHERE "buyerDetails" IS NOT NULL AND "createdAt" < ${cutoff}`;
  const sandboxSessions = await prisma.$executeRaw`
    UPDATE "SandboxSession" SET "metadata" = "metadata" - ${[...BUYER_METADATA_KEYS]}::text[]
     WHERE "createdAt" < ${cutoff} AND "metadata" ?| ${[...BUYER_METADATA_KEYS]}::text[]`;
  const providerEvents = await prisma.$executeRaw`
    UPDATE "ProviderEvent" SET "payload" = jsonb_set("payload", '{data,metadata}', ("payload"->'data'->'metadata') - ${[...BUYER_METADATA_KEYS]}::text[])
     WHERE "receivedAt" < ${cutoff} AND jsonb_typeof("payload"->'data'->'metadata') = 'object'
       AND ("payload"->'data'->'metadata') ?| ${[...BUYER_METADATA_KEYS]}::text[]`;
  return { checkouts, sandboxSessions, providerEvents };
}

/** Erases now and then every ERASE_EVERY_MS while the server runs; returns the stop function. */
export function startBuyerDataEraser(prisma: Prisma, retentionDays: number, log: Logger): () => void {
  const run = () => {
    eraseExpiredBuyerDetails(prisma, retentionDays).then(
      (erased) => {
        if (erased.checkouts + erased.sandboxSessions + erased.providerEvents > 0) log.info({ ...erased, retentionDays }, 'buyer details past their retention erased');
      },
      (error: unknown) => log.error({ err: error }, 'buyer details could not be erased; will try again'),
    );
  };
  run();
  const timer = setInterval(run, ERASE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
