// The sandbox checkout under /sandbox (only while the sandbox is the provider in use; 404
// otherwise). Its payments are reported to our own /webhooks/komoju as signed KOMOJU events.
// Outside local mode it takes no payments unless the operator opted in (SANDBOX_IN_PRODUCTION=1):
// otherwise anyone could "pay" a production shop's link and its owner be told of a sale.
import express, { type Request, type Response } from 'express';
import { isLanguage, translator } from '../i18n/i18n.js';
import { isSandboxEnabled } from '../payments/provider-for-link.js';
import { leaveSandboxSession, paySandboxSession } from '../payments/sandbox/sandbox-actions.js';
import { postSandboxEvent, sandboxCustomerEvent, sandboxEvent, type SandboxEvent } from '../payments/sandbox/sandbox-events.js';
import { completeSandboxCustomerSession } from '../payments/sandbox/sandbox-subscriptions.js';
import { renderSandboxPage } from '../payments/sandbox/sandbox-page.js';
import { isSessionExpired, sandboxSessionPath } from '../payments/sandbox/sandbox-provider.js';
import type { SandboxPayment, SandboxSession } from '../generated/prisma/client.js';
import { isSameOriginPost } from './csrf.js';
import { formToken, verifyFormToken } from '../pages/form-token.js';
import type { RouteFactory } from './route-deps.js';
import { preferredLanguage, sendPage } from '../pages/html.js';
import { renderMessagePage, type ShopBrand } from '../pages/buyer-page-parts.js';
import { loadShopBrand } from '../shop-profile/shop-brand.js';
import { LINK_ID_METADATA_KEY } from '../payments/record-payment-event.js';

const SANDBOX_FORM = 'sandbox';
const SESSION_ID = /^sbs_[0-9a-f]{24}$/;

function returnUrlFor(session: SandboxSession): string {
  const url = new URL(session.returnUrl);
  url.searchParams.set('session_id', session.id);
  return url.toString();
}

export const sandboxRoutes: RouteFactory = ({ db, config, log }) => {
  const router = express.Router();
  if (!isSandboxEnabled(config)) return router;
  const { prisma } = db;
  const sandboxLog = log.child({ component: 'sandbox' });

  /** The session named in the path; when there is none, the 404 page has been sent. */
  async function findSession(req: Request, res: Response): Promise<SandboxSession | null> {
    const id = req.params.id;
    const session = typeof id === 'string' && SESSION_ID.test(id) ? await prisma.sandboxSession.findUnique({ where: { id } }) : null;
    if (!session) {
      const language = preferredLanguage(req);
      const t = translator(language, 'pages');
      sendPage(res, 404, renderMessagePage({ language, title: t('notFound.title'), message: t('sandbox.notFound'), testId: 'not-found' }));
    }
    return session;
  }

  // Posted to the port this very request came in on: the sandbox reaches the ledger over HTTP,
  // exactly like KOMOJU. A failed delivery is logged; the return page still re-reads the session.
  async function report(req: Request, type: string, payment: SandboxPayment): Promise<void> {
    await deliver(req, sandboxEvent(type, payment), { paymentId: payment.id });
  }

  async function deliver(req: Request, event: SandboxEvent, about: Record<string, string>): Promise<void> {
    const webhookUrl = `http://127.0.0.1:${req.socket.localPort}/webhooks/komoju`;
    try {
      const status = await postSandboxEvent(webhookUrl, event, config.appSecret);
      if (status >= 300) sandboxLog.error({ ...about, type: event.type, status }, 'sandbox event was not accepted by our webhook');
    } catch (error) {
      sandboxLog.error({ ...about, type: event.type, err: error }, 'sandbox event could not be delivered');
    }
  }

  /** The shop whose link opened the session (the sandbox page names it, as KOMOJU's names the merchant). */
  async function sessionShop(session: SandboxSession): Promise<ShopBrand | undefined> {
    const metadata = session.metadata as Record<string, unknown> | null;
    const linkId = metadata?.[LINK_ID_METADATA_KEY];
    if (typeof linkId !== 'string') return undefined;
    const link = await prisma.link.findUnique({ where: { id: linkId }, select: { merchantId: true } });
    const language = isLanguage(session.locale) ? session.locale : 'ja';
    return link ? loadShopBrand(prisma, config.publicBaseUrl, link.merchantId, language) : undefined;
  }

  router.get('/sandbox/sessions/:id', async (req, res) => {
    const session = await findSession(req, res);
    if (!session) return;
    const page = renderSandboxPage({
      session,
      shop: await sessionShop(session),
      open: config.sandboxPayments && session.status === 'pending' && !isSessionExpired(session),
      paymentsOff: !config.sandboxPayments,
      declined: req.query.declined === '1',
      actionPath: sandboxSessionPath(session.id),
      formToken: formToken(config.appSecret, SANDBOX_FORM, session.id),
      returnUrl: returnUrlFor(session),
    });
    sendPage(res, 200, page);
  });

  router.post('/sandbox/sessions/:id', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const session = await findSession(req, res);
    if (!session) return;
    const form = (req.body ?? {}) as Record<string, unknown>;
    const language = isLanguage(session.locale) ? session.locale : 'ja';
    const t = translator(language, 'pages');
    if (!isSameOriginPost(req, config.publicBaseUrl) || !verifyFormToken(config.appSecret, SANDBOX_FORM, session.id, form.token)) {
      sendPage(res, 403, renderMessagePage({ language, title: t('forbidden.title'), message: t('forbidden.body'), testId: 'forbidden' }));
      return;
    }
    const action = form.action;
    if (!config.sandboxPayments && action !== 'leave') {
      sandboxLog.warn({ sessionId: session.id }, 'sandbox payment refused: test payments are off outside local mode (SANDBOX_IN_PRODUCTION)');
      sendPage(res, 403, renderMessagePage({ language, title: `${t('link.testBadge')} — ${t('sandbox.title')}`, message: t('sandbox.paymentsOff'), testId: 'sandbox-off' }));
      return;
    }
    if (action === 'leave') {
      const left = await leaveSandboxSession(prisma, session.id);
      res.redirect(303, returnUrlFor(left ?? session));
      return;
    }
    if (action === 'save' && session.mode === 'customer' && session.customerId) {
      // The buyer saved a card: KOMOJU tells the merchant with customer.updated, and so does the sandbox.
      const saved = await completeSandboxCustomerSession(prisma, session.id);
      if (saved) await deliver(req, sandboxCustomerEvent('customer.updated', session.customerId), { sessionId: session.id });
      res.redirect(303, saved ? returnUrlFor(saved) : sandboxSessionPath(session.id));
      return;
    }
    if (action !== 'pay' && action !== 'decline' && action !== 'later') {
      res.status(400).type('text/plain').send('action must be pay, later, decline or leave (save on a subscription’s session)');
      return;
    }
    const result = await paySandboxSession(prisma, session.id, action === 'pay' ? 'captured' : action === 'later' ? 'authorized' : 'failed');
    if (result.kind === 'not_found' || result.kind === 'closed' || result.kind === 'not_offered') {
      res.redirect(303, sandboxSessionPath(session.id));
      return;
    }
    sandboxLog.info({ sessionId: session.id, paymentId: result.payment.id, status: result.payment.status }, 'sandbox payment');
    if (result.kind === 'declined') {
      await report(req, 'payment.failed', result.payment);
      res.redirect(303, `${sandboxSessionPath(session.id)}?declined=1`);
      return;
    }
    await report(req, result.kind === 'authorized' ? 'payment.authorized' : 'payment.captured', result.payment);
    res.redirect(303, returnUrlFor(result.session));
  });

  return router;
};
