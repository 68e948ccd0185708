// The owner's discount codes in chat: `codes` lists them, New code asks code → off → expiry →
// cap → links and creates it, Stop deactivates it; staff are refused politely, also for a
// forged button, and nothing changes.
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { useLineHarness } from '../../support/suite-setup.js';
import { messageText } from '../../support/line-harness.js';
import { bubbles, postbackData, seedLink, seedMerchant, signedPostback, tap } from '../sales/sales-fixtures.js';

// 80 characters: its button label is cut to LINE's 20.
const LONG_NAME = '北海道産の有機栽培ほうじ茶と手焼きせんべいの詰め合わせ特別限定セット（木箱入り・のし紙対応・送料込み・贈答用・ご家族やご友人へのお土産にも最適な人気の定番商品で';

describe.each(await databaseKinds())('discount codes in chat on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  let longLinkId: string;

  beforeAll(async () => {
    await seedMerchant(prisma, 'teahouse', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'ja' },
    ]);
    longLinkId = await seedLink(prisma, 'teahouse', { productName: LONG_NAME, amount: 3000 });
    await seedLink(prisma, 'teahouse', { productName: 'Sencha', amount: 1200 });
  });

  it('creates a code by a short dialog, for a link picked from the newest', async () => {
    const [empty] = await harness.say('Uowner', 'codes');
    expect(messageText(empty!)).toContain('No discount codes yet');
    const [askCode] = await tap(harness, 'Uowner', postbackData(empty, 'New code'));
    expect(messageText(askCode!)).toContain('What should the code be?');
    const [tooShort] = await harness.say('Uowner', 'ab');
    expect(messageText(tooShort!)).toContain('A code needs at least 3 characters.');
    const [askOff] = await harness.say('Uowner', 'Spring10');
    expect(messageText(askOff!)).toContain('How much does Spring10 take off?');
    const [askExpiry] = await harness.say('Uowner', '10%');
    const [askCap] = await tap(harness, 'Uowner', postbackData(askExpiry, 'No expiry'));
    expect(messageText(askCap!)).toContain('How many times can it be used');
    const [askLinks] = await harness.say('Uowner', '3');
    expect(messageText(askLinks!)).toContain('Which links is it for?');
    const [chosen] = await tap(harness, 'Uowner', postbackData(askLinks, LONG_NAME.slice(0, 19) + '…'));
    expect(messageText(chosen!)).toContain(`For: ${LONG_NAME}.`);
    const [created] = await tap(harness, 'Uowner', postbackData(chosen, 'Done (1)'));
    expect(messageText(created!)).toContain('Code Spring10 is ready: 10% off.');

    const code = await prisma.discountCode.findFirstOrThrow({ where: { merchantId: 'teahouse' }, include: { links: true } });
    expect(code).toMatchObject({ code: 'Spring10', codeKey: 'SPRING10', percentOff: 10, amountOff: null, usageCap: 3, expiresAt: null, active: true, createdBy: 'Uowner' });
    expect(code.links.map((entry) => entry.linkId)).toEqual([longLinkId]);
  });

  it('refuses a second code with the same key in any case or width', async () => {
    const [list] = await harness.say('Uowner', 'クーポン');
    await tap(harness, 'Uowner', postbackData(list, 'New code'));
    await harness.say('Uowner', 'ＳＰＲＩＮＧ１０');
    const [askExpiry] = await harness.say('Uowner', '500');
    const [askCap] = await tap(harness, 'Uowner', postbackData(askExpiry, 'No expiry'));
    const [askLinks] = await tap(harness, 'Uowner', postbackData(askCap, 'No limit'));
    const [refused] = await tap(harness, 'Uowner', postbackData(askLinks, 'All links'));
    expect(messageText(refused!)).toContain('This shop already has that code. Choose another one.');
    expect(await prisma.discountCode.count({ where: { merchantId: 'teahouse' } })).toBe(1);
  });

  it('lists codes with their uses, and stops one', async () => {
    const [list] = await harness.say('Uowner', '쿠폰');
    const [card] = bubbles(list);
    expect(messageText(card!)).toContain('Spring10');
    expect(messageText(card!)).toContain('0 of 3');
    const [stopped] = await tap(harness, 'Uowner', postbackData(list, 'Stop this code'));
    expect(messageText(stopped!)).toContain('Code Spring10 is stopped. Buyers can no longer use it.');
    expect((await prisma.discountCode.findFirstOrThrow({ where: { merchantId: 'teahouse' } })).active).toBe(false);
  });

  it('refuses staff politely, typed or through a forged button', async () => {
    const [typed] = await harness.say('Ustaff', 'クーポン');
    expect(messageText(typed!)).toBe('クーポンコードを管理できるのはオーナーだけです。');
    const code = await prisma.discountCode.findFirstOrThrow({ where: { merchantId: 'teahouse' } });
    await prisma.discountCode.update({ where: { id: code.id }, data: { active: true } });
    const [forged] = await tap(harness, 'Ustaff', signedPostback('discounts.deactivate', [code.id]));
    expect(messageText(forged!)).toBe('クーポンコードを管理できるのはオーナーだけです。');
    expect((await prisma.discountCode.findUniqueOrThrow({ where: { id: code.id } })).active).toBe(true);
  });
});
