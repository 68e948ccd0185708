// POST /webhooks/komoju: KOMOJU (and the built-in sandbox) report payments and subscriptions here;
// POST /webhooks/komoju/merchants/:merchantId: a merchant's own KOMOJU account does. The signature
// is checked on the raw bytes, the event is stored once, and the answer comes before any LINE push.
import express, { type RequestHandler } from 'express';
import { noticeStarter } from '../payments/notify-capture.js';
import { receiveKomojuWebhook } from '../payments/receive-komoju-webhook.js';
import { notifyRenewalFailed } from '../payments/subscriptions/notify-renewal-failed.js';
import type { RouteFactory } from './route-deps.js';

// KOMOJU events carry one payment object: far below this.
const MAX_BODY = '256kb';

export const komojuWebhookRoutes: RouteFactory = ({ db, config, line, log }) => {
  const router = express.Router();
  const webhookLog = log.child({ component: 'komoju-webhook' });
  const noticeLog = log.child({ component: 'capture-notice' });
  const startNotice = noticeStarter({ prisma: db.prisma, line, log: noticeLog });

  const receive = (merchantIdFromUrl: string | undefined): RequestHandler => async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await receiveKomojuWebhook({ prisma: db.prisma, config, log: webhookLog }, rawBody, req.get('x-komoju-signature'), merchantIdFromUrl);
    res.status(outcome.status).json({ message: outcome.message });
    if (outcome.noticePaymentId) startNotice(outcome.noticePaymentId);
    for (const paymentId of outcome.noticePaymentIds ?? []) startNotice(paymentId);
    const failure = outcome.failedRenewal;
    if (failure) {
      notifyRenewalFailed({ prisma: db.prisma, line, log: noticeLog }, failure).catch((error: unknown) => {
        noticeLog.error({ subscriptionId: failure.subscriptionId, err: error }, 'renewal failed notice failed');
      });
    }
  };
  const rawBody = express.raw({ type: () => true, limit: MAX_BODY });
  router.post('/webhooks/komoju', rawBody, receive(undefined));
  router.post('/webhooks/komoju/merchants/:merchantId', rawBody, (req, res, next) => receive(String(req.params.merchantId))(req, res, next));

  return router;
};
