import { validateSignature } from '@line/bot-sdk';
import express, { type Router } from 'express';
import { Coalescer } from '../db/coalesce.js';
import type { SqlQuery } from '../db/sql.js';
import { toStorableEvent, type StorableEvent } from '../inbox/storable-event.js';
import { storeRequests, type StoreResult } from '../inbox/store-events.js';
import type { InboxWorker } from '../inbox/worker.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

export interface LineWebhookDeps {
  db: SqlQuery;
  channelSecret: string;
  log: Logger;
  metrics: Metrics;
  /** Runs the events claimed while storing, and is woken for the rest. */
  worker: Pick<InboxWorker, 'reserveSlots' | 'receive' | 'leaseMs' | 'context' | 'adopt' | 'noteStored'>;
}

// LINE's webhook bodies are small; anything far larger is not LINE.
const MAX_BODY = '1mb';
// LINE gives up on a webhook after about 2 s: a database that cannot store by then gets a 503
// (LINE redelivers) rather than a timeout. A store that lands later is deduplicated on redelivery.
const STORE_DEADLINE_MS = 1_500;
// One store statement's size under a burst: it holds a lock per user of its batch while it runs.
const MAX_EVENTS_PER_STORE = 500;

class StoreDeadlineError extends Error {
  override name = 'StoreDeadlineError';
}

/**
 * Concurrent requests' events go to the database in one statement (src/db/coalesce.ts): one
 * request alone is stored at once; requests that arrive while a store is in flight are stored
 * together in the next. A request redelivering an event already waiting goes in a later statement,
 * so each stored row has one request to answer for it. A failed statement fails each of its
 * requests (503: LINE redelivers them all).
 */
function coalescedStore(deps: LineWebhookDeps): Coalescer<StorableEvent[], StoreResult> {
  return new Coalescer(
    async (requests) => {
      const slots = deps.worker.reserveSlots();
      try {
        const free = slots.count;
        const results = await storeRequests(deps.db, requests, free > 0 ? { limit: free, leaseMs: deps.worker.leaseMs, context: deps.worker.context } : null);
        let events = 0;
        let unclaimed = 0;
        for (const [index, result] of results.entries()) {
          events += requests[index]!.length;
          unclaimed += result.stored - result.parked - result.claimed.length;
        }
        deps.worker.noteStored(unclaimed, free >= events);
        // Events stored (and claimed) after a request was answered 503 still run: LINE's redelivery is then a duplicate.
        for (const result of results) deps.worker.adopt(result.claimed);
        return results;
      } finally {
        slots.release();
      }
    },
    { keys: (events) => events.map((event) => event.webhookEventId), weight: (events) => events.length, maxWeight: MAX_EVENTS_PER_STORE },
  );
}

/** Each request's own deadline, the wait for its statement included. */
function storeWithin(store: Coalescer<StorableEvent[], StoreResult>, events: StorableEvent[]): Promise<StoreResult> {
  if (events.length === 0) return Promise.resolve({ stored: 0, parked: 0, claimed: [] });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreDeadlineError(`not stored within ${STORE_DEADLINE_MS} ms`)), STORE_DEADLINE_MS);
  });
  return Promise.race([store.submit(events), deadline]).finally(() => clearTimeout(timer));
}

/**
 * POST /webhooks/line: signature on the raw bytes → store every event durably → 200.
 * The JSON parser must not run first (it would change the bytes the signature covers).
 */
export function lineWebhookRouter(deps: LineWebhookDeps): Router {
  const router = express.Router();
  const store = coalescedStore(deps);
  router.post('/webhooks/line', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('x-line-signature');
    if (!signature || !validateSignature(body, deps.channelSecret, signature)) {
      deps.log.warn({ bytes: body.length, hasSignature: Boolean(signature) }, 'LINE webhook rejected: bad signature');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    let rawEvents: unknown[];
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { events?: unknown };
      if (!Array.isArray(parsed.events)) throw new Error('events is not an array');
      rawEvents = parsed.events;
    } catch {
      res.status(400).json({ error: 'malformed body' });
      return;
    }
    const events = rawEvents.map(toStorableEvent).filter((event) => event !== null);
    deps.metrics.eventsReceived.inc(rawEvents.length);
    if (events.length < rawEvents.length) {
      deps.metrics.eventsParked.inc({ reason: 'no_event_id' }, rawEvents.length - events.length);
      deps.log.warn({ dropped: rawEvents.length - events.length }, 'LINE webhook: events without a webhookEventId cannot be deduplicated; not stored');
    }
    const answered = deps.worker.receive();
    res.on('close', answered);
    try {
      const result = await storeWithin(store, events);
      deps.metrics.eventsStored.inc(result.stored);
      if (result.parked > 0) deps.metrics.eventsParked.inc({ reason: 'unstorable' }, result.parked);
      for (const event of events) {
        if (event.parkReason !== null) deps.log.warn({ webhookEventId: event.webhookEventId, reason: event.parkReason }, 'LINE event stored parked: it cannot be processed');
      }
      deps.log.debug({ received: events.length, stored: result.stored, fastPath: result.claimed.length, eventIds: events.map((event) => event.webhookEventId) }, 'LINE webhook stored');
    } catch (error) {
      deps.metrics.webhookUnavailable.inc();
      deps.log.error({ err: error }, 'LINE webhook could not be stored; answering 503 so LINE redelivers');
      res.status(503).json({ error: 'temporarily unavailable' });
      return;
    }
    res.status(200).json({});
  });
  return router;
}
