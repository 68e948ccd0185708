import { validateSignature, type webhook } from '@line/bot-sdk';
import express, { type Router } from 'express';
import type { Prisma } from '../db/database.js';
import { storeEvents } from '../inbox/store-events.js';
import type { Logger } from '../logger.js';

export interface LineWebhookDeps {
  prisma: Prisma;
  channelSecret: string;
  log: Logger;
  /** Told when new events are stored, so processing starts at once. */
  onStored: () => void;
}

// LINE's webhook bodies are small; anything far larger is not LINE.
const MAX_BODY = '1mb';

/**
 * POST /webhooks/line: signature on the raw bytes → store every event durably → 200.
 * The JSON parser must not run first (it would change the bytes the signature covers).
 */
export function lineWebhookRouter(deps: LineWebhookDeps): Router {
  const router = express.Router();
  router.post('/webhooks/line', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('x-line-signature');
    if (!signature || !validateSignature(body, deps.channelSecret, signature)) {
      deps.log.warn({ bytes: body.length, hasSignature: Boolean(signature) }, 'LINE webhook rejected: bad signature');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    let events: webhook.Event[];
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { events?: unknown };
      if (!Array.isArray(parsed.events)) throw new Error('events is not an array');
      events = (parsed.events as webhook.Event[]).filter((event) => typeof event?.webhookEventId === 'string' && typeof event.timestamp === 'number');
    } catch {
      res.status(400).json({ error: 'malformed body' });
      return;
    }
    try {
      const stored = await storeEvents(deps.prisma, events);
      deps.log.info({ received: events.length, stored, eventIds: events.map((event) => event.webhookEventId) }, 'LINE webhook stored');
    } catch (error) {
      deps.log.error({ err: error }, 'LINE webhook could not be stored; answering 503 so LINE redelivers');
      res.status(503).json({ error: 'temporarily unavailable' });
      return;
    }
    res.status(200).json({});
    if (events.length > 0) deps.onStored();
  });
  return router;
}
