import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePostback, encodePostback } from '../../../src/line/postback-data.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { APP_SECRET, messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedLink, seedMerchant, signedPostback, tap } from './sales-fixtures.js';

const kinds = await databaseKinds();

function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

describe.each(kinds)('editing a link from chat on %s', (kind) => {
  let database: TestDatabase;
  let harness: LineHarness;
  let beansId = '';

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    harness = await startLineHarness({ db: database.db });
    const { prisma } = database.db;
    await seedMerchant(prisma, 'cafe', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'ko' },
    ]);
    beansId = await seedLink(prisma, 'cafe', { productName: 'Coffee Beans' });
    await seedLink(prisma, 'cafe', { productName: 'Coffee Mug' });
  });
  afterAll(async () => {
    await harness?.stop();
    await database?.drop();
  });

  const link = () => database.db.prisma.link.findUniqueOrThrow({ where: { id: beansId } });

  async function openEditor(userId: string): Promise<Record<string, unknown>> {
    const [menu] = await tap(harness, userId, signedPostback('sales.edit', [beansId]));
    return menu!;
  }

  it('renames a link, refusing a name another link has (any case or width)', async () => {
    const menu = await openEditor('Uowner');
    expect(messageText(menu)).toContain('Edit "Coffee Beans"');
    const [ask] = await tap(harness, 'Uowner', postbackData(menu, 'Product name'));
    expect(messageText(ask!)).toContain('What is the product or service called');

    const [taken] = await harness.say('Uowner', 'ＣＯＦＦＥＥ ｍｕｇ');
    expect(messageText(taken!)).toContain('You already have a link named');
    expect((await link()).productName).toBe('Coffee Beans');

    const [saved] = await harness.say('Uowner', '  Dark   Roast Beans ');
    expect(messageText(saved!)).toContain('Saved: Product name of "Dark Roast Beans" is updated.');
    expect(await link()).toMatchObject({ productName: 'Dark Roast Beans', productNameKey: 'dark roast beans' });

    const [summary] = await harness.say('Uowner', 'summary dark roast beans');
    expect(messageText(summary!)).toContain('Captured amount');
  });

  it('never offers the price or currency, says once that they stay, and refuses an old button for them', async () => {
    const before = await link();
    const menu = await openEditor('Uowner');
    const labels = actionsOf(menu).map((action) => action.label);
    expect(labels).not.toContain('Price');
    expect(labels).not.toContain('Currency');
    expect(JSON.stringify(menu)).toContain('Price and currency stay as issued');
    // A Price or Currency button from an older menu still gets a clear answer.
    const { dialogId } = decodePostback(postbackData(menu, 'Product name'), APP_SECRET)!;
    for (const field of ['amount', 'currency']) {
      const [refusal] = await tap(harness, 'Uowner', signedPostback('sales.editField', [field], dialogId));
      expect(messageText(refusal!)).toContain("price and currency of an issued link can't be changed");
      expect(actionsOf(refusal!).map((action) => action.label)).toContain('New link');
    }
    const after = await link();
    expect([after.amount, after.currency]).toEqual([before.amount, before.currency]);
    await harness.say('Uowner', 'cancel');
  });

  it('sets the usage limit, expiry, page language and description', async () => {
    let menu = await openEditor('Uowner');
    await tap(harness, 'Uowner', postbackData(menu, 'Usage limit'));
    const [badLimit] = await harness.say('Uowner', 'many');
    expect(messageText(badLimit!)).toContain('whole number');
    await harness.say('Uowner', '５回');
    expect((await link()).usageLimit).toBe(5);

    menu = await openEditor('Uowner');
    await tap(harness, 'Uowner', postbackData(menu, 'Expiry'));
    const [tooFar] = await harness.say('Uowner', '2099-01-01');
    expect(messageText(tooFar!)).toContain('at most one year ahead');
    await harness.say('Uowner', '30');
    const expiresAt = (await link()).expiresAt;
    expect(expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    menu = await openEditor('Uowner');
    const [askLanguage] = await tap(harness, 'Uowner', postbackData(menu, 'Page language'));
    await tap(harness, 'Uowner', postbackData(askLanguage, '한국어'));
    expect((await link()).language).toBe('ko');

    menu = await openEditor('Uowner');
    await tap(harness, 'Uowner', postbackData(menu, 'Description'));
    await harness.say('Uowner', 'Single origin\nfrom Kenya');
    expect((await link()).description).toBe('Single origin\nfrom Kenya');

    menu = await openEditor('Uowner');
    const [askExpiry] = await tap(harness, 'Uowner', postbackData(menu, 'Expiry'));
    await tap(harness, 'Uowner', postbackData(askExpiry, 'No expiry'));
    expect((await link()).expiresAt).toBeNull();
  });

  it('replaces the image with a photo sent in chat, and rejects a non-image', async () => {
    harness.line.contents.set('700000000101', { bytes: tinyPng(), contentType: 'image/png' });
    harness.line.contents.set('700000000102', { bytes: Buffer.from('GIF89a....'), contentType: 'image/gif' });
    const menu = await openEditor('Uowner');
    await tap(harness, 'Uowner', postbackData(menu, 'Image'));

    const before = harness.line.messagesTo('Uowner').length;
    await harness.deliver([harness.imageEvent('Uowner', '700000000102')]);
    const [rejected] = (await harness.line.waitForMessages('Uowner', before + 1)).slice(before);
    expect(messageText(rejected!.message)).toContain("That isn't a JPEG or PNG image");
    expect((await link()).imageId).toBeNull();

    await harness.deliver([harness.imageEvent('Uowner', '700000000101')]);
    const [saved] = (await harness.line.waitForMessages('Uowner', before + 2)).slice(before + 1);
    expect(messageText(saved!.message)).toContain('Saved: Image');
    const { imageId } = await link();
    const media = await database.db.prisma.media.findUniqueOrThrow({ where: { id: imageId! } });
    expect(media).toMatchObject({ merchantId: 'cafe', mimeType: 'image/png' });
  });

  it('lets staff edit fields but not the status, usage limit or expiry', async () => {
    const menu = await openEditor('Ustaff');
    const labels = actionsOf(menu).map((action) => action.label);
    expect(labels).toContain('설명');
    expect(labels).not.toContain('판매 상태');
    expect(labels).not.toContain('결제 횟수 제한');
    expect(labels).not.toContain('유효 기간');
    // The same choices made with a button of the staff member's own editor (an older client's menu).
    const description = decodePostback(postbackData(menu, '설명'), APP_SECRET)!;
    const before = await link();
    for (const field of ['status', 'usageLimit', 'expiresAt']) {
      const [refusal] = await tap(harness, 'Ustaff', encodePostback({ ...description, args: [field] }, APP_SECRET));
      expect(messageText(refusal!)).toContain('사장님');
    }
    expect(await link()).toMatchObject({ status: before.status, usageLimit: before.usageLimit, expiresAt: before.expiresAt });
    await tap(harness, 'Ustaff', postbackData(menu, '설명'));
    await harness.say('Ustaff', '신선한 원두');
    expect((await link()).description).toBe('신선한 원두');
  });

  it('lets the owner deactivate through the editor', async () => {
    const menu = await openEditor('Uowner');
    const [ask] = await tap(harness, 'Uowner', postbackData(menu, 'Status'));
    const [done] = await tap(harness, 'Uowner', postbackData(ask, 'Inactive'));
    expect(messageText(done!)).toContain('Saved: Status');
    expect((await link()).status).toBe('inactive');
  });

  it('refuses a stale editor button after the dialog ended', async () => {
    const menu = await openEditor('Uowner');
    await harness.say('Uowner', 'cancel');
    const [stale] = await tap(harness, 'Uowner', postbackData(menu, 'Product name'));
    expect(messageText(stale!)).toContain('already ended');
  });
});
