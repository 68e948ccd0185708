import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { actionsOf, bubbles, postbackData, seedCheckout, seedLink, seedMerchant, signedPostback, tap } from './sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

const kinds = await databaseKinds();

describe.each(kinds)('links, activate/deactivate, QR and transactions on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'ja' },
    ]);
    await seedMerchant(prisma, 'other', [{ userId: 'Uother', role: 'owner', language: 'ko' }]);
    // 14 links, one a minute: "Item 14" is the newest.
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let index = 1; index <= 14; index++) {
      ids[`Item ${index}`] = await seedLink(prisma, 'cafe', { productName: `Item ${index}`, createdAt: new Date(start + index * 60_000) });
    }
    ids.Expired = await seedLink(prisma, 'cafe', { productName: 'Expired', expiresAt: new Date('2026-01-01T00:00:00Z'), createdAt: new Date(start + 20 * 60_000) });
    ids.Sold = await seedLink(prisma, 'cafe', { productName: 'Sold', usageLimit: 1, testMode: true, createdAt: new Date(start + 21 * 60_000) });
    await seedCheckout(prisma, ids.Sold, { status: 'captured', amount: 1500, captured: true });
    await seedCheckout(prisma, ids.Sold, { status: 'captured', amount: 1500, captured: true, refunds: [{ amount: 300 }] });
    ids.Secret = await seedLink(prisma, 'other', { productName: 'Secret' });
    // 12 payments on "Item 14", one a minute, for paging.
    for (let index = 1; index <= 12; index++) {
      await seedCheckout(prisma, ids['Item 14']!, { status: 'captured', amount: 1500, captured: true, createdAt: new Date(start + 100 * 60_000 + index * 60_000) });
    }
  });

  it('lists the links newest first with status, price, captured amount and actions, then pages on', async () => {
    const [first] = await harness.say('Uowner', 'links');
    const page1 = bubbles(first);
    expect(page1).toHaveLength(12);
    const titles = page1.map((bubble) => messageText(bubble).split('\n'));
    expect(titles[0]).toContain('Sold');
    expect(titles[1]).toContain('Expired');
    expect(titles[2]).toContain('Item 14');
    expect(titles[10]).toContain('Item 6');
    expect(messageText(page1[11]!)).toContain('More links');

    const sold = messageText(page1[0]!);
    expect(sold).toContain('Used up · TEST');
    expect(sold).toContain('¥2,700');
    expect(messageText(page1[1]!)).toContain('Expired');
    expect(messageText(page1[2]!)).toContain('¥18,000');
    expect(actionsOf(page1[2]!).map((action) => action.label)).toEqual(['Summary', 'QR code', 'Share', 'Deactivate', 'Edit', 'Transactions', 'Duplicate']);
    expect(actionsOf(page1[2]!)[2]?.uri).toMatch(/^https:\/\/line\.me\/R\/share\?text=.*%2Fl%2Fs/);

    const [second] = await tap(harness, 'Uowner', postbackData(first, 'Next page'));
    const page2 = bubbles(second).map((bubble) => messageText(bubble));
    expect(page2).toHaveLength(5);
    expect(page2[0]).toContain('Item 5');
    expect(page2[4]).toContain('Item 1');
    expect(page2.join()).not.toContain('More links');
  });

  it('shows only the merchant’s own links, in the user’s language', async () => {
    const [list] = await harness.say('Uother', '링크');
    const text = messageText(list!);
    expect(text).toContain('Secret');
    expect(text).toContain('판매 중');
    expect(text).not.toContain('Item');
  });

  it('lets the owner deactivate and reactivate a link', async () => {
    const [list] = await harness.say('Uowner', 'links');
    const [notice] = await tap(harness, 'Uowner', postbackData(list, 'Deactivate', 2), 2);
    expect(messageText(notice!)).toContain('"Item 14" is now inactive');
    expect((await prisma.link.findUniqueOrThrow({ where: { id: ids['Item 14']! } })).status).toBe('inactive');

    const [again] = await harness.say('Uowner', 'links');
    expect(messageText(bubbles(again)[2]!)).toContain('Inactive');
    const [back] = await tap(harness, 'Uowner', postbackData(again, 'Activate'), 2);
    expect(messageText(back!)).toContain('"Item 14" is active again');
    expect((await prisma.link.findUniqueOrThrow({ where: { id: ids['Item 14']! } })).status).toBe('active');
  });

  it('shows staff no Deactivate button, and refuses them a correctly signed one or the typed word', async () => {
    const [list] = await harness.say('Ustaff', 'リンク一覧');
    expect(actionsOf(list!).map((action) => action.label)).not.toContain('受付を停止');
    const [typed] = await harness.say('Ustaff', '受付停止 Item 13');
    expect(messageText(typed!)).toContain('オーナーだけ');
    const [forged] = await tap(harness, 'Ustaff', signedPostback('sales.setStatus', [ids['Item 13']!, 'inactive']));
    expect(messageText(forged!)).toContain('オーナーだけ');
    expect((await prisma.link.findUniqueOrThrow({ where: { id: ids['Item 13']! } })).status).toBe('active');
  });

  it('refuses another merchant’s link id on every action without revealing it', async () => {
    const foreign = ids.Secret!;
    const attempts = [
      signedPostback('summary', [foreign]),
      signedPostback('sales.qr', [foreign]),
      signedPostback('sales.setStatus', [foreign, 'inactive']),
      signedPostback('sales.edit', [foreign]),
      signedPostback('sales.transactions', [foreign, '1']),
    ];
    const unknown = await tap(harness, 'Uowner', signedPostback('summary', ['no-such-link']));
    for (const data of attempts) {
      const replies = await tap(harness, 'Uowner', data);
      expect(replies).toHaveLength(1);
      const text = messageText(replies[0]!);
      expect(text).toBe(messageText(unknown[0]!));
      expect(text).not.toContain('Secret');
    }
    expect(messageText(unknown[0]!)).toContain("That link isn't available");
    const secret = await prisma.link.findUniqueOrThrow({ where: { id: foreign } });
    expect(secret.status).toBe('active');
    // No edit dialog was opened for the foreign link.
    expect((await prisma.conversation.findUnique({ where: { userId: 'Uowner' } }))?.state).toBe('idle');
  });

  it('refuses a user who has left the merchant, even with an old button', async () => {
    await seedMerchant(prisma, 'gone', [{ userId: 'Uleft', role: 'owner', language: 'en' }]);
    const linkId = await seedLink(prisma, 'gone', { productName: 'Left behind' });
    const [list] = await harness.say('Uleft', 'links');
    const summaryButton = postbackData(list, 'Summary');
    await prisma.member.delete({ where: { merchantId_userId: { merchantId: 'gone', userId: 'Uleft' } } });
    const [refusal] = await tap(harness, 'Uleft', summaryButton);
    expect(messageText(refusal!)).toContain('not a member');
    expect(messageText(refusal!)).not.toContain('Left behind');
    expect(linkId).toBeTruthy();
  });

  it('sends the QR code image of a link', async () => {
    const [list] = await harness.say('Uowner', 'links');
    const [image, caption] = await tap(harness, 'Uowner', postbackData(list, 'QR code', 2), 2);
    const slug = (await prisma.link.findUniqueOrThrow({ where: { id: ids['Item 14']! } })).slug;
    expect(image).toMatchObject({ type: 'image', originalContentUrl: `${harness.config.publicBaseUrl}/qr/${slug}.png` });
    expect(messageText(caption!)).toContain(`${harness.config.publicBaseUrl}/l/${slug}`);
  });

  it('lists a link’s payments newest first, ten per page', async () => {
    const [list] = await harness.say('Uowner', 'links');
    const [page1] = await tap(harness, 'Uowner', postbackData(list, 'Transactions', 2));
    const rows1 = messageText(page1!);
    expect(rows1.match(/Paid · ¥1,500/g)).toHaveLength(10);
    // Payment 12 was at 01:52 UTC = 10:52 in Tokyo; payment 3 at 10:43 is the tenth.
    expect(rows1.indexOf('10:52')).toBeLessThan(rows1.indexOf('10:51'));
    expect(rows1).toContain('10:43');
    expect(rows1).not.toContain('10:42');
    const [page2] = await tap(harness, 'Uowner', postbackData(page1, 'Next page'));
    const rows2 = messageText(page2!);
    expect(rows2.match(/Paid · ¥1,500/g)).toHaveLength(2);
    expect(rows2).toContain('10:42');
    expect(rows2).toContain('10:41');
    expect(actionsOf(page2!).map((action) => action.label)).not.toContain('Next page');
  });

  it('shows refunded amounts in the transactions', async () => {
    const [list] = await harness.say('Uowner', 'links');
    const [page] = await tap(harness, 'Uowner', postbackData(list, 'Transactions', 0));
    expect(messageText(page!)).toContain('Partly refunded · ¥1,500 · refunded ¥300');
  });
});
