// A link that asks the buyer for details: labelled fields on the page; every bad answer reported
// at once on a 422 page that names the fields, with nothing started; good answers stored with the
// checkout, passed to KOMOJU (email prefill, metadata), shown in the merchant's notice and
// transactions, and erased after the retention period.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { eraseExpiredBuyerDetails } from '../../../src/payments/buyer-data-retention.js';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { formTokenIn, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_details_0123456789';
const WEBHOOK_SECRET = 'whsec_details_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
const SIZE = { text: 'Size?', choices: ['S', 'M', 'L'] };

describe.each(await databaseKinds())('buyer details on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL, TRUST_PROXY: 'loopback', LINE_CHANNEL_BASIC_ID: '@shopbot' },
  }));
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  async function pressPay(link: SeededLink, fields: Record<string, string>, client = '198.51.100.7'): Promise<Response> {
    const token = formTokenIn(await (await fetch(`${harness.url}/l/${link.slug}`)).text());
    return fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams({ token, ...fields }).toString(),
    });
  }

  it('asks with labelled fields, and reports every bad answer at once with nothing started', async () => {
    const link = await seedLink(prisma, { language: 'en', buyerFields: { ask: ['name', 'phone', 'address'], question: SIZE } });
    const page = await (await fetch(`${harness.url}/l/${link.slug}`)).text();
    expect(page).toContain('<label for="buyerName">Name</label>');
    expect(page).toMatch(/<input id="phone" name="phone" type="tel" autocomplete="tel"/);
    expect(page).toContain('<legend>Shipping address</legend>');
    expect(page).toContain('<legend id="answer">Size?</legend>');

    const response = await pressPay(link, { buyerName: ' ', phone: '12', country: 'JP', postalCode: '1234', address1: '渋谷区1-2-3', answer: 'XL' });
    expect(response.status).toBe(422);
    const body = await response.text();
    expect(body).toContain('<a href="#buyerName">Name: Please fill this in.</a>');
    expect(body).toContain('<a href="#phone">Phone: Enter a phone number such as 090-1234-5678.</a>');
    expect(body).toContain('<a href="#postalCode">Postal code: Enter a 7-digit Japanese postal code such as 123-4567.</a>');
    expect(body).toContain('<a href="#answer">Size?: Choose one of the options.</a>');
    // What the buyer typed is kept for the next try.
    expect(body).toContain('value="渋谷区1-2-3"');
    expect(fake.sessions().filter((session) => session.metadata.linkId === link.linkId)).toEqual([]);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('stores good answers with the checkout, passes them to KOMOJU and shows them to the merchant', async () => {
    const link = await seedLink(prisma, { productName: 'T-shirt', language: 'ja', buyerFields: { ask: ['name', 'phone', 'email', 'address'], question: SIZE } });
    const response = await pressPay(link, {
      buyerName: '山田 花子',
      phone: '０９０-１２３４-５６７８',
      email: 'hanako@example.com',
      country: 'JP',
      postalCode: '〒1500001',
      address1: '東京都渋谷区神宮前1-2-3',
      address2: '',
      answer: 'M',
    });
    expect(response.status).toBe(303);
    const session = fake.session(sessionIdFrom(response));
    expect(session.email).toBe('hanako@example.com');
    expect(session.metadata).toMatchObject({
      buyerName: '山田 花子',
      buyerPhone: '09012345678',
      shippingAddress: 'JP 150-0001 東京都渋谷区神宮前1-2-3',
      buyerAnswer: 'Size? M',
    });
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(checkout.buyerDetails).toEqual({
      name: '山田 花子',
      phone: '09012345678',
      email: 'hanako@example.com',
      address: { country: 'JP', postalCode: '150-0001', line1: '東京都渋谷区神宮前1-2-3', line2: '' },
      answer: { question: 'Size?', text: 'M' },
    });

    const payment = fake.completeSession(session.id, 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    const text = messageText(notice!.message);
    expect(text).toContain('Name: 山田 花子');
    expect(text).toContain('Phone: 09012345678');
    expect(text).toContain('Ship to: 〒150-0001 東京都渋谷区神宮前1-2-3');
    expect(text).toContain('Size? M');
    // The number the buyer was shown, so the seller can find the order the buyer quotes.
    expect(text).toContain(`Order number: ${checkout.orderNumber}`);
    const [listed] = (await listTransactions(prisma, link.linkId)).items;
    expect(listed?.buyerDetails?.name).toBe('山田 花子');
    expect(listed?.orderNumber).toBe(checkout.orderNumber);
  });

  it("tells a staff member who made the link of the payment without the buyer's details, unless the owner allowed it", async () => {
    const link = await seedLink(prisma, { productName: 'Scarf', language: 'en', buyerFields: { ask: ['name', 'phone'], question: null } });
    await prisma.member.update({ where: { merchantId_userId: { merchantId: link.merchantId, userId: link.creatorId } }, data: { role: 'staff' } });
    const payFor = async (client: string) => {
      const response = await pressPay(link, { buyerName: '佐藤 一郎', phone: '09011112222' }, client);
      expect(response.status).toBe(303);
      const payment = fake.completeSession(sessionIdFrom(response), 'captured');
      expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    };
    await payFor('198.51.100.21');
    const [hidden] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(messageText(hidden!.message)).toContain('Scarf');
    expect(messageText(hidden!.message)).not.toContain('佐藤');
    expect(messageText(hidden!.message)).not.toContain('09011112222');

    await prisma.merchant.update({ where: { id: link.merchantId }, data: { staffSeeBuyerDetails: true } });
    await payFor('198.51.100.22');
    const [, shown] = await harness.line.waitForMessages(link.creatorId, 2);
    expect(messageText(shown!.message)).toContain('Name: 佐藤 一郎');
  });

  it('once paid, shows the order reference, the shop’s after-payment message and a way back to LINE', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 500, quantityMin: 1, quantityMax: 4, afterPaymentMessage: 'We ship within 3 days.\nThank you!' });
    const response = await pressPay(link, { quantity: '3' }, '198.51.100.11');
    const sessionId = sessionIdFrom(response);
    fake.completeSession(sessionId, 'captured');
    const page = await (await fetch(`${harness.url}/l/${link.slug}/return?session_id=${sessionId}`)).text();
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(page).toContain('data-testid="paid"');
    // A short number the buyer can read out, not our internal checkout id; KOMOJU gets the same one.
    expect(checkout.orderNumber).toMatch(/^[23456789ABCDEFGHJKMNPQRSTWXYZ]{8}$/);
    expect(page).toContain(`Order number: <strong>${checkout.orderNumber}</strong>`);
    expect(page).not.toContain(checkout.id);
    expect(fake.session(sessionId).payment_data.external_order_num).toBe(checkout.orderNumber);
    expect(page).toContain('We ship within 3 days.\nThank you!');
    // The amount paid: 3 × ¥500.
    expect(page).toContain('¥1,500');
    expect(page).toContain('<a class="button secondary" href="https://line.me/R/ti/p/%40shopbot">Back to the chat on LINE</a>');

    // Before paying, none of it shows.
    const unpaid = await seedLink(prisma, { language: 'en', afterPaymentMessage: 'Secret pickup code 1234' });
    const left = await pressPay(unpaid, {}, '198.51.100.12');
    const notPaid = await (await fetch(`${harness.url}/l/${unpaid.slug}/return?session_id=${sessionIdFrom(left)}`)).text();
    expect(notPaid).toContain('data-testid="not-completed"');
    expect(notPaid).not.toContain('Secret pickup code');
  });

  it('limits the session to the link’s payment types and says so on the page', async () => {
    const link = await seedLink(prisma, { language: 'en', paymentTypes: ['credit_card', 'paypay'] });
    const page = await (await fetch(`${harness.url}/l/${link.slug}`)).text();
    expect(page).toContain('Payment methods: Card, PayPay');
    const response = await pressPay(link, {}, '198.51.100.13');
    expect(fake.session(sessionIdFrom(response)).payment_types).toEqual(['credit_card', 'paypay']);
    const open = await seedLink(prisma, { language: 'en' });
    const unrestricted = await pressPay(open, {}, '198.51.100.14');
    expect(fake.session(sessionIdFrom(unrestricted)).payment_types).toBeUndefined();
  });

  it('takes a Korean 5-digit postal code', async () => {
    const link = await seedLink(prisma, { language: 'ko', buyerFields: { ask: ['address'], question: null } });
    const refused = await pressPay(link, { country: 'KR', postalCode: '123-4567', address1: '서울특별시 마포구 1' }, '198.51.100.8');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('04524 같은 5자리 우편번호를 입력해 주세요.');
    const accepted = await pressPay(link, { country: 'KR', postalCode: '04524', address1: '서울특별시 마포구 1' }, '198.51.100.9');
    expect(accepted.status).toBe(303);
    expect(fake.session(sessionIdFrom(accepted)).metadata.shippingAddress).toBe('KR 04524 서울특별시 마포구 1');
  });

  it('erases details after the retention period, keeping the checkout', async () => {
    const link = await seedLink(prisma, { language: 'en', buyerFields: { ask: ['name'], question: null } });
    const response = await pressPay(link, { buyerName: 'Old Buyer' }, '198.51.100.10');
    expect(response.status).toBe(303);
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(await eraseExpiredBuyerDetails(prisma, 365, new Date())).toMatchObject({ checkouts: 0 });
    const later = new Date(checkout.createdAt.getTime() + 366 * 24 * 60 * 60 * 1000);
    const erased = await eraseExpiredBuyerDetails(prisma, 365, later);
    expect(erased.checkouts).toBeGreaterThanOrEqual(1);
    const after = await prisma.checkout.findUniqueOrThrow({ where: { id: checkout.id } });
    expect(after.buyerDetails).toBeNull();
    expect(after.buyerDetailsErasedAt).toEqual(later);
    expect(after.quantity).toBe(1);
  });
});
