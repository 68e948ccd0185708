// Every page a buyer can see passes axe-core's WCAG 2.1 AA rules with no serious or critical
// violation, in Chromium at a phone's viewport: link, closed, sandbox checkout, return (paid and
// not completed), legal notice (empty and filled), not found; a buyer-chosen price with tips and a
// discount code (first view, a refused code, an applied one, a refused amount); a subscription
// link's page, its card-saving sandbox checkout and its return page (subscribed, being set up).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { seriousViolations } from '../support/axe.js';
import { CHROMIUM, CHROMIUM_FLAGS, isChromiumAvailable } from '../support/browser.js';
import { seedLink } from '../support/buyer-fixtures.js';
import { createDiscountCode } from '../../src/discounts/create-code.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/free-port.js';

describe.skipIf(!isChromiumAvailable())('buyer pages pass axe-core WCAG 2.1 AA (Chromium)', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    dataDir = mkdtempSync(path.join(tmpdir(), 'buyer-axe-'));
    const port = await freePort();
    server = await startServer(loadConfig({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      db: database.db,
      log: createLogger('silent'),
      worker: { pollIntervalMs: 50, backoffMs: () => 50 },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    // Our CSP forbids every script; axe is injected by the test, so this context ignores the CSP.
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // Every test presses Pay from 127.0.0.1 (10 presses a minute per client): each starts with a fresh budget.
  beforeEach(async () => {
    await database.db.prisma.rateLimit.deleteMany();
  });

  async function expectAccessible(page: Page, what: string): Promise<void> {
    expect(await seriousViolations(page), what).toEqual([]);
  }

  it('finds the contrast failure the Pay button used to have (the check works)', async () => {
    const page = await context.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><button style="background:#06c755;color:#fff">Pay</button></main></body></html>');
    expect((await seriousViolations(page)).join('\n')).toContain('color-contrast');
    await page.close();
  });

  it.each(['ja', 'en', 'ko'] as const)('a %s link through checkout to the paid page, and the legal notice', async (language) => {
    const link = await seedLink(database.db.prisma, { language, withImage: true, productName: `抹茶 ${language}` });
    await database.db.prisma.merchant.update({ where: { id: link.merchantId }, data: { displayName: 'お茶の山田', logoId: link.imageId } });
    const page = await context.newPage();
    await page.goto(`${server.url}/l/${link.slug}`);
    await expectAccessible(page, 'link page');

    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sandbox\/sessions\//);
    await expectAccessible(page, 'sandbox checkout');
    await page.getByTestId('sandbox-decline').click();
    await page.waitForURL(/declined=1/);
    await expectAccessible(page, 'sandbox checkout, declined');
    await page.getByTestId('sandbox-pay').click();
    await page.waitForURL(/\/return\?session_id=/);
    await expectAccessible(page, 'return page, paid');

    await page.getByTestId('legal-link').click();
    await page.waitForURL(/\/legal\?lang=/);
    await expectAccessible(page, 'legal page, nothing given');
    await page.close();
  });

  it.each(['ja', 'ko'] as const)('a %s subscription link, its card-saving checkout, and the return page subscribed and being set up', async (language) => {
    const { prisma } = database.db;
    const link = await seedLink(prisma, { language, amount: 1000, billingInterval: 'month', productName: '季節の和菓子の定期便'.repeat(8) });
    const page = await context.newPage();
    await page.goto(`${server.url}/l/${link.slug}`);
    await expect(page.getByTestId('subscription-terms').count()).resolves.toBe(1);
    await expectAccessible(page, 'subscription link page');

    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sandbox\/sessions\//);
    await expectAccessible(page, 'sandbox checkout, saving a card');
    const sessionUrl = page.url();
    await page.getByTestId('sandbox-save').click();
    await page.waitForURL(/\/return\?session_id=/);
    await expect(page.getByTestId('paid').count()).resolves.toBe(1);
    await expectAccessible(page, 'return page, subscribed');

    // A second buyer whose subscription another caller is still creating: "being set up".
    await page.goto(`${server.url}/l/${link.slug}`);
    await page.getByTestId('pay').click();
    await page.waitForURL((url) => url.pathname.startsWith('/sandbox/sessions/') && url.toString() !== sessionUrl);
    const sessionId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const checkout = await prisma.checkout.findUniqueOrThrow({ where: { sessionId } });
    await prisma.sandboxSession.update({ where: { id: sessionId }, data: { status: 'completed' } });
    await prisma.subscription.create({
      data: {
        id: `sub_axe_${language}`,
        provider: 'sandbox',
        linkId: link.linkId,
        checkoutId: checkout.id,
        customerId: checkout.customerId ?? '',
        status: 'creating',
        amount: 1000,
        currency: 'JPY',
        interval: 'month',
      },
    });
    await page.goto(`${server.url}/l/${link.slug}/return?session_id=${sessionId}`);
    await expect(page.getByTestId('subscribing').count()).resolves.toBe(1);
    await expectAccessible(page, 'return page, subscription being set up');
    await page.close();
  });

  it('closed, not completed, a filled legal notice and not found', async () => {
    const closed = await seedLink(database.db.prisma, { language: 'ja', status: 'inactive' });
    const page = await context.newPage();
    expect((await page.goto(`${server.url}/l/${closed.slug}`))?.status()).toBe(410);
    await expectAccessible(page, 'closed page');

    const open = await seedLink(database.db.prisma, { language: 'ko' });
    await page.goto(`${server.url}/l/${open.slug}`);
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sandbox\/sessions\//);
    await page.getByTestId('sandbox-leave').click();
    await page.waitForURL(/\/return\?session_id=/);
    await expect(page.getByTestId('not-completed').count()).resolves.toBe(1);
    await expectAccessible(page, 'return page, not completed');

    const merchant = await database.db.prisma.merchant.update({
      where: { id: open.merchantId },
      data: {
        legalName: '주식회사 모모',
        legalAddress: '서울특별시 마포구 1-2',
        legalPhone: '02-123-4567',
        legalResponsible: '김하나',
        returnsPolicy: '수령 후 7일 이내',
        deliveryTiming: '결제 후 3일 이내 발송',
        contact: 'shop@example.com',
      },
    });
    await page.goto(`${server.url}/s/${merchant.shopSlug}/legal?lang=ko`);
    expect(await page.getByTestId('legal-legalPhone').textContent()).toBe('02-123-4567');
    await expectAccessible(page, 'legal page, filled');

    expect((await page.goto(`${server.url}/l/doesNotExist0000`))?.status()).toBe(404);
    await expectAccessible(page, 'not found');
    await page.close();
  });

  it.each(['ja', 'ko'] as const)('a %s buyer-chosen price with tips and a discount code: chosen, applied, refused, paid', async (language) => {
    const link = await seedLink(database.db.prisma, {
      language,
      productName: `北海道産の有機栽培ほうじ茶と手焼きせんべいの詰め合わせ特別限定セット（木箱入り・のし紙対応・送料込み・贈答用・ご家族やご友人へのお土産にも最適な人気の定番${language}`,
    });
    await database.db.prisma.link.update({
      where: { id: link.linkId },
      data: { priceMode: 'buyer', amount: 500, amountMin: 500, amountMax: 5000, amountPresets: [1000, 2000, 3000, 4000], tipOptions: { kind: 'percent', values: [10, 15, 20] } },
    });
    await createDiscountCode(database.db.prisma, { merchantId: link.merchantId, code: 'SPRING10', off: { kind: 'percent', percent: 10 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/l/${link.slug}`);
    await expectAccessible(page, 'buyer-chosen price, tips and code field');

    await page.getByTestId('code').fill('NOPE');
    await page.getByTestId('apply-code').click();
    await page.getByTestId('code-error').waitFor();
    await expectAccessible(page, 'code refused');

    await page.getByTestId('amount-choice-1').check();
    await page.getByTestId('tip-choice-1').check();
    await page.getByTestId('code').fill('ｓｐｒｉｎｇ１０');
    await page.getByTestId('apply-code').click();
    await page.getByTestId('code-applied').waitFor();
    // ¥2,000 − 10 % = ¥1,800, + 10 % tip = ¥1,980.
    expect(await page.getByTestId('breakdown-total').textContent()).toBe('¥1,980');
    await expectAccessible(page, 'code applied, total shown');

    await page.getByTestId('amount-choice-4').check();
    // The total shown is for the old choice: it goes, and Pay no longer names an amount.
    expect(await page.getByTestId('breakdown').isHidden()).toBe(true);
    expect(await page.getByTestId('pay').textContent()).toBe(language === 'ja' ? '支払う' : '결제하기');
    await page.getByTestId('custom-amount').fill('100');
    await page.getByTestId('pay').click();
    await page.getByTestId('amount-error').waitFor();
    await expectAccessible(page, 'amount refused');

    await page.getByTestId('custom-amount').fill('2000');
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/sandbox\/sessions\//);
    const checkout = await database.db.prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect([checkout.chosenAmount, checkout.discountAmount, checkout.tipAmount, checkout.amount]).toEqual([2000, 200, 180, 1980]);
    await page.close();
  });
});
