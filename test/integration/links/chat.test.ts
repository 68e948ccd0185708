import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink } from '../../../src/links/create-link.js';
import { MAX_IMAGE_BYTES } from '../../../src/links/image-type.js';
import { renderQrPng } from '../../../src/links/qr.js';
import { newMessageId } from '../../../src/line/webhook-event.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedMember } from './links-support.js';

const kinds = await databaseKinds();
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
const lineMessageId = () => newMessageId(Date.now());

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  // jsqr is CommonJS whose typings describe an ES default export; the function is on both.
  return jsqr.default(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe.each(kinds)('links in chat on %s', (kind) => {
  let database: TestDatabase;
  let harness: LineHarness;
  let sequence = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    harness = await startLineHarness({ db: database.db });
  });
  afterAll(async () => {
    await harness?.stop();
    await database?.drop();
  });

  async function newMember(language: 'en' | 'ja' = 'en'): Promise<string> {
    const userId = `Ulinks${kind}${sequence++}`;
    await seedMember(database.db.prisma, `shop-${userId}`, userId, language);
    return userId;
  }

  async function tap(userId: string, data: string, expected = 1): Promise<Record<string, unknown>[]> {
    const before = harness.line.messagesTo(userId).length;
    const response = await harness.deliver([harness.postbackEvent(userId, data)]);
    expect(response.status).toBe(200);
    const all = await harness.line.waitForMessages(userId, before + expected);
    await harness.server.worker.idle();
    return all.slice(before).map((entry) => entry.message);
  }

  async function sendImage(userId: string, messageId: string, expected = 1): Promise<Record<string, unknown>[]> {
    const before = harness.line.messagesTo(userId).length;
    expect((await harness.deliver([harness.imageEvent(userId, messageId)])).status).toBe(200);
    const all = await harness.line.waitForMessages(userId, before + expected);
    await harness.server.worker.idle();
    return all.slice(before).map((entry) => entry.message);
  }

  it('quick → 1500 → Tシャツ answers with a card, the QR image and the URL; the QR decodes to the link', async () => {
    const userId = await newMember('ja');
    expect(messageText((await harness.say(userId, 'quick'))[0]!)).toContain('価格');
    await harness.say(userId, '1500');
    const issued = await harness.say(userId, 'Tシャツ', 3);

    const link = await database.db.prisma.link.findFirstOrThrow({ where: { createdByUserId: userId } });
    expect(link).toMatchObject({ productName: 'Tシャツ', productNameKey: 'tシャツ', amount: 1500, currency: 'JPY', status: 'active', language: 'ja', testMode: true });
    expect(link.slug).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const url = `${PUBLIC_BASE_URL}/l/${link.slug}`;

    const [card, image, text] = issued;
    expect(card).toMatchObject({ type: 'flex' });
    expect(messageText(card!)).toContain('Tシャツ');
    expect(messageText(card!)).toContain('¥1,500');
    expect(messageText(card!)).toContain(url);
    const actions = actionsOf(card!);
    expect(actions.get('共有')).toEqual({ type: 'uri', label: '共有', uri: expect.stringMatching(/^https:\/\/line\.me\/R\/share\?text=/) });
    expect(decodeURIComponent((actions.get('共有')!['uri'] as string).split('text=')[1]!)).toContain(url);
    expect(actions.get('リンクをコピー')).toMatchObject({ type: 'clipboard', clipboardText: url });
    // The merchant's own Open: the page with a marker so their views are not counted (own-views.test.ts).
    expect(actions.get('開く')).toMatchObject({ type: 'uri', uri: expect.stringMatching(new RegExp(`^${url.replace(/[.?]/g, '\\$&')}\\?own=`)) });
    expect(actions.get('売上サマリー')).toMatchObject({ type: 'postback' });
    expect(image).toEqual({ type: 'image', originalContentUrl: `${PUBLIC_BASE_URL}/qr/${link.slug}.png`, previewImageUrl: `${PUBLIC_BASE_URL}/qr/${link.slug}.png` });
    expect(text).toEqual({ type: 'text', text: url });

    // The loading indicator was shown for this user while the link was created.
    expect(harness.line.requests.some((request) => request.path === '/v2/bot/chat/loading/start' && (request.body as { chatId?: string }).chatId === userId)).toBe(true);

    const qr = await fetch(`${harness.url}/qr/${link.slug}.png`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/png');
    expect(qr.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(qr.headers.get('x-content-type-options')).toBe('nosniff');
    const png = Buffer.from(await qr.arrayBuffer());
    expect(decodeQr(png)).toBe(url);
    expect(Buffer.compare(png, Buffer.from(link.qrPng!))).toBe(0);
    const again = await fetch(`${harness.url}/qr/${link.slug}.png`, { headers: { 'if-none-match': qr.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('refuses a second link with the same product name (case-insensitive) and offers the existing one', async () => {
    const userId = await newMember('en');
    await harness.say(userId, 'quick');
    await harness.say(userId, '1500');
    await harness.say(userId, 'Mug', 3);
    await harness.say(userId, 'quick');
    await harness.say(userId, '2000');
    const [taken, existingCard, askAgain] = await harness.say(userId, 'ＭＵＧ', 3);
    expect(messageText(taken!)).toContain('already have a link called "Mug"');
    expect(messageText(existingCard!)).toContain('¥1,500');
    expect(messageText(askAgain!)).toContain('What is the product');
    expect(await database.db.prisma.link.count({ where: { createdByUserId: userId } })).toBe(1);
  });

  it('create: a photo fetched through the content API is stored, served from /media, and the link is saved after a short review', async () => {
    const userId = await newMember('en');
    const photo = await renderQrPng('any picture will do');
    // LINE message ids are decimal numbers.
    const photoId = lineMessageId();
    harness.line.contents.set(photoId, { bytes: photo, contentType: 'image/png' });

    await harness.say(userId, 'create');
    await harness.say(userId, '12.50 USD');
    const description = await harness.say(userId, 'Pottery class');
    expect(messageText(description[0]!)).toContain('Tax included or excluded');
    await harness.say(userId, 'Two hours, tax included.');
    const saved = await sendImage(userId, photoId, 2);
    expect(messageText(saved[0]!)).toContain('Photo saved');
    const language = await tap(userId, postbackData(saved, '日本語'));
    const usageLimit = await tap(userId, postbackData(language, 'Inactive'));
    expect(messageText(usageLimit[0]!)).toContain('How many payments may this link take in total?');
    expect(messageText((await harness.say(userId, '0'))[0]!)).toContain('The limit must be between 1 and 1000000');
    const expiry = await harness.say(userId, '5');
    expect(messageText(expiry[0]!)).toContain('Until when may buyers pay?');
    const review = await tap(userId, postbackData(expiry, 'No expiry'));
    expect(messageText(review[0]!)).toContain('Review your link');
    expect(messageText(review[0]!)).toContain('$12.50');
    const footer = (review[0] as { contents: { footer: { contents: { action: { label: string } }[] } } }).contents.footer.contents;
    expect(footer.map((button) => button.action.label)).toEqual(['Save', 'Edit Product name', 'Edit Price', 'More options']);

    // More options: one carousel of short cards (LINE's stub refuses anything over its limits).
    const [more] = await tap(userId, postbackData(review, 'More options'));
    expect(more).toMatchObject({ type: 'flex', contents: { type: 'carousel' } });
    expect((more as { contents: { contents: unknown[] } }).contents.contents).toHaveLength(6);
    const askedExpiry = await tap(userId, postbackData([more!], 'Edit Expiry'));
    expect(messageText(askedExpiry[0]!)).toContain('Until when may buyers pay?');
    const expirySent = Date.now();
    const reviewed = await tap(userId, postbackData(askedExpiry, '30 days'));
    expect(messageText(reviewed[0]!)).toContain('Review your link');

    const media = await database.db.prisma.media.findFirstOrThrow({ where: { merchantId: `shop-${userId}` } });
    expect(media).toMatchObject({ mimeType: 'image/png', size: photo.length });
    const served = await fetch(`${harness.url}/media/${media.id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), photo)).toBe(0);
    expect(JSON.stringify(review[0])).toContain(`${PUBLIC_BASE_URL}/media/${media.id}`);

    const issued = await tap(userId, postbackData(reviewed, 'Save'), 3);
    const link = await database.db.prisma.link.findFirstOrThrow({ where: { createdByUserId: userId } });
    expect(link).toMatchObject({
      productName: 'Pottery class',
      amount: 1250,
      currency: 'USD',
      description: 'Two hours, tax included.',
      imageId: media.id,
      language: 'ja',
      status: 'inactive',
      usageLimit: 5,
    });
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    expect(link.expiresAt!.getTime()).toBeGreaterThanOrEqual(expirySent + thirtyDays);
    expect(link.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + thirtyDays);
    expect(messageText(issued[0]!)).toContain('Inactive');
    // A card of the finished dialog pressed again gets a polite answer, not an error.
    const stale = await tap(userId, postbackData([more!], 'Edit Tips'));
    expect(messageText(stale[0]!)).toContain('That button belongs to a conversation that has already ended');
    expect(decodeQr(Buffer.from(await (await fetch(`${harness.url}/qr/${link.slug}.png`)).arrayBuffer()))).toBe(`${PUBLIC_BASE_URL}/l/${link.slug}`);
  });

  it('scales a phone-sized photo down to the 1024 × 1024 px LINE shows as a card image', async () => {
    const userId = await newMember('en');
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const photoId = lineMessageId();
    harness.line.contents.set(photoId, { bytes: photo, contentType: 'image/jpeg' });
    await harness.say(userId, 'create');
    await harness.say(userId, '1500');
    await harness.say(userId, 'Poster');
    await harness.say(userId, 'skip');
    expect(messageText((await sendImage(userId, photoId, 2))[0]!)).toContain('Photo saved');
    const media = await database.db.prisma.media.findFirstOrThrow({ where: { merchantId: `shop-${userId}` } });
    expect(await sharp(Buffer.from(media.bytes)).metadata()).toMatchObject({ width: 1024, height: 683, format: 'jpeg' });
    expect(media).toMatchObject({ mimeType: 'image/jpeg', size: media.bytes.length });
  });

  it('refuses an oversized file and a non-image, storing nothing', async () => {
    const userId = await newMember('en');
    const oversized = Buffer.alloc(MAX_IMAGE_BYTES + 1, 0);
    oversized.set([0xff, 0xd8, 0xff, 0xe0]);
    const [bigId, gifId, missingId] = [lineMessageId(), lineMessageId(), lineMessageId()];
    harness.line.contents.set(bigId, { bytes: oversized, contentType: 'image/jpeg' });
    // A GIF declared as JPEG: the bytes decide.
    harness.line.contents.set(gifId, { bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), contentType: 'image/jpeg' });

    await harness.say(userId, 'create');
    await harness.say(userId, '1500');
    await harness.say(userId, 'Big poster');
    await harness.say(userId, 'skip');
    expect(messageText((await sendImage(userId, bigId))[0]!)).toContain('larger than 2 MB');
    expect(messageText((await sendImage(userId, gifId))[0]!)).toContain("isn't a JPEG or PNG");
    expect(messageText((await sendImage(userId, missingId))[0]!)).toContain("couldn't download");
    // Not a LINE message id: never spliced into the content API's path (it would reach /v2/bot/info).
    const requestsBefore = harness.line.requests.length;
    expect(messageText((await sendImage(userId, '../../../v2/bot/info#'))[0]!)).toContain("couldn't download");
    expect(
      harness.line.requests
        .slice(requestsBefore)
        .map((request) => request.path)
        .filter((path) => path.includes('/content') || path.includes('/info')),
    ).toEqual([]);
    expect(await database.db.prisma.media.count({ where: { merchantId: `shop-${userId}` } })).toBe(0);
    const state = await database.db.prisma.conversation.findUniqueOrThrow({ where: { userId } });
    expect(state.slots).toMatchObject({ step: 'image' });
  });

  it('serves 404 for unknown or malformed QR and media addresses, and renders a missing cached QR once', async () => {
    expect((await fetch(`${harness.url}/qr/AAAAAAAAAAAAAAAA.png`)).status).toBe(404);
    expect((await fetch(`${harness.url}/qr/..%2F..%2Fetc.png`)).status).toBe(404);
    expect((await fetch(`${harness.url}/media/nope`)).status).toBe(404);

    const userId = await newMember('en');
    await harness.say(userId, 'quick 900');
    await harness.say(userId, 'Sticker', 3);
    const link = await database.db.prisma.link.findFirstOrThrow({ where: { createdByUserId: userId } });
    await database.db.prisma.link.update({ where: { id: link.id }, data: { qrPng: null } });
    const png = Buffer.from(await (await fetch(`${harness.url}/qr/${link.slug}.png`)).arrayBuffer());
    expect(decodeQr(png)).toBe(`${PUBLIC_BASE_URL}/l/${link.slug}`);
    const stored = await database.db.prisma.link.findUniqueOrThrow({ where: { id: link.id } });
    expect(Buffer.compare(Buffer.from(stored.qrPng!), png)).toBe(0);
  });

  it('re-renders a stored QR made under another PUBLIC_BASE_URL, so it decodes to the current address', async () => {
    const userId = await newMember('en');
    const created = await createLink(
      database.db.prisma,
      { merchantId: `shop-${userId}`, createdByUserId: userId, amount: 700, currency: 'JPY', productName: 'Moved badge' },
      { linkId: `link-moved-${kind}`, publicBaseUrl: 'https://abc123.ngrok-free.app', testMode: true },
    );
    if (created.kind !== 'created') throw new Error(created.kind);
    const { slug } = created.link;
    expect(decodeQr(Buffer.from(created.link.qrPng!))).toBe(`https://abc123.ngrok-free.app/l/${slug}`);

    const png = Buffer.from(await (await fetch(`${harness.url}/qr/${slug}.png`)).arrayBuffer());
    expect(decodeQr(png)).toBe(`${PUBLIC_BASE_URL}/l/${slug}`);
    const stored = await database.db.prisma.link.findUniqueOrThrow({ where: { slug } });
    expect(Buffer.compare(Buffer.from(stored.qrPng!), png)).toBe(0);
    // Served from the row from now on: the same bytes again.
    const again = Buffer.from(await (await fetch(`${harness.url}/qr/${slug}.png`)).arrayBuffer());
    expect(Buffer.compare(again, png)).toBe(0);
  });
});
