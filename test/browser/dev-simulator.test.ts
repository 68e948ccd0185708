import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { translator } from '../../src/i18n/i18n.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { seriousViolations } from '../support/axe.js';
import { CHROMIUM, CHROMIUM_FLAGS, isChromiumAvailable } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

// The test code is compiled without the DOM library; these run inside the page.
const loadedWidth = (img: unknown) => {
  const image = img as { complete: boolean; naturalWidth: number };
  return image.complete ? image.naturalWidth : 0;
};
const readClipboard = 'navigator.clipboard.readText()';
// The first event of a fresh database takes a moment (user, profile, demo shop); vitest's default is 1 s.
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
const ja = translator('ja');
const en = translator('en');
const enSimulator = translator('en', 'simulator');

describe.skipIf(!isChromiumAvailable())('LINE simulator page in Chromium', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    dataDir = mkdtempSync(path.join(tmpdir(), 'simulator-browser-'));
    server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      db: database.db,
      log: createLogger('silent'),
      worker: { pollIntervalMs: 50, backoffMs: () => 50 },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    context = await browser.newContext({ viewport: { width: 480, height: 860 }, locale: 'ja-JP' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const botBubbles = () => page.locator('#log .row.bot');
  const quickReply = (label: string) => page.locator('#quick-replies button', { hasText: label });

  async function say(text: string): Promise<void> {
    await page.locator('#text').fill(text);
    await page.locator('#text').press('Enter');
  }

  it('chats: welcome on first visit, help with quick replies, the language chooser', async () => {
    await page.goto(`${server.url}/dev/`);
    // A first visit creates a stable user and "adds the bot as a friend".
    await eventually(() => page.locator('#log').textContent()).toContain(ja('welcome').split('\n')[0]!);
    const userId = await page.locator('#user-select').inputValue();
    expect(userId).toMatch(/^Ulocal[0-9a-f]{27}$/);

    await say('help');
    await eventually(() => botBubbles().last().textContent()).toContain('Demo shop');
    await eventually(() => page.locator('#log .row.user').last().textContent()).toContain('help');

    await quickReply(ja('buttons.language')).click();
    await eventually(() => botBubbles().last().textContent()).toContain(ja('language.choose'));
    await eventually(() => page.locator('#quick-replies button').allTextContents()).toEqual(['日本語', 'English', '한국어']);
    await page.screenshot({ path: '/tmp/simulator.png' });

    await quickReply('English').click();
    await eventually(() => botBubbles().last().textContent()).toContain(en('language.changed'));
    // Quick replies belong to the newest message only, as in LINE.
    expect(await page.locator('#quick-replies button').allTextContents()).not.toContain('한국어');

    // The user id survives a reload, and the conversation is shown again.
    // The page fills the chooser after it has asked the server for its setup.
    await page.reload();
    await eventually(() => page.locator('#user-select').inputValue()).toBe(userId);
    await eventually(() => page.locator('#log').textContent()).toContain(en('language.changed'));
  });

  it('shows message text as text, never as markup', async () => {
    await say('<img src=x id=injected onerror="document.title=1"><b>bold</b>');
    await eventually(() => page.locator('#log .row.user').last().textContent()).toContain('<b>bold</b>');
    expect(await page.locator('#log b, #injected').count()).toBe(0);
  });

  it('renders a Flex carousel with hero image and working buttons', async () => {
    const userId = await page.locator('#user-select').inputValue();
    const png = new PNG({ width: 20, height: 13 });
    png.data.fill(180);
    server.lineStub!.contents.set('hero-image', { bytes: PNG.sync.write(png), contentType: 'image/png' });
    const bubble = (title: string, buttons: Record<string, unknown>[]) => ({
      type: 'bubble',
      hero: { type: 'image', url: `${server.url}/dev/api/content/hero-image`, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
      body: {
        type: 'box',
        layout: 'vertical',
        contents: [
          { type: 'text', text: title, weight: 'bold', size: 'lg' },
          {
            type: 'box',
            layout: 'baseline',
            contents: [
              { type: 'text', text: 'Price', flex: 2 },
              { type: 'text', text: '¥1,500', flex: 3 },
            ],
          },
          { type: 'text', text: '<script>alert(1)</script>', size: 'xs', color: 'red;background:url(x)' },
        ],
      },
      footer: { type: 'box', layout: 'vertical', contents: buttons.map((action) => ({ type: 'button', style: 'primary', action })) },
    });
    // The bot's side of the wire: a push to the LINE API, as the bot would send it.
    const push = await fetch(`${server.lineStub!.origin}/v2/bot/message/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.config.line.channelAccessToken}` },
      body: JSON.stringify({
        to: userId,
        messages: [
          {
            type: 'flex',
            altText: 'Two links',
            contents: {
              type: 'carousel',
              contents: [
                bubble('Green tea', [
                  { type: 'message', label: 'Say help', text: 'help' },
                  { type: 'clipboard', label: 'Copy', clipboardText: 'https://example.test/l/abc' },
                ]),
                bubble('Matcha', [{ type: 'uri', label: 'Open', uri: `${server.url}/healthz` }]),
              ],
            },
          },
        ],
      }),
    });
    expect(push.status).toBe(200);

    const card = page.locator('#log .card', { hasText: 'Green tea' });
    await card.waitFor();
    expect(await page.locator('#log .card').count()).toBe(2);
    expect(await card.locator('.section.hero img').evaluate(loadedWidth)).toBe(20);
    expect(await card.textContent()).toContain('<script>alert(1)</script>');
    expect(await card.textContent()).toContain('¥1,500');
    expect(await page.locator('#log script').count()).toBe(0);

    await card.getByRole('button', { name: 'Copy' }).click();
    await eventually(() => page.evaluate(readClipboard)).toBe('https://example.test/l/abc');

    const [opened] = await Promise.all([context.waitForEvent('page'), page.locator('#log .card', { hasText: 'Matcha' }).getByRole('button', { name: 'Open' }).click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(`${server.url}/healthz`);
    await opened.close();

    const before = await page.locator('#log .row.user').count();
    await card.getByRole('button', { name: 'Say help' }).click();
    await eventually(() => page.locator('#log .row.user').count()).toBe(before + 1);
    await eventually(() => botBubbles().last().textContent()).toContain('Demo shop');
  });

  it('makes the links in a message clickable, as LINE does, and nothing else', async () => {
    const userId = await page.locator('#user-select').inputValue();
    const push = await fetch(`${server.lineStub!.origin}/v2/bot/message/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.config.line.channelAccessToken}` },
      body: JSON.stringify({ to: userId, messages: [{ type: 'text', text: `CSVです：\n${server.url}/healthz?x=1。javascript:alert(1) <a href="x">no</a>` }] }),
    });
    expect(push.status).toBe(200);
    const bubble = botBubbles().filter({ hasText: 'CSVです' });
    await bubble.waitFor();
    const links = bubble.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe(`${server.url}/healthz?x=1`);
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await bubble.textContent()).toContain('。javascript:alert(1) <a href="x">no</a>');
    const [opened] = await Promise.all([context.waitForEvent('page'), links.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(`${server.url}/healthz?x=1`);
    await opened.close();
  });

  it('lets a fresh browser chat as the demo shop’s owner', async () => {
    const owner = await database.db.prisma.member.findFirstOrThrow({ where: { merchantId: 'demo', role: 'owner' } });
    const fresh = await browser.newContext({ viewport: { width: 480, height: 860 }, locale: 'en-US' });
    try {
      const other = await fresh.newPage();
      await other.goto(`${server.url}/dev/`);
      await expect.poll(() => other.locator('#user-select').inputValue(), { timeout: 10_000, interval: 50 }).toBe(owner.userId);
      expect(await other.locator('#user-select option').count()).toBe(1);
      await other.locator('#text').fill('help');
      await other.locator('#text').press('Enter');
      // The owner's help names the shop; a guest's would ask for an invite code.
      await expect.poll(() => other.locator('#log .row.bot').last().textContent(), { timeout: 10_000, interval: 50 }).toContain('Demo shop');
    } finally {
      await fresh.close();
    }
  });

  it('plays a LINE group chat with the shop owner and two members: the bot answers in the group and leaves', async () => {
    const owner = await database.db.prisma.member.findFirstOrThrow({ where: { merchantId: 'demo', role: 'owner' } });
    // A fresh browser (axe needs the page's CSP bypassed to inject itself).
    const fresh = await browser.newContext({ viewport: { width: 480, height: 860 }, locale: 'en-US', bypassCSP: true });
    try {
      const other = await fresh.newPage();
      const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
      await other.goto(`${server.url}/dev/`);
      await poll(() => other.locator('#user-select').inputValue()).toBe(owner.userId);
      const ownerName = server.lineStub!.profiles.get(owner.userId)!.displayName;
      await other.locator('#chat-select').selectOption('group');
      // The owner and two more simulated users are the group; LINE shows no rich menu or Follow there.
      await poll(() => other.locator('#user-select option').count()).toBe(3);
      expect(await other.locator('#user-select').inputValue()).toBe(owner.userId);
      expect(await other.locator('#group-members').textContent()).toBe(enSimulator('groupWithoutBot', { names: `${ownerName}, User 2, User 3` }));
      expect(await other.locator('#menu-toggle').isHidden()).toBe(true);
      expect(await other.locator('#follow').isHidden()).toBe(true);
      expect(await other.locator('#hint').textContent()).toBe(enSimulator('groupHint'));

      await other.locator('#group-join').click();
      await poll(() => other.locator('#log .note').first().textContent()).toBe(enSimulator('joinNote', { name: ownerName }));
      // The bot's one notice, in the group's thread, in all three languages; then it has left.
      await poll(() => other.locator('#log .row.bot').count()).toBe(1);
      expect(await other.locator('#log .row.bot').textContent()).toContain(ja('sharedChat'));
      expect(await other.locator('#log .row.bot').textContent()).toContain(en('sharedChat'));
      await poll(() => other.locator('#group-members').textContent()).toContain(enSimulator('groupWithoutBot', { names: '' }).split(':')[0]!);
      await poll(() => other.locator('#group-join').isVisible()).toBe(true);
      const groupId = server.lineStub!.left.at(-1)!.replace('group:', '');
      expect(groupId).toMatch(/^C[0-9a-f]{32}$/);
      const join = await database.db.prisma.lineEvent.findFirstOrThrow({ where: { payload: { path: ['type'], equals: 'join' } } });
      expect(join.payload).toMatchObject({ type: 'join', source: { type: 'group', groupId }, replyToken: expect.any(String) });
      expect(server.lineStub!.messagesTo(groupId)).toHaveLength(1);
      expect(server.lineStub!.messagesTo(groupId)[0]!.via).toBe('reply');

      // A member speaks; the others see it on the left under the member's name.
      const member = await other.locator('#user-select option').nth(1).getAttribute('value');
      expect(member).toMatch(/^Ulocal/);
      await other.locator('#user-select').selectOption(member);
      await other.locator('#text').fill('Anyone there?');
      await other.locator('#text').press('Enter');
      await poll(() => other.locator('#log .row.user').last().textContent()).toContain('Anyone there?');
      await other.locator('#user-select').selectOption(owner.userId);
      await poll(() => other.locator('#log .row.member').last().textContent()).toContain('User 2 · ');
      // The bot had left: nothing answers, and the owner's 1:1 chat never got the group's notice.
      expect(await other.locator('#log .row.bot').count()).toBe(1);
      expect(await seriousViolations(other)).toEqual([]);
      await other.locator('#chat-select').selectOption('user');
      await poll(() => other.locator('#log .row').count()).toBeGreaterThan(0);
      expect(await other.locator('#log').textContent()).not.toContain(en('sharedChat'));
      expect(await other.locator('#menu-toggle').isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('adds a second user, by name, with a separate chat', async () => {
    const first = await page.locator('#user-select').inputValue();
    await page.locator('#new-user').click();
    // The name field suggests the next default name; the user gives one.
    expect(await page.locator('#new-user-name').inputValue()).toBe('ユーザー2');
    await page.locator('#new-user-name').fill('花子');
    await page.locator('#new-user-name').press('Enter');
    await eventually(() => page.locator('#user-select option').count()).toBe(2);
    expect(await page.locator('#user-select option:checked').textContent()).toContain('花子');
    const second = await page.locator('#user-select').inputValue();
    expect(second).not.toBe(first);
    // A new user follows the bot; the chat shows only this user's messages.
    await eventually(() => page.locator('#log').textContent()).toContain(ja('welcome').split('\n')[0]!);
    expect(await page.locator('#log').textContent()).not.toContain('Demo shop');
    await say('help');
    await eventually(() => botBubbles().last().textContent()).toContain(ja('help.guest').split('\n')[0]!);
  });

  it('sends a photo from the file input as an image event', async () => {
    const png = new PNG({ width: 8, height: 8 });
    png.data.fill(90);
    const userId = await page.locator('#user-select').inputValue();
    await page.locator('#photo').setInputFiles({ name: 'product.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
    const photo = page.locator('#log .row.user img.photo').last();
    await photo.waitFor();
    await eventually(() => photo.evaluate(loadedWidth)).toBe(8);
    const events = await database.db.prisma.lineEvent.findMany({ where: { userId } });
    expect(events.some((event) => (event.payload as { message?: { type?: string } }).message?.type === 'image')).toBe(true);
  });

  it('lists members by the names the simulated users were given', async () => {
    const userIds = await page.locator('#user-select option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
    await page.locator('#user-select').selectOption(userIds[0]!);
    await say('メンバー');
    await eventually(() => botBubbles().last().textContent()).toContain('ユーザー1');
  });

  it('shows the rich menu richmenu:setup draws, and its areas send what LINE would', async () => {
    await page.locator('#menu-toggle').click();
    const menu = page.locator('#rich-menu');
    await menu.waitFor();
    await eventually(() => page.locator('#rich-menu-image').evaluate(loadedWidth)).toBe(2500);
    const areas = page.locator('#rich-menu-areas button');
    expect(await areas.count()).toBe(6);
    expect(await areas.evaluateAll((buttons) => buttons.map((button) => (button as unknown as { ariaLabel: string }).ariaLabel))).toEqual([
      'クイックリンク',
      '作成',
      'リンク一覧',
      '売上サマリー',
      'ヘルプ',
      '言語',
    ]);
    const before = await page.locator('#log .row.user').count();
    await page.locator('#rich-menu-areas button[aria-label="ヘルプ"]').click();
    await eventually(() => page.locator('#log .row.user').count()).toBe(before + 1);
    expect(await page.locator('#log .row.user').last().textContent()).toContain('help');
    await eventually(() => botBubbles().last().textContent()).toContain('Demo shop');
    await page.locator('#menu-toggle').click();
    expect(await menu.isHidden()).toBe(true);
  });

  it('shows its own labels in the chosen language, and remembers it', async () => {
    expect(await page.locator('#send').textContent()).toBe('送信');
    await page.locator('#sim-language').selectOption('en');
    expect(await page.locator('#send').textContent()).toBe('Send');
    expect(await page.locator('#new-user').textContent()).toBe('+ New user');
    await page.locator('#sim-language').selectOption('ko');
    expect(await page.locator('#send').textContent()).toBe('보내기');
    expect(await page.locator('#text').getAttribute('placeholder')).toBe('메시지 입력(예: 도움말)');
    expect(await page.locator('#rich-menu-areas button').first().getAttribute('aria-label')).toBe('퀵 링크');
    await page.reload();
    await eventually(() => page.locator('#send').textContent()).toBe('보내기');
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
  });

  it('is what / opens, with a favicon and no failed request', async () => {
    const failed: string[] = [];
    const onResponse = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    };
    page.on('response', onResponse);
    await page.goto(`${server.url}/`);
    expect(page.url()).toBe(`${server.url}/dev/`);
    await eventually(() => page.locator('#log .row').count()).toBeGreaterThan(0);
    const favicon = await page.locator('link[rel=icon]').getAttribute('href');
    expect(favicon).toBe('/dev/favicon.svg');
    expect((await fetch(`${server.url}${favicon}`)).status).toBe(200);
    page.off('response', onResponse);
    expect(failed).toEqual([]);
  });
});
