// A price the buyer chooses (a range with preset buttons and a field) and tips: the page offers
// them, the server checks the choice (422 naming the field, nothing started), the KOMOJU session
// charges exactly what was chosen, and the merchant's notice and transactions show the chosen
// amount and the tip apart from the total.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { databaseKinds } from '../../support/databases.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';
import { messageText } from '../../support/line-harness.js';
import { formTokenIn, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';

const SECRET_KEY = 'sk_test_pricing_0123456789';
const WEBHOOK_SECRET = 'whsec_pricing_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
// 80 characters, the longest product name a link takes.
const LONG_NAME = '北海道産の有機栽培ほうじ茶と手焼きせんべいの詰め合わせ特別限定セット（木箱入り・のし紙対応・送料込み・贈答用・ご家族やご友人へのお土産にも最適な人気の定番商品で';

describe.each(await databaseKinds())('buyer-chosen amounts and tips on %s', (kind) => {
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

  async function buyerChosenLink(options: { language?: 'ja' | 'en' | 'ko'; presets?: number[]; tips?: object | null } = {}): Promise<SeededLink> {
    const link = await seedLink(prisma, { productName: `${LONG_NAME.slice(0, 76)}${Math.random().toString(36).slice(2, 6)}`, language: options.language ?? 'en', amount: 500 });
    await prisma.link.update({
      where: { id: link.linkId },
      data: { priceMode: 'buyer', amountMin: 500, amountMax: 5000, amountPresets: options.presets ?? [1000, 2000, 3000], ...(options.tips ? { tipOptions: options.tips } : {}) },
    });
    return link;
  }

  async function openPage(slug: string): Promise<{ status: number; body: string; csp: string }> {
    const response = await fetch(`${harness.url}/l/${slug}`);
    return { status: response.status, body: await response.text(), csp: response.headers.get('content-security-policy') ?? '' };
  }

  async function post(link: SeededLink, fields: Record<string, string>, client = '203.0.113.40'): Promise<Response> {
    const token = formTokenIn((await openPage(link.slug)).body);
    return fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams({ token, ...fields }).toString(),
    });
  }

  it('describes the range and offers the presets as labelled radio buttons plus a field', async () => {
    const link = await buyerChosenLink({ language: 'ja' });
    const page = await openPage(link.slug);
    expect(page.status).toBe(200);
    expect(page.body).toContain('お好きな金額：¥500〜¥5,000');
    expect(page.body).toContain('<legend>金額</legend>');
    expect(page.body).toMatch(/<input type="radio" name="amountChoice" value="1000" checked data-testid="amount-choice-0"> ¥1,000/);
    expect(page.body).toMatch(/<label for="customAmount">お支払いする金額<\/label>/);
    expect(page.body).toContain('>支払う</button>');
    // The script that hides a stale total runs by this response's nonce only.
    const nonce = /<script nonce="([^"]+)">/.exec(page.body)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.csp).toContain(`script-src 'nonce-${nonce}'`);
  });

  it.each([
    ['499', 'The amount must be at least ¥500.'],
    ['5001', 'The amount can be at most ¥5,000.'],
    ['lots', 'Enter the amount as a number, e.g. 2000.'],
    ['12 USD', 'Enter the amount in JPY.'],
  ])('refuses a typed amount of %j with a 422 naming the field, starting nothing', async (typed, message) => {
    const link = await buyerChosenLink();
    const sessions = fake.sessions().length;
    const response = await post(link, { amountChoice: 'custom', customAmount: typed });
    expect(response.status).toBe(422);
    const body = await response.text();
    expect(body).toContain(`<a href="#amount">Amount: ${message}</a>`);
    expect(body).toContain(`data-testid="amount-error">${message}</p>`);
    // What the buyer typed stays.
    expect(body).toContain(`value="${typed}"`);
    expect(fake.sessions().length).toBe(sessions);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('opens a session for exactly the amount typed within range (full-width and ¥ accepted)', async () => {
    const link = await buyerChosenLink();
    const response = await post(link, { amountChoice: 'custom', customAmount: '¥２,３４５' });
    expect(response.status).toBe(303);
    const session = fake.session(sessionIdFrom(response));
    expect(session.amount).toBe(2345);
    expect(session.line_items).toEqual([{ description: expect.stringMatching(/^北海道産/), amount: 2345, quantity: 1 }]);
    expect(session.metadata.chosenAmount).toBe('2345');
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect([checkout.chosenAmount, checkout.amount, checkout.tipAmount, checkout.discountAmount]).toEqual([2345, 2345, 0, 0]);
  });

  it('takes a preset button as the amount, and refuses a preset the link does not offer', async () => {
    const link = await buyerChosenLink();
    const ok = await post(link, { amountChoice: '3000', customAmount: '' }, '203.0.113.41');
    expect(ok.status).toBe(303);
    expect(fake.session(sessionIdFrom(ok)).amount).toBe(3000);
    const forged = await post(link, { amountChoice: '501', customAmount: '' }, '203.0.113.42');
    expect(forged.status).toBe(422);
  });

  it('adds a tip on the total, shows the breakdown on Show total, and tells the merchant the chosen amount and tip apart', async () => {
    const link = await buyerChosenLink({ tips: { kind: 'percent', values: [10, 15, 20] } });
    const page = await openPage(link.slug);
    expect(page.body).toContain('<legend>Add a tip</legend>');
    expect(page.body).toMatch(/<input type="radio" name="tip" value="none" checked data-testid="tip-choice-0"> No tip/);

    const preview = await post(link, { amountChoice: 'custom', customAmount: '2000', tip: '10%', preview: '1' }, '203.0.113.43');
    expect(preview.status).toBe(200);
    const previewBody = await preview.text();
    expect(previewBody).toMatch(/<dt>Tip<\/dt><dd>¥200<\/dd>/);
    expect(previewBody).toContain('data-testid="breakdown-total">¥2,200</dd>');
    expect(fake.sessions().filter((session) => session.metadata.linkId === link.linkId)).toHaveLength(0);

    const response = await post(link, { amountChoice: 'custom', customAmount: '2000', tip: '10%' }, '203.0.113.43');
    expect(response.status).toBe(303);
    const session = fake.session(sessionIdFrom(response));
    expect(session.amount).toBe(2200);
    // One line whose amount is the session's: KOMOJU's page never shows a sum that differs.
    expect(session.line_items).toEqual([{ description: expect.stringContaining('tip ¥200'), amount: 2200, quantity: 1 }]);

    const payment = fake.completeSession(session.id, 'captured');
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    const text = messageText(notice!.message);
    expect(text).toContain(': ¥2,200');
    expect(text).toContain('Amount chosen by the buyer: ¥2,000');
    expect(text).toContain('Tip: ¥200');
    const listed = await listTransactions(prisma, link.linkId);
    expect(listed.items.map((item) => [item.total, item.choices])).toEqual([[2200, { chosenAmount: 2000, tipAmount: 200 }]]);
  });

  it('refuses a tip option the link does not offer', async () => {
    const link = await buyerChosenLink({ tips: { kind: 'amount', values: [200, 500] } });
    const response = await post(link, { amountChoice: '1000', tip: '7' }, '203.0.113.44');
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('data-testid="tip-error">Choose one of the tips offered.</p>');
  });
});
