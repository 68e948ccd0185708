// The buyer's journey against a fake KOMOJU speaking the documented wire format: link page →
// Pay → KOMOJU session → signed webhook → payment recorded → capture notice; closed links,
// cross-site posts, floods, provider errors and hostile product texts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formToken } from '../../../src/pages/form-token.js';
import { encodeShownPrices } from '../../../src/payments/shown-prices.js';
import { setMerchantKomojuKeys } from '../../../src/merchants/komoju-keys.js';
import { createKomojuProvider } from '../../../src/payments/komoju/komoju-client.js';
import { createLogger } from '../../../src/logger.js';
import { startCheckout } from '../../../src/payments/start-checkout.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import { LogCapture } from '../../support/line-harness.js';
import { fixtureId, formTokenIn, noticeRetryKey, orderAsRendered, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_buyer_0123456789';
const WEBHOOK_SECRET = 'whsec_buyer_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('buyer checkout through KOMOJU on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma, harness } = useLineHarness(kind, () => ({
    // Buyers are told apart by the X-Forwarded-For a proxy on loopback would set.
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL, TRUST_PROXY: 'loopback' },
  }));
  // Every test presses Pay from 127.0.0.1; each starts with a fresh per-IP budget.
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  const webhookUrl = () => `${harness.url}/webhooks/komoju`;

  async function openPage(slug: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${harness.url}/l/${slug}`);
    return { status: response.status, body: await response.text() };
  }

  /** `client`: the buyer's address, as the proxy in front would pass it on. */
  async function pressPay(slug: string, options: { token?: string; origin?: string; client?: string } = {}): Promise<Response> {
    const token = options.token ?? formTokenIn((await openPage(slug)).body);
    return fetch(`${harness.url}/l/${slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: options.origin ?? harness.url,
        ...(options.client ? { 'X-Forwarded-For': options.client } : {}),
      },
      body: new URLSearchParams({ token }).toString(),
    });
  }

  async function payThroughKomoju(link: SeededLink): Promise<{ sessionId: string; paymentId: string }> {
    const response = await pressPay(link.slug);
    expect(response.status).toBe(303);
    const sessionId = sessionIdFrom(response);
    const payment = fake.completeSession(sessionId, 'captured');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    return { sessionId, paymentId: payment.id };
  }

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('shows the link page in its language with price, description, image and Open Graph tags, starting nothing', async () => {
    const link = await seedLink(prisma, { productName: 'Matcha tin', language: 'en', amount: 1500, withImage: true });
    const sessionsBefore = fake.sessions().length;
    const page = await openPage(link.slug);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Matcha tin');
    expect(page.body).toContain('¥1,500');
    expect(page.body).toContain('Fresh green tea, 100 g');
    expect(page.body).toContain(`<meta property="og:title" content="Matcha tin">`);
    expect(page.body).toContain(`<meta property="og:image" content="${PUBLIC_BASE_URL}/media/${link.imageId}">`);
    expect(page.body).toContain(`<meta property="og:url" content="${PUBLIC_BASE_URL}/l/${link.slug}">`);
    expect(page.body).toMatch(/<meta property="og:description" content="¥1,500 — Fresh green tea, 100 g">/);
    expect(page.body).toContain(`src="${PUBLIC_BASE_URL}/media/${link.imageId}"`);
    expect(page.body).toContain('Pay ¥1,500');
    // A KOMOJU test key (sk_test_) makes the page say TEST.
    expect(page.body).toContain('data-testid="test-badge"');
    expect(page.body).not.toContain('<script');
    expect(fake.sessions()).toHaveLength(sessionsBefore);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('renders ja and ko pages in their language', async () => {
    const ja = await seedLink(prisma, { language: 'ja', amount: 1500 });
    const ko = await seedLink(prisma, { language: 'ko', amount: 25000, currency: 'KRW' });
    const jaPage = await openPage(ja.slug);
    // Without a product photo the preview shows the link's QR code.
    expect(jaPage.body).toContain(`<meta property="og:image" content="${PUBLIC_BASE_URL}/qr/${ja.slug}.png">`);
    const koPage = await openPage(ko.slug);
    expect(jaPage.body).toContain('<html lang="ja">');
    expect(jaPage.body).toContain('¥1,500 を支払う');
    expect(koPage.body).toContain('<html lang="ko">');
    expect(koPage.body).toContain('25,000원 결제하기');
  });

  it('opens a KOMOJU session with the right fields, records the payment from the signed webhook and tells the creator once', async () => {
    const link = await seedLink(prisma, { productName: 'Hojicha', language: 'ja', amount: 2400, withImage: true });
    const response = await pressPay(link.slug);
    expect(response.status).toBe(303);
    const sessionId = sessionIdFrom(response);
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { sessionId } });
    expect(checkout).toMatchObject({ linkId: link.linkId, provider: 'komoju', status: 'pending', sessionUrl: response.headers.get('location') });

    const create = fake.requests.find(
      (request) => request.method === 'POST' && request.path === '/api/v1/sessions' && (request.body as { metadata?: { checkoutId?: string } }).metadata?.checkoutId === checkout.id,
    );
    expect(create?.headers['x-komoju-idempotency']).toBe(checkout.id);
    expect(create?.body).toMatchObject({
      amount: 2400,
      currency: 'JPY',
      default_locale: 'ja',
      return_url: `${PUBLIC_BASE_URL}/l/${link.slug}/return`,
      line_items: [{ description: 'Hojicha', amount: 2400, quantity: 1, image: `${PUBLIC_BASE_URL}/media/${link.imageId}` }],
      metadata: { linkId: link.linkId, checkoutId: checkout.id },
    });

    const payment = fake.completeSession(sessionId, 'captured');
    const event = fake.event('payment.captured', payment.id);
    expect(await fake.sendWebhook(webhookUrl(), event, WEBHOOK_SECRET)).toBe(200);
    const stored = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(stored).toMatchObject({ linkId: link.linkId, checkoutId: checkout.id, status: 'captured', amount: 2400, currency: 'JPY' });

    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(notice?.via).toBe('push');
    expect(notice?.key).toBe(await noticeRetryKey(prisma, 'payments.captured', payment.id));
    const text = String(notice?.message.text);
    // The creator's bot language (en), product, amount and the link's new captured total.
    expect(text).toContain('Payment received');
    expect(text).toContain('Hojicha: ¥2,400');
    expect(text).toContain('Total collected through this link: ¥2,400');
    await harness.server.events.idle();
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).noticeSentAt).not.toBeNull();

    // The same event again (KOMOJU retrying) changes nothing and sends no second notice.
    expect(await fake.sendWebhook(webhookUrl(), event, WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.providerEvent.count({ where: { id: event.id } })).toBe(1);
    expect(await prisma.payment.count({ where: { linkId: link.linkId } })).toBe(1);

    // Back from KOMOJU: the page re-reads the session and says paid, in the link's language.
    const back = await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`);
    expect(back.status).toBe(200);
    const backPage = await back.text();
    expect(backPage).toContain('ありがとうございます。お支払いが完了しました。');
    expect(await prisma.checkout.findUniqueOrThrow({ where: { id: checkout.id } })).toMatchObject({ status: 'completed' });
    await harness.server.events.idle();
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(1);
  });

  it('answers the return page from the provider when the webhook has not arrived, and records what it learned', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 900 });
    const response = await pressPay(link.slug);
    const sessionId = sessionIdFrom(response);

    // Not paid yet: the query string alone proves nothing.
    const early = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    expect(early).toContain('Payment not completed');
    // The provider is asked again only once the last answer is RECHECK_SECONDS old.
    await prisma.checkout.update({ where: { sessionId }, data: { providerCheckedAt: new Date(Date.now() - 11_000) } });

    const payment = fake.completeSession(sessionId, 'captured');
    const page = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    expect(page).toContain('Thank you! Your payment is complete.');
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ linkId: link.linkId, status: 'captured' });
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(notice?.key).toBe(await noticeRetryKey(prisma, 'payments.captured', payment.id));

    // The late webhook is merged into the same payment; no second notice.
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    await harness.server.events.idle();
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(1);
    expect(await prisma.payment.count({ where: { linkId: link.linkId } })).toBe(1);
  });

  it('says awaiting for a konbini payment, tells the creator until when, then once when it is captured', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 3300 });
    const response = await pressPay(link.slug);
    const sessionId = sessionIdFrom(response);
    const payment = fake.completeSession(sessionId, 'authorized');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.authorized', payment.id), WEBHOOK_SECRET)).toBe(200);
    const page = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    expect(page).toContain('Your payment is awaiting completion');
    const [awaiting] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(String(awaiting?.message.text)).toMatch(
      /^Awaiting payment \(Convenience store\)\n.*¥3,300\nThe buyer chose to pay by Convenience store\. Paid by .*, it is captured; do not ship before it is paid\./,
    );
    await harness.server.events.idle();
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(1);

    fake.capture(payment.id);
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    const [, notice] = await harness.line.waitForMessages(link.creatorId, 2);
    expect(String(notice?.message.text)).toContain('Payment received');
    expect(String(notice?.message.text)).toContain('¥3,300');
  });

  it('says paid for a payment refunded since, whether KOMOJU answers the return page or not', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 1200 });
    const { sessionId, paymentId } = await payThroughKomoju(link);
    fake.refund(paymentId, 1200);
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.refunded', paymentId), WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ status: 'refunded' });
    const returnUrl = `${harness.url}/l/${link.slug}/return?session_id=${sessionId}`;
    // Settled in our records: KOMOJU is not asked at all.
    const requestsBefore = fake.requests.length;
    expect(await (await fetch(returnUrl)).text()).toContain('Thank you! Your payment is complete.');
    expect(fake.requests).toHaveLength(requestsBefore);
  });

  it('answers the return page from our records when KOMOJU cannot be reached', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 1200 });
    const sessionId = sessionIdFrom(await pressPay(link.slug));
    // KOMOJU unreachable (a non-retryable error).
    fake.failNext(1, 401);
    expect(await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text()).toContain('Payment not completed');
    expect(harness.logs.text()).toContain('could not re-read the session');
  });

  it('says awaiting for a konbini payment from our records, without asking KOMOJU again', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 3300 });
    const sessionId = sessionIdFrom(await pressPay(link.slug));
    const payment = fake.completeSession(sessionId, 'authorized');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.authorized', payment.id), WEBHOOK_SECRET)).toBe(200);
    const requestsBefore = fake.requests.length;
    const page = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    expect(page).toContain('Your payment is awaiting completion');
    expect(fake.requests).toHaveLength(requestsBefore);
  });

  it('records refunds and chargebacks from webhooks in any order, the same as in order', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const { paymentId } = await payThroughKomoju(link);
    const captured = fake.event('payment.captured', paymentId);
    fake.refund(paymentId, 300);
    const partial = fake.event('payment.refund.created', paymentId);
    fake.refund(paymentId, 700, { chargeback: true });
    const chargedBack = fake.event('payment.refund.created', paymentId);
    // Newest first, then the older ones late and twice.
    for (const event of [chargedBack, partial, captured, partial, chargedBack]) {
      expect(await fake.sendWebhook(webhookUrl(), event, WEBHOOK_SECRET)).toBe(200);
    }
    const stored = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { refunds: true } });
    expect(stored).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    expect(stored.refunds.map((refund) => [refund.amount, refund.chargeback]).sort()).toEqual([
      [300, false],
      [700, true],
    ]);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 0 });
  });

  it('retries a capture notice LINE refused, with the same retry key, and sends it once', async () => {
    const link = await seedLink(prisma, { productName: 'Sencha', language: 'en' });
    const pushesBefore = harness.line.requests.filter((request) => request.path === '/v2/bot/message/push').length;
    harness.line.failNext(/\/v2\/bot\/message\/push/, 500);
    const { sessionId, paymentId } = await payThroughKomoju(link);
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(String(notice?.message.text)).toContain('Sencha');
    const key = await noticeRetryKey(prisma, 'payments.captured', paymentId);
    expect(notice?.key).toBe(key);
    // The refused push and its retry carried the same key: LINE would drop a second delivery.
    const pushes = harness.line.requests.filter((request) => request.path === '/v2/bot/message/push').slice(pushesBefore);
    expect(pushes.map((request) => request.headers['x-line-retry-key'])).toEqual([key, key]);
    await harness.server.events.idle();
    expect(await prisma.domainEvent.findUniqueOrThrow({ where: { dedupeKey: `payments.captured:${paymentId}` } })).toMatchObject({ status: 'done', attempts: 2 });
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).noticeSentAt).not.toBeNull();

    // The buyer's return page re-reads the payment: nothing new, no second notice.
    await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`);
    await harness.server.events.idle();
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(1);
  });

  it("never shows paid for another link's session or a made-up one", async () => {
    const paid = await seedLink(prisma);
    const other = await seedLink(prisma);
    const { sessionId } = await payThroughKomoju(paid);
    for (const query of [`session_id=${sessionId}`, 'session_id=nosuchsession', 'session_id=%3Cscript%3E', '']) {
      const page = await (await fetch(`${harness.url}/l/${other.slug}/return?${query}`)).text();
      expect(page).toContain('Payment not completed');
    }
  });

  it('refuses a webhook with a bad or missing signature (401) and stores nothing', async () => {
    const link = await seedLink(prisma);
    const response = await pressPay(link.slug);
    const payment = fake.completeSession(sessionIdFrom(response), 'captured');
    const event = fake.event('payment.captured', payment.id);
    expect(await fake.sendWebhook(webhookUrl(), event, 'not-the-secret')).toBe(401);
    const unsigned = await fetch(webhookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(401);
    // Signed over other bytes than those sent.
    const tampered = await fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Komoju-Signature': 'a'.repeat(64) },
      body: JSON.stringify(event),
    });
    expect(tampered.status).toBe(401);
    expect(await prisma.providerEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await prisma.payment.count({ where: { id: payment.id } })).toBe(0);
  });

  it('answers ping with 200', async () => {
    expect(await fake.sendWebhook(webhookUrl(), fake.event('ping'), WEBHOOK_SECRET)).toBe(200);
  });

  it('stores a payment for no known link instead of dropping it, and logs it', async () => {
    const event = {
      id: fixtureId('evt'),
      type: 'payment.captured',
      resource: 'event',
      created_at: new Date().toISOString(),
      data: { id: fixtureId('pay'), status: 'captured', amount: 500, currency: 'JPY', metadata: {}, session: null, captured_at: new Date().toISOString() },
    };
    expect(await fake.sendWebhook(webhookUrl(), event, WEBHOOK_SECRET)).toBe(200);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: event.data.id } })).toMatchObject({ linkId: null, status: 'captured' });
    expect(harness.logs.text()).toContain('payment for no known link');
  });

  it('accepts webhooks signed with a merchant’s own webhook secret, scoped to that merchant', async () => {
    const merchantSecret = 'whsec_merchant_own_0123456789';
    const merchantId = fixtureId('m');
    const link = await seedLink(prisma, { merchantId });
    // The fake KOMOJU knows one secret key; the merchant's account differs by its webhook secret.
    await setMerchantKomojuKeys(prisma, harness.config.appSecret, merchantId, { secretKey: SECRET_KEY, webhookSecret: merchantSecret });
    const response = await pressPay(link.slug);
    const payment = fake.completeSession(sessionIdFrom(response), 'captured');
    const event = fake.event('payment.captured', payment.id);
    expect(await fake.sendWebhook(webhookUrl(), event, merchantSecret)).toBe(200);
    expect(await prisma.providerEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ merchantId });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ linkId: link.linkId, status: 'captured' });
    // An event naming none of this merchant's links is not checked against its secret…
    expect(await fake.sendWebhook(webhookUrl(), fake.event('ping'), merchantSecret)).toBe(401);
    // …but at the merchant's own URL it is, and only against that merchant's secret.
    const merchantUrl = `${webhookUrl()}/merchants/${merchantId}`;
    expect(await fake.sendWebhook(merchantUrl, fake.event('ping'), merchantSecret)).toBe(200);
    expect(await fake.sendWebhook(merchantUrl, fake.event('ping'), WEBHOOK_SECRET)).toBe(401);
    expect(await fake.sendWebhook(`${webhookUrl()}/merchants/${fixtureId('m')}`, fake.event('ping'), merchantSecret)).toBe(401);
    const refund = fake.event('payment.refunded', fake.refund(payment.id, 1500).id);
    expect(await fake.sendWebhook(merchantUrl, refund, merchantSecret)).toBe(200);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'refunded' });
  });

  it("checks a webhook's signature against the named link's merchant only, never every merchant's keys", async () => {
    // Keys sealed under another APP_SECRET: trying one of them is visible in the log.
    const unreadable = async (merchantId: string) => setMerchantKomojuKeys(prisma, 'another-app-secret-0123456789abcdef0123', merchantId, { secretKey: SECRET_KEY, webhookSecret: 'x'.repeat(32) });
    const bystanders = [fixtureId('m'), fixtureId('m'), fixtureId('m')];
    for (const merchantId of bystanders) {
      await seedLink(prisma, { merchantId });
      await unreadable(merchantId);
    }
    const named = await seedLink(prisma);
    await unreadable(named.merchantId);
    const triedKeysOf = (merchantId: string) => harness.logs.entries().filter((entry) => entry.merchantId === merchantId && String(entry.msg).includes('cannot be decrypted')).length;
    const forged = (body: unknown) => fetch(webhookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Komoju-Signature': 'b'.repeat(64) }, body: JSON.stringify(body) });

    expect((await forged(fake.event('ping'))).status).toBe(401);
    const namingLink = { ...fake.event('ping'), type: 'payment.captured', data: { id: fixtureId('pay'), status: 'captured', amount: 1500, currency: 'JPY', metadata: { linkId: named.linkId } } };
    expect((await forged(namingLink)).status).toBe(401);
    expect(bystanders.map(triedKeysOf)).toEqual([0, 0, 0]);
    expect(triedKeysOf(named.merchantId)).toBe(1);
  });

  // A tab opened while the link was still open holds a valid token, with the prices it showed (seedLink's: ¥1,500).
  const staleTabToken = (slug: string) => formToken(harness.config.appSecret, 'checkout', slug, Date.now(), encodeShownPrices({ price: { mode: 'fixed', amount: 1500 }, tips: null, currency: 'JPY' }));

  it.each([
    ['inactive', { status: 'inactive' }, 'This payment link is no longer accepting payments.'],
    ['expired', { expiresAt: new Date(Date.now() - 1000) }, 'This payment link has expired'],
  ] as const)('answers 410 for an %s link and opens no session', async (_name, options, message) => {
    const link = await seedLink(prisma, options);
    const page = await openPage(link.slug);
    expect(page.status).toBe(410);
    expect(page.body).toContain('Payments are closed');
    expect(page.body).toContain(message);
    expect(page.body).not.toContain('name="token"');
    const sessionsBefore = fake.sessions().length;
    const press = await pressPay(link.slug, { token: staleTabToken(link.slug) });
    expect(press.status).toBe(410);
    expect(await press.text()).toContain(message);
    expect(fake.sessions()).toHaveLength(sessionsBefore);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('closes a live link while checkout would run in test mode (410 in its language), opening no session', async () => {
    const link = await seedLink(prisma, { language: 'ja', testMode: false });
    const page = await openPage(link.slug);
    expect(page.status).toBe(410);
    expect(page.body).toContain('このページは現在お支払いを受け付けていません');
    expect(page.body).not.toContain('name="token"');
    const sessionsBefore = fake.sessions().length;
    const press = await pressPay(link.slug, { token: staleTabToken(link.slug) });
    expect(press.status).toBe(410);
    expect(await press.text()).toContain('販売者に新しい支払いリンクをお問い合わせください');
    expect(fake.sessions()).toHaveLength(sessionsBefore);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
    const warned = harness.logs.entries().filter((entry) => entry.linkId === link.linkId && entry.level === 40);
    expect(warned.map((entry) => entry.msg)).toEqual([
      expect.stringContaining('link page closed: the link was made in another mode'),
      expect.stringContaining('checkout refused: the link was made in another mode'),
    ]);
  });

  it('never opens a live KOMOJU session for a link made in test mode', async () => {
    const merchantId = fixtureId('m');
    const link = await seedLink(prisma, { merchantId, language: 'en', testMode: true });
    // The shop has since switched to its own live account.
    await setMerchantKomojuKeys(prisma, harness.config.appSecret, merchantId, { secretKey: 'sk_live_shop_0123456789', webhookSecret: 'whsec_live_0123456789abcdef' });
    const requestsBefore = fake.requests.length;
    const page = await openPage(link.slug);
    expect(page.status).toBe(410);
    expect(page.body).toContain('Please ask the seller for a new payment link');
    expect(page.body).not.toContain('no real money is charged');
    const press = await pressPay(link.slug, { token: staleTabToken(link.slug) });
    expect(press.status).toBe(410);
    expect(fake.requests).toHaveLength(requestsBefore);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('closes a link at its usage limit of captured payments, tells the merchant, and opens no more sessions', async () => {
    const link = await seedLink(prisma, { productName: 'Limited box', usageLimit: 1, amount: 3000 });
    // Two buyers press Pay before anyone paid: the first holds the only place.
    const first = await pressPay(link.slug, { client: '203.0.113.1' });
    const second = await pressPay(link.slug, { token: staleTabToken(link.slug), client: '203.0.113.2' });
    expect([first.status, second.status]).toEqual([303, 409]);
    const payment = fake.completeSession(sessionIdFrom(first), 'captured');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);

    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    const texts = [
      notice?.message,
      ...harness.line
        .messagesTo(link.creatorId)
        .slice(1)
        .map((entry) => entry.message),
    ].map((message) => String(message?.text));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Limited box: ¥3,000');
    expect(texts[1]).toBe('“Limited box” reached its usage limit (1) and no longer accepts payments.');

    const page = await openPage(link.slug);
    expect(page.status).toBe(410);
    expect(page.body).toContain('all places have been taken');
    const sessionsBefore = fake.sessions().length;
    expect((await pressPay(link.slug, { token: staleTabToken(link.slug) })).status).toBe(410);
    expect(fake.sessions()).toHaveLength(sessionsBefore);
  });

  it('announces the usage limit only with the capture that reached it, not with later ones', async () => {
    const link = await seedLink(prisma, { productName: 'Two only', usageLimit: 2, amount: 1000 });
    const usedUp = '“Two only” reached its usage limit (2) and no longer accepts payments.';
    const texts = () => harness.line.messagesTo(link.creatorId).map((entry) => String(entry.message.text));
    await payThroughKomoju(link);
    await harness.line.waitForMessages(link.creatorId, 1);
    await payThroughKomoju(link);
    await harness.line.waitForMessages(link.creatorId, 3);
    expect(texts().filter((text) => text === usedUp)).toHaveLength(1);
    // A buyer who reached KOMOJU's page before the link closed still pays (recorded, never refused).
    const late = await createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url }).createSession({
      amount: 1000,
      currency: 'JPY',
      locale: 'en',
      returnUrl: `${PUBLIC_BASE_URL}/l/${link.slug}/return`,
      lineItem: { description: 'Two only', amount: 1000, quantity: 1 },
      metadata: { linkId: link.linkId },
      idempotencyKey: fixtureId('late'),
    });
    const payment = fake.completeSession(late.id, 'captured');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    await waitFor(
      () => prisma.payment.findUniqueOrThrow({ where: { id: payment.id } }),
      (row) => row.noticeSentAt !== null,
    );
    // Its capture notice, and (links/captured-after-close.ts) the owner told which rule it broke.
    await harness.line.waitForMessages(link.creatorId, 5);
    await harness.server.events.idle();
    expect(texts()).toHaveLength(5);
    expect(
      texts()
        .slice(3)
        .some((text) => text.includes('Two only: ¥1,000')),
    ).toBe(true);
    expect(
      texts()
        .slice(3)
        .some((text) => text.startsWith('A payment came in after “Two only” reached its usage limit (2)')),
    ).toBe(true);
    expect(texts().filter((text) => text === usedUp)).toHaveLength(1);
  });

  it('tells the merchant the link closed even when payment notices are off', async () => {
    const link = await seedLink(prisma, { productName: 'Last one', usageLimit: 1, notices: false });
    await payThroughKomoju(link);
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(notice?.message.text).toBe('“Last one” reached its usage limit (1) and no longer accepts payments.');
  });

  it.each([1, 2])('opens at most %i sessions for simultaneous Pay presses on a link with that usage limit', async (usageLimit) => {
    const link = await seedLink(prisma, { usageLimit, language: 'en' });
    const token = formTokenIn((await openPage(link.slug)).body);
    const sessionsBefore = fake.sessions().length;
    const presses = await Promise.all(Array.from({ length: 5 }, (_, buyer) => pressPay(link.slug, { token, client: `198.51.100.${buyer + 1}` })));
    const statuses = presses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(usageLimit).fill(303), ...Array(5 - usageLimit).fill(409)]);
    expect(fake.sessions()).toHaveLength(sessionsBefore + usageLimit);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(usageLimit);
    const refused = presses.find((response) => response.status === 409);
    // When the first hold ends: its session's 15 minutes and a margin from now.
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(15 * 60);
    expect(Number(refused?.headers.get('retry-after'))).toBeLessThanOrEqual(17 * 60);
    expect(await refused?.text()).toContain('All remaining places are being paid for right now');
    // Each place is held no longer than its session lives.
    const creates = fake.requests.filter((request) => request.method === 'POST' && (request.body as { metadata?: { linkId?: string } }).metadata?.linkId === link.linkId);
    expect(creates.map((request) => (request.body as { expires_in_seconds?: number }).expires_in_seconds)).toEqual(Array(usageLimit).fill(900));
  });

  it('says temporarily unavailable, not used up, while the last place is being paid for, and keeps it held through a declined attempt', async () => {
    const link = await seedLink(prisma, { usageLimit: 1, language: 'en' });
    const sessionId = sessionIdFrom(await pressPay(link.slug));
    const page = await openPage(link.slug);
    expect(page.status).toBe(409);
    expect(page.body).toContain('Temporarily unavailable');
    expect(page.body).toContain('try again in a few minutes');
    expect(page.body).not.toContain('all places have been taken');
    expect(page.body).not.toContain('name="token"');

    // KOMOJU keeps the session payable after a decline: the place stays held, and the buyer who
    // was declined goes back to the same session rather than taking a second place.
    const declined = fake.completeSession(sessionId, 'failed');
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.failed', declined.id), WEBHOOK_SECRET)).toBe(200);
    expect((await openPage(link.slug)).status).toBe(409);
    const again = await pressPay(link.slug, { token: staleTabToken(link.slug) });
    expect(again.status).toBe(303);
    expect(sessionIdFrom(again)).toBe(sessionId);
    expect((await pressPay(link.slug, { token: staleTabToken(link.slug), client: '203.0.113.99' })).status).toBe(409);
  });

  it('gives a place back once the session holding it can no longer be paid', async () => {
    const link = await seedLink(prisma, { usageLimit: 1 });
    const deps = { prisma, db: database.db, config: harness.config, log: createLogger('debug', new LogCapture()) };
    const linkRow = await prisma.link.findUniqueOrThrow({ where: { id: link.linkId } });
    const now = new Date();
    const order = await orderAsRendered(prisma, linkRow, now);
    expect(await startCheckout(deps, linkRow, order, { now })).toMatchObject({ kind: 'redirect' });
    expect(await startCheckout(deps, linkRow, order, { now: new Date(now.getTime() + 10 * 60_000) })).toMatchObject({ kind: 'closed', offer: { reason: 'reserved' } });
    // The first session (15 min) has expired by then.
    expect(await startCheckout(deps, linkRow, order, { now: new Date(now.getTime() + 18 * 60_000) })).toMatchObject({ kind: 'redirect' });
  });

  it('decides a press against the link as committed when the merchant edited it after the press read it', async () => {
    const link = await seedLink(prisma, { usageLimit: 1 });
    const deps = { prisma, db: database.db, config: harness.config, log: createLogger('debug', new LogCapture()) };
    const asRead = await prisma.link.findUniqueOrThrow({ where: { id: link.linkId } });
    const now = new Date();
    const order = await orderAsRendered(prisma, asRead, now);
    expect(await startCheckout(deps, asRead, order, { now })).toMatchObject({ kind: 'redirect' });
    // The limit was raised after this press read the link: its one place is held, but a second is there now.
    await prisma.link.update({ where: { id: link.linkId }, data: { usageLimit: 2 } });
    expect(await startCheckout(deps, asRead, order, { now })).toMatchObject({ kind: 'redirect', reused: false });
    expect(await startCheckout(deps, asRead, order, { now })).toMatchObject({ kind: 'closed', offer: { reason: 'reserved' } });
    // Raised again and deactivated: closed, whatever the press read.
    await prisma.link.update({ where: { id: link.linkId }, data: { usageLimit: 3, status: 'inactive' } });
    expect(await startCheckout(deps, asRead, order, { now })).toMatchObject({ kind: 'closed', offer: { reason: 'inactive' } });
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(2);
  });

  it('does not hold places for links without a usage limit', async () => {
    const link = await seedLink(prisma);
    const presses = await Promise.all(Array.from({ length: 3 }, () => pressPay(link.slug, { token: staleTabToken(link.slug) })));
    expect(presses.map((response) => response.status)).toEqual([303, 303, 303]);
    const creates = fake.requests.filter((request) => request.method === 'POST' && (request.body as { metadata?: { linkId?: string } }).metadata?.linkId === link.linkId);
    expect(creates.map((request) => (request.body as { expires_in_seconds?: number }).expires_in_seconds)).toEqual([undefined, undefined, undefined]);
  });

  it('sends no capture notice to a creator who turned notices off', async () => {
    const link = await seedLink(prisma, { notices: false });
    const { paymentId } = await payThroughKomoju(link);
    await waitFor(
      () => prisma.payment.findUniqueOrThrow({ where: { id: paymentId } }),
      (row) => row.status === 'captured',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(0);
  });

  it('refuses cross-site posts and forged tokens (403) without opening a session', async () => {
    const link = await seedLink(prisma);
    const token = formTokenIn((await openPage(link.slug)).body);
    const sessionsBefore = fake.sessions().length;
    expect((await pressPay(link.slug, { token, origin: 'https://evil.example' })).status).toBe(403);
    expect((await pressPay(link.slug, { token: 'forged' })).status).toBe(403);
    const crossSite = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(fake.sessions()).toHaveLength(sessionsBefore);
  });

  it('limits Pay presses per client to 10 a minute', async () => {
    const link = await seedLink(prisma);
    const token = formTokenIn((await openPage(link.slug)).body);
    const statuses: number[] = [];
    for (let press = 0; press < 11; press++) statuses.push((await pressPay(link.slug, { token })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(303));
    expect(statuses[10]).toBe(429);
  });

  it('shows a clear page and logs the reason when KOMOJU fails', async () => {
    const link = await seedLink(prisma, { language: 'en' });
    const token = formTokenIn((await openPage(link.slug)).body);
    fake.failNext(1, 422, { error: { code: 'invalid_parameter', message: 'The parameter (amount) is invalid' } });
    const response = await pressPay(link.slug, { token });
    expect(response.status).toBe(502);
    const page = await response.text();
    expect(page).toContain('Payment could not be started');
    expect(page).toContain('Nothing was charged');
    expect(await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } })).toMatchObject({ status: 'error' });
    const logged = harness.logs.entries().find((entry) => entry.msg === 'checkout: provider could not open a session' && entry.linkId === link.linkId);
    expect(String(logged?.detail)).toContain('invalid_parameter');
    expect(harness.logs.text()).not.toContain(SECRET_KEY);
  });

  it("shows the provider error page when a merchant's stored keys cannot be read", async () => {
    const merchantId = fixtureId('m');
    const link = await seedLink(prisma, { merchantId });
    // Sealed under another APP_SECRET (e.g. the operator rotated it): unreadable here.
    await setMerchantKomojuKeys(prisma, 'another-app-secret-0123456789abcdef0123', merchantId, { secretKey: SECRET_KEY, webhookSecret: 'x'.repeat(32) });
    const page = await openPage(link.slug);
    expect(page.status).toBe(200);
    const response = await pressPay(link.slug, { token: formTokenIn(page.body) });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('Payment could not be started');
    expect(harness.logs.text()).toContain('checkout: no payment provider for this link');
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
    // Nor do they break webhook checks: a bad signature is still a plain 401.
    expect(await fake.sendWebhook(webhookUrl(), fake.event('ping'), 'not-the-secret')).toBe(401);
    expect(await fake.sendWebhook(webhookUrl(), fake.event('ping'), WEBHOOK_SECRET)).toBe(200);
  });

  it('renders HTML and script in product names and descriptions harmless', async () => {
    const hostileName = '<script>alert("name")</script>';
    const hostileDescription = '"><img src=x onerror=alert(1)>\n</p><script>alert(2)</script>';
    const link = await seedLink(prisma, { productName: hostileName, description: hostileDescription });
    const page = await openPage(link.slug);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<script');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    const response = await fetch(`${harness.url}/l/${link.slug}`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");

    const { sessionId } = await payThroughKomoju(link);
    const back = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    expect(back).not.toContain('<script');
    expect(back).toContain('&lt;script&gt;');
  });

  it('answers 404 pages for unknown links and keeps /sandbox closed while KOMOJU is configured', async () => {
    const unknown = await fetch(`${harness.url}/l/doesNotExist123`, { headers: { 'Accept-Language': 'ko' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('페이지를 찾을 수 없습니다');
    expect((await fetch(`${harness.url}/sandbox/sessions/sbs_000000000000000000000000`)).status).toBe(404);
  });
});
