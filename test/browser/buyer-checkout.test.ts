// A buyer in a real browser (Debian Chromium via playwright-core), in local mode with the sandbox
// provider: link page → Pay → sandbox checkout → Pay → return page says paid, once per language.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { translator, type Language } from '../../src/i18n/i18n.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { CHROMIUM, CHROMIUM_FLAGS, isChromiumAvailable } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { seedLink } from '../support/buyer-fixtures.js';
import { freePort } from '../support/free-port.js';

const PRODUCTS: Record<Language, { name: string; amount: number; currency: string; price: string }> = {
  ja: { name: '抹茶ラテ', amount: 650, currency: 'JPY', price: '¥650' },
  en: { name: 'Matcha latte', amount: 1250, currency: 'USD', price: '$12.50' },
  ko: { name: '말차 라떼', amount: 5500, currency: 'KRW', price: '5,500원' },
};

describe.skipIf(!isChromiumAvailable())('buyer checkout in Chromium (sandbox)', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    dataDir = mkdtempSync(path.join(tmpdir(), 'buyer-browser-'));
    const port = await freePort();
    server = await startServer(loadConfig({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      db: database.db,
      log: createLogger('silent'),
      worker: { pollIntervalMs: 50, backoffMs: () => 50 },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['ja', 'en', 'ko'] as const)('pays a %s link end to end and tells the merchant', async (language) => {
    const t = translator(language, 'pages');
    const product = PRODUCTS[language];
    const link = await seedLink(database.db.prisma, {
      productName: product.name,
      amount: product.amount,
      currency: product.currency,
      language,
      withImage: true,
      description: '<b>not bold</b>',
    });
    const shopName = `${product.name} ${language === 'ja' ? '本舗' : language === 'ko' ? '상회' : 'House'}`;
    await database.db.prisma.merchant.update({ where: { id: link.merchantId }, data: { displayName: shopName, logoId: link.imageId } });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));

    await page.goto(`${server.url}/l/${link.slug}`);
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(await page.getByTestId('product-name').textContent()).toBe(product.name);
    expect(await page.getByTestId('price').textContent()).toBe(product.price);
    expect(await page.getByTestId('description').textContent()).toBe('<b>not bold</b>');
    expect(await page.getByTestId('test-badge').textContent()).toBe(t('link.testBadge'));
    // Who sells, and where their legal notice is.
    expect(await page.getByTestId('shop-name').textContent()).toBe(shopName);
    expect(await page.getByTestId('shop-logo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    expect(await page.getByTestId('legal-link').textContent()).toBe(t('legal.linkJP'));
    // The product image loads from our own /media.
    expect(await page.locator('img.product-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);

    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sandbox\/sessions\/sbs_[0-9a-f]{24}$/);
    expect(await page.getByTestId('sandbox-banner').textContent()).toBe(t('sandbox.banner'));
    expect(await page.getByTestId('sandbox-amount').textContent()).toBe(product.price);
    expect(await page.getByTestId('shop-name').textContent()).toBe(shopName);

    await page.getByTestId('sandbox-pay').click();
    await page.waitForURL(new RegExp(`/l/${link.slug}/return\\?session_id=sbs_`));
    expect(await page.getByTestId('paid').locator('h1').textContent()).toBe(t('return.paidTitle'));
    expect(await page.getByTestId('paid').textContent()).toContain(product.name);
    expect(await page.getByTestId('shop-name').textContent()).toBe(shopName);

    // The footer opens the shop's legal notice, in the page's language; nothing is filled in yet.
    await page.getByTestId('legal-link').click();
    await page.waitForURL(/\/s\/[0-9a-f]{32}\/legal\?lang=/);
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(await page.locator('h1').textContent()).toBe(t('legal.titleJP'));
    expect(await page.getByTestId('shop-name').textContent()).toBe(shopName);
    expect(await page.getByTestId('legal-pending').textContent()).toBe(t('legal.pending'));
    expect(await page.getByTestId('legal-legalName').textContent()).toBe(t('legal.onRequest'));

    // No external assets: every request stayed on our origin.
    expect(requested.filter((url) => !url.startsWith(server.url))).toEqual([]);
    await page.close();

    const notices = await server.lineStub!.waitForMessages(link.creatorId, 1);
    expect(String(notices[0]?.message.text)).toContain(product.name);
  });
});
