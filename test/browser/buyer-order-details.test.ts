// The "done when", in Chromium at a phone's viewport against a fake KOMOJU speaking the
// documented wire format: a buyer sees who sells, buys 2 with the stepper, gives name, phone and
// the shop's question; a missing field is caught first and starts nothing; the KOMOJU session holds
// the amount × 2, the line item and the details; the merchant's notice shows them; the shop's
// legal notice opens from the footer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { seriousViolations } from '../support/axe.js';
import { CHROMIUM, CHROMIUM_FLAGS, isChromiumAvailable } from '../support/browser.js';
import { seedLink } from '../support/buyer-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startFakeKomoju, type FakeKomoju } from '../support/fake-komoju.js';
import { freePort } from '../support/free-port.js';

const SECRET_KEY = 'sk_test_browser_order_0123456789';

describe.skipIf(!isChromiumAvailable())('a buyer orders 2 with details in Chromium (fake KOMOJU)', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let fake: FakeKomoju;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let axeContext: BrowserContext;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    fake = await startFakeKomoju({ secretKey: SECRET_KEY });
    dataDir = mkdtempSync(path.join(tmpdir(), 'buyer-order-'));
    const port = await freePort();
    server = await startServer(
      loadConfig({
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        KOMOJU_SECRET_KEY: SECRET_KEY,
        KOMOJU_WEBHOOK_SECRET: 'whsec_browser_order_0123456789',
        KOMOJU_API_BASE_URL: fake.url,
      }),
      { db: database.db, log: createLogger('silent'), worker: { pollIntervalMs: 50, backoffMs: () => 50 } },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    // The buyer's browser enforces our CSP: the stepper runs by its nonce.
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    axeContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function seedOrderLink() {
    const link = await seedLink(database.db.prisma, {
      productName: '手ぬぐい',
      amount: 1200,
      language: 'ja',
      quantityMin: 1,
      quantityMax: 5,
      buyerFields: { ask: ['name', 'phone'], question: { text: '柄は？', choices: ['桜', '波', '麻の葉'] } },
    });
    await database.db.prisma.merchant.update({
      where: { id: link.merchantId },
      data: {
        displayName: '染物の山田',
        legalName: '山田染工株式会社',
        legalAddress: '京都府京都市中京区1-2-3',
        legalPhone: '075-123-4567',
        legalResponsible: '山田太郎',
        returnsPolicy: '未使用品に限り到着後7日以内',
        deliveryTiming: 'お支払い後3日以内に発送',
      },
    });
    return link;
  }

  it('buys quantity 2 with name, phone and the question answered', async () => {
    const link = await seedOrderLink();
    const page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
    });
    await page.goto(`${server.url}/l/${link.slug}`);
    expect(await page.getByTestId('shop-name').textContent()).toBe('染物の山田');
    expect(await page.getByTestId('total').textContent()).toBe('¥1,200');

    // The stepper's + button (added by the page's script) and the live total.
    await page.getByRole('button', { name: '1つ増やす' }).click();
    expect(await page.getByTestId('quantity').inputValue()).toBe('2');
    expect(await page.getByTestId('total').textContent()).toBe('¥2,400');

    // A missing name is caught on the server: a 422 page naming the field, nothing started.
    await page.getByLabel('電話番号').fill('090-1234-5678');
    await page.getByLabel('波').check();
    await page.getByTestId('pay').click();
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await page.getByTestId('error-summary').textContent()).toContain('お名前: 入力してください。');
    expect(await page.getByTestId('quantity').inputValue()).toBe('2');
    expect(fake.sessions()).toEqual([]);
    expect(await database.db.prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);

    await page.getByLabel('お名前').fill('佐藤 花子');
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sessions\/[a-z0-9]+\/pay$/);
    const [session] = fake.sessions();
    expect(session?.amount).toBe(2400);
    expect(session?.line_items).toEqual([{ description: '手ぬぐい', amount: 1200, quantity: 2 }]);
    expect(session?.metadata).toMatchObject({ buyerName: '佐藤 花子', buyerPhone: '09012345678', buyerAnswer: '柄は？ 波' });

    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(new RegExp(`/l/${link.slug}/return\\?session_id=`));
    await page.getByTestId('paid').waitFor();
    expect(await page.getByTestId('shop-name').textContent()).toBe('染物の山田');

    const [notice] = await server.lineStub!.waitForMessages(link.creatorId, 1);
    const text = String(notice?.message.text);
    expect(text).toContain('手ぬぐい');
    expect(text).toContain('Quantity: 2');
    expect(text).toContain('Name: 佐藤 花子');
    expect(text).toContain('Phone: 09012345678');
    expect(text).toContain('柄は？ 波');

    await page.getByTestId('legal-link').click();
    await page.waitForURL(/\/s\/[0-9a-f]{32}\/legal\?lang=ja$/);
    expect(await page.getByTestId('legal-legalName').textContent()).toBe('山田染工株式会社');
    expect(await page.getByTestId('legal-deliveryTiming').textContent()).toBe('お支払い後3日以内に発送');
    expect(csp).toEqual([]);
    await page.close();
  });

  it('refuses a quantity above the maximum, even typed past the stepper', async () => {
    const link = await seedOrderLink();
    const page = await context.newPage();
    await page.goto(`${server.url}/l/${link.slug}`);
    await page.getByTestId('quantity').fill('9');
    await page.getByLabel('お名前').fill('佐藤 花子');
    await page.getByLabel('電話番号').fill('090-1234-5678');
    await page.getByLabel('桜').check();
    const sessionsBefore = fake.sessions().length;
    await page.getByTestId('pay').click();
    await page.waitForSelector('[data-testid="quantity-error"]');
    expect(await page.getByTestId('quantity-error').textContent()).toBe('一度に購入できるのは5個までです。');
    expect(fake.sessions().length).toBe(sessionsBefore);
    await page.close();
  });

  it('the form, with every field and its errors, passes axe-core WCAG 2.1 AA', async () => {
    const link = await seedLink(database.db.prisma, {
      language: 'en',
      quantityMin: 1,
      quantityMax: 3,
      buyerFields: { ask: ['name', 'phone', 'email', 'address'], question: { text: 'Size?', choices: ['S', 'M'] } },
    });
    const page = await axeContext.newPage();
    await page.goto(`${server.url}/l/${link.slug}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('pay').click();
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
