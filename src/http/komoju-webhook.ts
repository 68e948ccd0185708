// POST /webhooks/komoju: KOMOJU (and the built-in sandbox) report payments here;
// POST /webhooks/komoju/merchants/:merchantId: a merchant's own KOMOJU account does. The signature
// is checked on the raw bytes, the event is stored once, and the answer comes before any LINE push.
import express, { type RequestHandler } from 'express';
import { noticeStarter } from '../payments/notify-capture.js';
import { receiveKomojuWebhook } from '../payments/receive-komoju-webhook.js';
import type { RouteFactory } from './route-deps.js';

// KOMOJU events carry one payment object: far below this.
const MAX_BODY = '256kb';

export const komojuWebhookRoutes: RouteFactory = ({ db, config, line, log }) => {
  const router = express.Router();
  const webhookLog = log.child({ component: 'komoju-webhook' });
  const startNotice = noticeStarter({ prisma: db.prisma, line, log: log.child({ component: 'capture-notice' }) });

  const receive = (merchantIdFromUrl: string | undefined): RequestHandler => async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await receiveKomojuWebhook({ prisma: db.prisma, config, log: webhookLog }, rawBody, req.get('x-komoju-signature'), merchantIdFromUrl);
    res.status(outcome.status).json({ message: outcome.message });
    if (outcome.noticePaymentId) startNotice(outcome.noticePaymentId);
  };
  const rawBody = express.raw({ type: () => true, limit: MAX_BODY });
  router.post('/webhooks/komoju', rawBody, receive(undefined));
  router.post('/webhooks/komoju/merchants/:merchantId', rawBody, (req, res, next) => receive(String(req.params.merchantId))(req, res, next));

  return router;
};
