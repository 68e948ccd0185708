// Access ends with membership: the CSV and chart URLs name the member they were made for and are
// checked again at every download (a removed or demoted member's link stops working), charts are
// never cached, and buyers' details follow one owner-decided rule (owners only unless an owner lets
// staff see them), in Transactions as everywhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { mayReadBuyerDetails } from '../../../src/merchants/buyer-details-access.js';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedCheckout, seedLink, seedMerchant, signedPostback, tap } from '../sales/sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

const BUYER_EMAIL = 'keiko.buyer@example.jp';

describe.each(await databaseKinds())('access ends with membership on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  let linkId = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'tea', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ucoowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'en' },
      { userId: 'Ustaff2', role: 'staff', language: 'en' },
    ]);
    linkId = await seedLink(prisma, 'tea', { productName: 'Sencha' });
    await seedCheckout(prisma, linkId, { status: 'captured', amount: 1200, captured: true });
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { linkId } });
    await prisma.checkout.update({ where: { id: checkout.id }, data: { buyerDetails: { name: 'Keiko Buyer', email: BUYER_EMAIL, phone: '09011112222' } } });
    await prisma.payment.updateMany({ where: { checkoutId: checkout.id }, data: { buyerEmail: BUYER_EMAIL } });
  });

  function pathIn(message: Record<string, unknown> | undefined, pattern: RegExp): string {
    const match = pattern.exec(message ? JSON.stringify(message) : '');
    if (!match?.[1]) throw new Error(`no URL matching ${pattern} in the reply`);
    return match[1];
  }

  it('export links end when the owner who asked is demoted or removed (410, a plain page)', async () => {
    const [reply] = await harness.say('Ucoowner', 'export');
    const path = pathIn(reply, /http:\/\/127\.0\.0\.1:1(\/exports\/[A-Za-z0-9_.-]+)/);
    const before = await fetch(`${harness.url}${path}`);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain(BUYER_EMAIL);

    await prisma.member.update({ where: { merchantId_userId: { merchantId: 'tea', userId: 'Ucoowner' } }, data: { role: 'staff' } });
    const demoted = await fetch(`${harness.url}${path}`, { headers: { 'Accept-Language': 'en' } });
    expect(demoted.status).toBe(410);
    expect(demoted.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await demoted.text();
    expect(page).toContain('no longer an owner');
    expect(page).not.toContain(BUYER_EMAIL);

    await prisma.member.delete({ where: { merchantId_userId: { merchantId: 'tea', userId: 'Ucoowner' } } });
    expect((await fetch(`${harness.url}${path}`)).status).toBe(410);
  });

  it('chart links end when the member is removed, and are never cached', async () => {
    const [, image] = await harness.say('Ustaff2', 'summary Sencha', 2);
    const path = new URL(String(image?.originalContentUrl)).pathname;
    const served = await fetch(`${harness.url}${path}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('private, no-store');
    await prisma.member.delete({ where: { merchantId_userId: { merchantId: 'tea', userId: 'Ustaff2' } } });
    const gone = await fetch(`${harness.url}${path}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('cache-control')).toBe('no-store');
  });

  it("staff see payments without buyers' details until an owner allows it, by words or button in ja/en/ko", async () => {
    expect(await mayReadBuyerDetails(prisma, 'tea', 'Uowner')).toBe(true);
    expect(await mayReadBuyerDetails(prisma, 'tea', 'Ustaff')).toBe(false);
    expect(await mayReadBuyerDetails(prisma, 'tea', 'Ustranger')).toBe(false);

    const [ownerList] = await tap(harness, 'Uowner', signedPostback('sales.transactions', [linkId]));
    expect(messageText(ownerList!)).toContain('Keiko Buyer');
    const [staffList] = await tap(harness, 'Ustaff', signedPostback('sales.transactions', [linkId]));
    expect(messageText(staffList!)).toContain('¥1,200');
    expect(messageText(staffList!)).not.toContain('Keiko Buyer');
    expect(messageText(staffList!)).not.toContain('09011112222');

    // Staff cannot decide it, typed or with a forged button.
    const [staffTyped] = await harness.say('Ustaff', 'buyerdetails staff');
    expect(messageText(staffTyped!)).toContain('owner');
    await tap(harness, 'Ustaff', signedPostback('buyerDetails', ['staff']));
    expect(await mayReadBuyerDetails(prisma, 'tea', 'Ustaff')).toBe(false);

    // The owner asks in Japanese and allows it with the button.
    await prisma.lineUser.update({ where: { id: 'Uowner' }, data: { language: 'ja' } });
    const [state] = await harness.say('Uowner', '購入者情報');
    expect(messageText(state!)).toContain('オーナーだけに表示');
    const [allowed] = await tap(harness, 'Uowner', postbackData(state, 'スタッフにも見せる'));
    expect(messageText(allowed!)).toContain('オーナーとスタッフに表示');
    expect(await mayReadBuyerDetails(prisma, 'tea', 'Ustaff')).toBe(true);
    const [staffNow] = await tap(harness, 'Ustaff', signedPostback('sales.transactions', [linkId]));
    expect(messageText(staffNow!)).toContain('Keiko Buyer');

    // Korean words take it back.
    await prisma.lineUser.update({ where: { id: 'Uowner' }, data: { language: 'ko' } });
    const [koState] = await harness.say('Uowner', '구매자정보');
    expect(actionsOf(koState!).map((action) => action.label)).toContain('사장님만 보기');
    await tap(harness, 'Uowner', postbackData(koState, '사장님만 보기'));
    expect(await mayReadBuyerDetails(prisma, 'tea', 'Ustaff')).toBe(false);
  });
});
