// Buying more than one: an adjustable link's page offers a quantity; Pay opens a KOMOJU session
// for unit price × quantity with a line item saying so; a bad quantity gets a 422 page naming the
// field and starts nothing; a usage limit counts units, not payments; the merchant's notice and
// transactions show the quantity.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { formTokenIn, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_quantity_0123456789';
const WEBHOOK_SECRET = 'whsec_quantity_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('buying a quantity on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL, TRUST_PROXY: 'loopback' },
  }));
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  async function openPage(slug: string): Promise<{ status: number; body: string; csp: string }> {
    const response = await fetch(`${harness.url}/l/${slug}`);
    return { status: response.status, body: await response.text(), csp: response.headers.get('content-security-policy') ?? '' };
  }

  async function pressPay(link: SeededLink, fields: Record<string, string>, client = '203.0.113.7'): Promise<Response> {
    const token = formTokenIn((await openPage(link.slug)).body);
    return fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams({ token, ...fields }).toString(),
    });
  }

  it('offers 1 to 3 with live totals, and opens a session for unit price × quantity with the line item', async () => {
    const link = await seedLink(prisma, { productName: 'Dorayaki', language: 'en', amount: 400, quantityMin: 1, quantityMax: 3 });
    const page = await openPage(link.slug);
    expect(page.body).toMatch(/<label for="quantity">Quantity<\/label>/);
    expect(page.body).toMatch(/<input id="quantity" name="quantity" type="number" inputmode="numeric" min="1" max="3"/);
    // The total for the quantity shown, and what the live total prices from (live-total.ts).
    expect(page.body).toContain('<output id="total" aria-live="polite" data-testid="total">¥400</output>');
    expect(page.body).toContain('&quot;price&quot;:{&quot;fixed&quot;:400}');
    // The stepper's script runs only by its nonce; nothing else may.
    const nonce = /<script nonce="([^"]+)">/.exec(page.body)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(page.csp).toContain("default-src 'none'");

    const response = await pressPay(link, { quantity: '２' });
    expect(response.status).toBe(303);
    const session = fake.session(sessionIdFrom(response));
    expect(session.amount).toBe(800);
    expect(session.line_items).toEqual([{ description: 'Dorayaki', amount: 400, quantity: 2 }]);
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(checkout.quantity).toBe(2);

    const payment = fake.completeSession(session.id, 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(messageText(notice!.message)).toContain('Quantity: 2');
    const listed = await listTransactions(prisma, link.linkId);
    expect(listed.items.map((item) => [item.amount, item.quantity])).toEqual([[800, 2]]);
  });

  it.each([
    ['5', 'You can buy at most 3 at a time.'],
    ['0', 'The quantity must be at least 1.'],
    ['two', 'Enter the quantity as a whole number.'],
    ['', 'Enter the quantity as a whole number.'],
  ])('refuses quantity %j with a 422 page naming the field, starting nothing', async (quantity, message) => {
    const link = await seedLink(prisma, { language: 'en', amount: 400, quantityMin: 1, quantityMax: 3 });
    const sessionsBefore = fake.sessions().length;
    const response = await pressPay(link, { quantity });
    expect(response.status).toBe(422);
    const body = await response.text();
    expect(body).toContain('role="alert"');
    expect(body).toContain(`<a href="#quantity">Quantity: ${message}</a>`);
    expect(body).toContain(`<p class="field-error" id="quantity-error" data-testid="quantity-error">${message}</p>`);
    expect(body).toContain('aria-invalid="true"');
    expect(fake.sessions().length).toBe(sessionsBefore);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('counts units against the usage limit: 2 bought of 3 leaves room for 1', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 400, quantityMin: 1, quantityMax: 3, usageLimit: 3 });
    const first = await pressPay(link, { quantity: '2' }, '203.0.113.20');
    const payment = fake.completeSession(sessionIdFrom(first), 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);

    const page = await openPage(link.slug);
    // One place left: the stepper stops at 1, so the quantity is no longer a choice.
    expect(page.body).not.toContain('name="quantity"');
    expect(page.body).toContain('Pay ¥400');
    const tooMany = await pressPay(link, { quantity: '2' }, '203.0.113.21');
    expect(tooMany.status).toBe(422);
    expect(await tooMany.text()).toContain('Only 1 left. Please choose a smaller quantity.');
    const last = await pressPay(link, { quantity: '1' }, '203.0.113.22');
    expect(last.status).toBe(303);
    // The last place is held by that checkout now.
    expect((await openPage(link.slug)).status).toBe(409);
  });

  it('a fixed set of 3 with 2 places left: "try again soon" while a hold may come back, closed once none can', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 400, quantityMin: 3, quantityMax: 3, usageLimit: 5 });
    const held = await pressPay(link, {}, '203.0.113.30');
    // 3 of 5 held: the 2 places left cannot make a set, but the hold may lapse and give its 3 back.
    const busy = await openPage(link.slug);
    expect(busy.status).toBe(409);
    expect(busy.body).toContain('try again in a few minutes');

    const payment = fake.completeSession(sessionIdFrom(held), 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    const closed = await openPage(link.slug);
    expect(closed.status).toBe(410);
    expect(closed.body).toContain('Payments for this item have closed: 2 left, and it is sold 3 at a time.');
  });

  it('ignores a posted quantity on a fixed link', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 400 });
    expect((await openPage(link.slug)).body).not.toContain('name="quantity"');
    const response = await pressPay(link, { quantity: '50' });
    expect(response.status).toBe(303);
    expect(fake.session(sessionIdFrom(response)).amount).toBe(400);
  });
});
