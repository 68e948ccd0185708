// Discount codes on the buyer's page: typed in any case or width, applied to the subtotal (a
// 10 % code on ¥3,000 opens a ¥2,700 session), refused with a clear 422 when unknown, expired,
// used up or for other links, shown with Apply before Pay without JavaScript, and a capped code is
// never used past its cap however many buyers press Pay at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscountCode } from '../../../src/discounts/create-code.js';
import { codeUses } from '../../../src/discounts/code-uses.js';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';
import { messageText } from '../../support/line-harness.js';
import { fixtureId, formTokenIn, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';

const SECRET_KEY = 'sk_test_codes_0123456789';
const WEBHOOK_SECRET = 'whsec_codes_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
// 80 characters, the longest product name a link takes.
const LONG_NAME = '北海道産の有機栽培ほうじ茶と手焼きせんべいの詰め合わせ特別限定セット（木箱入り・のし紙対応・送料込み・贈答用・ご家族やご友人へのお土産にも最適な人気の定番商品で';

describe.each(await databaseKinds())('discount codes on %s', (kind) => {
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

  async function shopLink(options: { language?: 'ja' | 'en' | 'ko'; amount?: number; productName?: string } = {}): Promise<SeededLink> {
    return seedLink(prisma, { merchantId: fixtureId('m'), language: options.language ?? 'en', amount: options.amount ?? 3000, ...(options.productName ? { productName: options.productName } : {}) });
  }

  async function code(link: SeededLink, fields: { code: string; percent?: number; amount?: number; usageCap?: number; expiresAt?: Date; linkIds?: string[] }): Promise<string> {
    const created = await createDiscountCode(prisma, {
      merchantId: link.merchantId,
      code: fields.code,
      off: fields.percent !== undefined ? { kind: 'percent', percent: fields.percent } : { kind: 'amount', amount: fields.amount ?? 0, currency: 'JPY' },
      usageCap: fields.usageCap ?? null,
      expiresAt: fields.expiresAt ?? null,
      linkIds: fields.linkIds ?? [],
    });
    if (created.kind !== 'created') throw new Error(`code not created: ${created.kind}`);
    return created.code.id;
  }

  async function openPage(slug: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${harness.url}/l/${slug}`);
    return { status: response.status, body: await response.text() };
  }

  async function post(link: SeededLink, fields: Record<string, string>, client = '203.0.113.60', token?: string): Promise<Response> {
    const formToken = token ?? formTokenIn((await openPage(link.slug)).body);
    return fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams({ token: formToken, ...fields }).toString(),
    });
  }

  it('offers a code field only when the shop has a live code for the link', async () => {
    const link = await shopLink();
    expect((await openPage(link.slug)).body).not.toContain('name="code"');
    await code(link, { code: 'SPRING10', percent: 10 });
    const page = (await openPage(link.slug)).body;
    expect(page).toMatch(/<label for="code">Discount code<\/label>/);
    expect(page).toContain('name="preview" value="1" formnovalidate data-testid="apply-code">Apply</button>');
  });

  it('offers no code field on a link whose only live code is an amount off in another currency', async () => {
    const yen = await shopLink();
    await code(yen, { code: 'YEN300', amount: 300 });
    expect((await openPage(yen.slug)).body).toContain('name="code"');
    // The same shop's won link: ¥300 off can never apply there, so the page does not ask for a code.
    const won = await seedLink(prisma, { merchantId: yen.merchantId, language: 'ko', currency: 'KRW', amount: 30000 });
    expect((await openPage(won.slug)).body).not.toContain('name="code"');
  });

  it('opens ¥2,700 for a 10 % code on ¥3,000, and the notice and transactions name the code', async () => {
    const link = await shopLink({ productName: LONG_NAME });
    await code(link, { code: 'SPRING10', percent: 10 });
    const response = await post(link, { code: 'spring10' });
    expect(response.status).toBe(303);
    const session = fake.session(sessionIdFrom(response));
    expect(session.amount).toBe(2700);
    expect(session.line_items).toEqual([{ description: `${LONG_NAME} / code SPRING10 −¥300`, amount: 2700, quantity: 1 }]);
    expect(session.metadata).toMatchObject({ discountCode: 'SPRING10', discountAmount: '300' });
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect([checkout.discountCode, checkout.discountAmount, checkout.amount]).toEqual(['SPRING10', 300, 2700]);

    const payment = fake.completeSession(session.id, 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(messageText(notice!.message)).toContain('Code SPRING10: −¥300');
    const listed = await listTransactions(prisma, link.linkId);
    expect(listed.items.map((item) => [item.total, item.choices])).toEqual([[2700, { discountCode: 'SPRING10', discountAmount: 300 }]]);
  });

  it('reads a code typed full-width and in lower case (ｓｐｒｉｎｇ１０)', async () => {
    const link = await shopLink();
    await code(link, { code: 'SPRING10', percent: 10 });
    const response = await post(link, { code: ' ｓｐｒｉｎｇ１０ ' });
    expect(response.status).toBe(303);
    expect(fake.session(sessionIdFrom(response)).amount).toBe(2700);
  });

  it('shows the discounted total on Apply without starting anything (works without JavaScript)', async () => {
    const link = await shopLink({ language: 'ja' });
    await code(link, { code: 'OFF500', amount: 500 });
    const response = await post(link, { code: 'off500', preview: '1' });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('data-testid="code-applied">クーポン OFF500 を適用しました：−¥500</p>');
    expect(body).toContain('data-testid="breakdown-total">¥2,500</dd>');
    expect(body).toContain('value="off500"');
    expect(body).toContain('>¥2,500 を支払う</button>');
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it.each([
    ['unknown', 'This code is not valid. Check the spelling.'],
    ['expired', 'This code is not valid. Check the spelling.'],
    ['stopped', 'This code is not valid. Check the spelling.'],
    ['other link', 'This code is not valid. Check the spelling.'],
    ['larger than the price', 'This code takes off more than the price, so it cannot be used for this order.'],
  ])('refuses a code that is %s with a 422 at the field, the input kept, nothing started', async (why, message) => {
    const link = await shopLink();
    const other = await seedLink(prisma, { merchantId: link.merchantId, language: 'en' });
    if (why === 'expired') {
      const id = await code(link, { code: 'OLD10', percent: 10 });
      await prisma.discountCode.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    }
    if (why === 'stopped') await prisma.discountCode.update({ where: { id: await code(link, { code: 'OLD10', percent: 10 }) }, data: { active: false } });
    if (why === 'other link') await code(link, { code: 'OLD10', percent: 10, linkIds: [other.linkId] });
    if (why === 'larger than the price') await code(link, { code: 'OLD10', amount: 3000 });
    // The field is on the page while any live code exists in the shop.
    await code(link, { code: 'LIVE5', percent: 5 });
    const response = await post(link, { code: 'old10' });
    expect(response.status).toBe(422);
    const body = await response.text();
    expect(body).toContain(`<a href="#code">Discount code: ${message}</a>`);
    expect(body).toContain(`data-testid="code-error">${message}</p>`);
    expect(body).toContain('value="old10"');
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('never uses a capped code past its cap when 10 buyers press Pay at once, on two links sharing it', async () => {
    const link = await shopLink();
    // Presses on one link already wait for each other (the link's row lock); the code's own lock
    // is what holds its cap across links.
    const other = await seedLink(prisma, { merchantId: link.merchantId, language: 'en', amount: 3000 });
    const codeId = await code(link, { code: 'FIRST3', percent: 20, usageCap: 3 });
    const tokens = [formTokenIn((await openPage(link.slug)).body), formTokenIn((await openPage(other.slug)).body)] as const;
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => post(index % 2 === 0 ? link : other, { code: 'first3' }, `198.51.100.${index + 1}`, tokens[index % 2])));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([303, 303, 303, 422, 422, 422, 422, 422, 422, 422]);
    const refused = await Promise.all(responses.filter((response) => response.status === 422).map((response) => response.text()));
    for (const body of refused) expect(body).toContain('This code is not valid. Check the spelling.');
    expect(await prisma.checkout.count({ where: { discountCodeId: codeId } })).toBe(3);
    const linkIds = [link.linkId, other.linkId];
    const sessions = fake.sessions().filter((session) => linkIds.includes(session.metadata.linkId ?? ''));
    expect(sessions.map((session) => session.amount)).toEqual([2400, 2400, 2400]);
    // A held use expires with its session: 15 minutes, not KOMOJU's 24 hours.
    const opened = fake.requests.filter((request) => request.path === '/api/v1/sessions' && linkIds.includes((request.body as { metadata?: { linkId?: string } }).metadata?.linkId ?? ''));
    expect(opened.map((request) => (request.body as { expires_in_seconds?: number }).expires_in_seconds)).toEqual([900, 900, 900]);
    // The page no longer takes the code; without it the buyer pays full price.
    const later = await post(link, { code: 'FIRST3' }, '198.51.100.50');
    expect(later.status).toBe(422);
    const full = await post(link, { code: '' }, '198.51.100.51');
    expect(fake.session(sessionIdFrom(full)).amount).toBe(3000);
  });

  it('lets one client hold one use of a capped code: the same press goes back to its session', async () => {
    const link = await seedLink(prisma, { merchantId: fixtureId('m'), language: 'en', amount: 3000, quantityMin: 1, quantityMax: 3 });
    const codeId = await code(link, { code: 'FEW2', percent: 10, usageCap: 2 });
    const first = await post(link, { code: 'few2', quantity: '1' }, '198.51.100.80');
    const again = await post(link, { code: 'FEW2', quantity: '1' }, '198.51.100.80');
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const changed = await post(link, { code: 'FEW2', quantity: '2' }, '198.51.100.80');
    expect(changed.status).toBe(422);
    expect(await changed.text()).toContain('A payment with this code is already in progress from your device.');
    expect(await prisma.checkout.count({ where: { discountCodeId: codeId } })).toBe(1);
    // The other use is still there for someone else.
    expect((await post(link, { code: 'FEW2', quantity: '1' }, '198.51.100.81')).status).toBe(303);
  });

  it('keeps a use held through a declined attempt while its session can still be paid: decline, press Pay again, one use', async () => {
    const link = await shopLink();
    const codeId = await code(link, { code: 'ONLY1', amount: 100, usageCap: 1 });
    const first = await post(link, { code: 'ONLY1' }, '198.51.100.70');
    expect(first.status).toBe(303);
    expect((await post(link, { code: 'ONLY1' }, '198.51.100.71')).status).toBe(422);
    const failed = fake.completeSession(sessionIdFrom(first), 'failed');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.failed', failed.id), WEBHOOK_SECRET)).toBe(200);
    // The declined buyer presses Pay again: back to the same session, still one use.
    const again = await post(link, { code: 'ONLY1' }, '198.51.100.70');
    expect(again.status).toBe(303);
    expect(sessionIdFrom(again)).toBe(sessionIdFrom(first));
    expect((await post(link, { code: 'ONLY1' }, '198.51.100.72')).status).toBe(422);
    expect(await prisma.checkout.count({ where: { discountCodeId: codeId } })).toBe(1);
    const paid = fake.completeSession(sessionIdFrom(first), 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', paid.id), WEBHOOK_SECRET)).toBe(200);
    expect(await codeUses(prisma, codeId, new Date())).toBe(1);
    // Unpaid, the use comes back once the session can no longer be paid (its 15 minutes and a margin).
    const other = await code(link, { code: 'ONLY1B', amount: 100, usageCap: 1 });
    const lapsed = await post(link, { code: 'ONLY1B' }, '198.51.100.73');
    const declinedAgain = fake.completeSession(sessionIdFrom(lapsed), 'failed');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.failed', declinedAgain.id), WEBHOOK_SECRET)).toBe(200);
    expect(await codeUses(prisma, other, new Date())).toBe(1);
    expect(await codeUses(prisma, other, new Date(Date.now() + 18 * 60_000))).toBe(0);
  });
});
