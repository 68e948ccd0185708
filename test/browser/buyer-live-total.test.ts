// Live totals on the buyer page, in Chromium under our CSP: the total and the Pay button follow the
// quantity, the amount and the tip as the buyer changes them; a quantity out of range shows its
// error at the field and no total; the figures are the server's own (the same text Show total
// answers, the amount the session charges), in yen, won and dollars; axe finds nothing serious.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { seriousViolations } from '../support/axe.js';
import { CHROMIUM, CHROMIUM_FLAGS, isChromiumAvailable } from '../support/browser.js';
import { seedLink, type SeedLinkOptions } from '../support/buyer-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startFakeKomoju, type FakeKomoju } from '../support/fake-komoju.js';
import { freePort } from '../support/free-port.js';

const SECRET_KEY = 'sk_test_browser_live_0123456789';

describe.skipIf(!isChromiumAvailable())('live totals on the buyer page in Chromium', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let fake: FakeKomoju;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let axeContext: BrowserContext;
  let noScript: BrowserContext;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    fake = await startFakeKomoju({ secretKey: SECRET_KEY });
    dataDir = mkdtempSync(path.join(tmpdir(), 'buyer-live-'));
    const port = await freePort();
    server = await startServer(
      loadConfig({
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        KOMOJU_SECRET_KEY: SECRET_KEY,
        KOMOJU_WEBHOOK_SECRET: 'whsec_browser_live_0123456789',
        KOMOJU_API_BASE_URL: fake.url,
      }),
      { db: database.db, log: createLogger('silent'), worker: { pollIntervalMs: 50, backoffMs: () => 50 } },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    // The buyer's browser enforces our CSP: the live total runs by its nonce or not at all.
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    axeContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
    noScript = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function link(options: SeedLinkOptions, data: Record<string, unknown> = {}) {
    const seeded = await seedLink(database.db.prisma, options);
    await database.db.prisma.link.update({ where: { id: seeded.linkId }, data });
    return seeded;
  }

  async function open(page: Page, slug: string): Promise<string[]> {
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${server.url}/l/${slug}`);
    return blocked;
  }

  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

  it('follows quantity, amount and tip in yen; refuses 25 in a 1–10 field at the field with no total; agrees with Show total and the charge', async () => {
    const seeded = await link(
      {
        language: 'ja',
        amount: 500,
        quantityMin: 1,
        quantityMax: 10,
        productName: '北海道産の有機栽培ほうじ茶と手焼きせんべいの詰め合わせ特別限定セット（木箱入り・のし紙対応・送料込み・贈答用・ご家族やご友人へのお土産にも最適な人気の定番商',
      },
      { priceMode: 'buyer', amountMin: 500, amountMax: 5000, amountPresets: [1000, 3000], tipOptions: { kind: 'percent', values: [10, 15] } },
    );
    const page = await context.newPage();
    const blocked = await open(page, seeded.slug);
    expect(await text(page, 'total')).toBe('¥1,000');
    expect(await text(page, 'pay')).toBe('¥1,000 を支払う');

    await page.getByTestId('amount-choice-1').check();
    await page.getByTestId('tip-choice-2').check();
    // ¥3,000 + 15 % = ¥3,450.
    expect(await text(page, 'total')).toBe('¥3,450');
    expect(await text(page, 'pay')).toBe('¥3,450 を支払う');

    await page.getByTestId('quantity').fill('25');
    expect(await page.getByTestId('quantity-error').isVisible()).toBe(true);
    expect(await text(page, 'quantity-error')).toBe('一度に購入できるのは10個までです。');
    expect(await page.getByTestId('total').isVisible()).toBe(false);
    expect(await text(page, 'pay')).toBe('支払う');
    expect(await page.getByTestId('quantity').getAttribute('aria-invalid')).toBe('true');

    await page.getByTestId('quantity').fill('2');
    expect(await page.getByTestId('quantity-error').isVisible()).toBe(false);
    // ¥6,000 + 15 % = ¥6,900.
    expect(await text(page, 'total')).toBe('¥6,900');

    await page.getByTestId('amount-choice-2').check();
    await page.getByTestId('custom-amount').fill('２，５００');
    // ¥5,000 + 15 % = ¥5,750.
    expect(await text(page, 'total')).toBe('¥5,750');
    expect(await text(page, 'pay')).toBe('¥5,750 を支払う');
    expect(blocked).toEqual([]);

    // The server says the same: Show total answers the breakdown, and the page keeps naming it.
    await page.getByTestId('show-total').click();
    await page.getByTestId('breakdown').waitFor();
    expect(await text(page, 'breakdown-total')).toBe('¥5,750');
    expect(await text(page, 'pay')).toBe('¥5,750 を支払う');
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sessions\/[a-z0-9]+\/pay$/);
    expect(fake.sessions().find((session) => session.metadata.linkId === seeded.linkId)?.amount).toBe(5750);
    await page.close();
  });

  it('formats won and dollars as the server does', async () => {
    const won = await link({ language: 'ko', currency: 'KRW', amount: 15_000, quantityMin: 1, quantityMax: 5 });
    const page = await context.newPage();
    await open(page, won.slug);
    expect(await text(page, 'pay')).toBe('15,000원 결제하기');
    await page.getByTestId('quantity').fill('3');
    expect(await text(page, 'total')).toBe('45,000원');
    expect(await text(page, 'pay')).toBe('45,000원 결제하기');

    const dollars = await link(
      { language: 'en', currency: 'USD', amount: 500 },
      { priceMode: 'buyer', amountMin: 500, amountMax: 5000, amountPresets: [], tipOptions: { kind: 'amount', values: [100, 250] } },
    );
    await open(page, dollars.slug);
    expect(await text(page, 'pay')).toBe('Pay');
    await page.getByTestId('custom-amount').fill('12.5');
    await page.getByTestId('tip-choice-2').check();
    expect(await text(page, 'total')).toBe('$15.00');
    expect(await text(page, 'pay')).toBe('Pay $15.00');
    await page.getByTestId('custom-amount').fill('12.505');
    expect(await page.getByTestId('total').isVisible()).toBe(false);
    expect(await text(page, 'pay')).toBe('Pay');
    await page.close();
  });

  it('stays accessible with the error shown, and works without JavaScript', async () => {
    const seeded = await link({ language: 'en', amount: 400, quantityMin: 1, quantityMax: 3 });
    const page = await axeContext.newPage();
    await open(page, seeded.slug);
    await page.getByTestId('quantity').fill('9');
    await page.getByTestId('quantity-error').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();

    const plain = await noScript.newPage();
    await plain.goto(`${server.url}/l/${seeded.slug}`);
    expect(await text(plain, 'pay')).toBe('Pay');
    await plain.getByTestId('quantity').fill('2');
    await plain.getByTestId('pay').click();
    await plain.waitForURL(/\/sessions\/[a-z0-9]+\/pay$/);
    expect(fake.sessions().find((session) => session.metadata.linkId === seeded.linkId)?.amount).toBe(800);
    await plain.close();
  });
});
