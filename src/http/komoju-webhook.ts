// POST /webhooks/komoju: KOMOJU (and the built-in sandbox) report payments and subscriptions here;
// POST /webhooks/komoju/merchants/:merchantId: a merchant's own KOMOJU account does. The signature
// is checked on the raw bytes and the event is stored once, with the payment facts it establishes
// (domain events): the merchant's notices are their handlers, run by the event worker after this
// answer, and retried until LINE takes them.
import express, { type RequestHandler } from 'express';
import { receiveKomojuWebhook } from '../payments/receive-komoju-webhook.js';
import type { RouteFactory } from './route-deps.js';

// KOMOJU events carry one payment object: far below this.
const MAX_BODY = '256kb';

export const komojuWebhookRoutes: RouteFactory = ({ db, config, log }) => {
  const router = express.Router();
  const webhookLog = log.child({ component: 'komoju-webhook' });

  const receive =
    (merchantIdFromUrl: string | undefined): RequestHandler =>
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const outcome = await receiveKomojuWebhook({ prisma: db.prisma, config, log: webhookLog }, rawBody, req.get('x-komoju-signature'), merchantIdFromUrl);
      res.status(outcome.status).json({ message: outcome.message });
    };
  const rawBody = express.raw({ type: () => true, limit: MAX_BODY });
  router.post('/webhooks/komoju', rawBody, receive(undefined));
  router.post('/webhooks/komoju/merchants/:merchantId', rawBody, (req, res, next) => receive(req.params.merchantId)(req, res, next));

  return router;
};
