// POST /webhooks/komoju: KOMOJU (and the built-in sandbox) report payments here. The signature is
// checked on the raw bytes, the event is stored once, and the answer comes before any LINE push.
import express from 'express';
import { noticeStarter } from '../payments/notify-capture.js';
import { receiveKomojuWebhook } from '../payments/receive-komoju-webhook.js';
import type { RouteFactory } from './feature-routes.js';

// KOMOJU events carry one payment object: far below this.
const MAX_BODY = '256kb';

export const komojuWebhookRoutes: RouteFactory = ({ db, config, line, log }) => {
  const router = express.Router();
  const webhookLog = log.child({ component: 'komoju-webhook' });
  const startNotice = noticeStarter({ prisma: db.prisma, line, log: log.child({ component: 'capture-notice' }) });

  router.post('/webhooks/komoju', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await receiveKomojuWebhook({ prisma: db.prisma, config, log: webhookLog }, rawBody, req.get('x-komoju-signature'));
    res.status(outcome.status).json({ message: outcome.message });
    if (outcome.noticePaymentId) startNotice(outcome.noticePaymentId);
  });

  return router;
};
