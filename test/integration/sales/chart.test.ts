// `summary` also answers with the link's sales picture: an image message whose signed URL serves a
// PNG drawn from the ledger (money kept per day, Japan time), and nothing for an altered URL.
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDailyCaptured, getShopSales } from '../../../src/payments/daily-captured.js';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { seedCheckout, seedLink, seedMerchant } from './sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('sales picture on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  let linkId = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [{ userId: 'Uko', role: 'owner', language: 'ko' }]);
    linkId = await seedLink(prisma, 'cafe', { productName: '말차 롤케이크', createdAt: new Date(Date.now() - 60 * 86_400_000) });
    const yesterday = new Date(Date.now() - 86_400_000);
    await seedCheckout(prisma, linkId, { status: 'captured', amount: 1500, captured: true, createdAt: yesterday });
    await seedCheckout(prisma, linkId, { status: 'captured', amount: 1500, captured: true, createdAt: yesterday, refunds: [{ amount: 500 }] });
    await seedCheckout(prisma, linkId, { status: 'refunded', amount: 1500, captured: true, createdAt: yesterday, refunds: [{ amount: 1500 }] });
    await seedCheckout(prisma, linkId, { status: 'captured', amount: 2000, captured: true });
  });

  it('adds the money kept per day, refunds taken off, over the last 30 days', async () => {
    const link = await prisma.link.findUniqueOrThrow({ where: { id: linkId } });
    const days = await getDailyCaptured(prisma, link);
    expect(days).toHaveLength(30);
    expect(days.at(-1)?.amount).toBe(2000);
    expect(days.at(-2)?.amount).toBe(2500);
    expect(days.slice(0, -2).every((day) => day.amount === 0)).toBe(true);
  });

  it('answers summary with the card and an image message whose URL serves the PNG', async () => {
    const [card, image] = await harness.say('Uko', '매출 말차 롤케이크', 2);
    expect(card?.type).toBe('flex');
    expect(image?.type).toBe('image');
    const url = String(image?.originalContentUrl);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:1\/charts\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.png$/);
    expect(image?.previewImageUrl).toBe(url);
    const path = new URL(url).pathname;
    const response = await fetch(`${harness.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expect(PNG.sync.read(bytes)).toMatchObject({ width: 1200, height: 900 });
    expect((await fetch(`${harness.url}${path.replace(/\.png$/, 'x.png')}`)).status).toBe(404);
  });

  it('serves no picture to a URL whose member has left the shop', async () => {
    const [, image] = await harness.say('Uko', '매출 말차 롤케이크', 2);
    const path = new URL(String(image?.originalContentUrl)).pathname;
    const member = { merchantId_userId: { merchantId: 'cafe', userId: 'Uko' } };
    const kept = await prisma.member.findUniqueOrThrow({ where: member });
    await prisma.member.delete({ where: member });
    try {
      const gone = await fetch(`${harness.url}${path}`);
      expect(gone.status).toBe(404);
      expect(gone.headers.get('cache-control')).toBe('no-store');
    } finally {
      await prisma.member.create({ data: kept });
    }
    expect((await fetch(`${harness.url}${path}`)).status).toBe(200);
  });

  it("answers summary with no name with today's card and the whole shop's picture", async () => {
    const [card, image] = await harness.say('Uko', '매출', 2);
    expect(messageText(card!)).toContain('오늘 결제 완료');
    const response = await fetch(`${harness.url}${new URL(String(image?.originalContentUrl)).pathname}`);
    expect(response.status).toBe(200);
    expect(PNG.sync.read(Buffer.from(await response.arrayBuffer()))).toMatchObject({ width: 1200, height: 900 });
    const sales = await getShopSales(prisma, 'cafe', 3);
    expect(sales).toMatchObject({ currency: 'JPY', capturedAmount: 4500, capturedPayments: 3, topLinks: [{ productName: '말차 롤케이크', capturedAmount: 4500 }] });
    expect(sales?.days.slice(-2).map((day) => day.amount)).toEqual([2500, 2000]);
  });
});
