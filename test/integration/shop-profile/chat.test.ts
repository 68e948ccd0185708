// The owner keeps the shop's public profile in chat: typed values are checked and saved, a photo
// becomes the logo, staff may look but not change; the legal page and live links follow it.
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { legalItemsMissing } from '../../../src/merchants/shop-profile.js';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedMerchant, signedPostback, tap } from '../sales/sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

const kinds = await databaseKinds();

function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(120);
  return PNG.sync.write(png);
}

describe.each(kinds)('the shop profile in chat on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'ja' },
    ]);
  });

  const merchant = () => prisma.merchant.findUniqueOrThrow({ where: { id: 'cafe' } });

  it('shows the profile from the shop menu, and the legal page link', async () => {
    const [menu] = await harness.say('Uowner', 'shop');
    const [profile, askCountry] = await tap(harness, 'Uowner', postbackData(menu, 'Shop profile'));
    const shown = messageText(profile!);
    expect(shown).toContain('Shop profile');
    // What Japan's 特定商取引法 needs, until the owner says where the shop sells from (asked first, once).
    expect(shown).toContain('Legal notice (Japan): missing Seller (legal name), Address, Phone, Email, Other charges, Delivery timing, Returns policy.');
    expect(messageText(askCountry!)).toContain('Which country does the shop sell from?');
    expect(actionsOf(askCountry!).map((action) => action.label)).toEqual(['Japan', 'Korea', 'Back']);
    const { shopSlug } = await merchant();
    expect(actionsOf(profile!).find((action) => action.label === 'Open legal notice')?.uri).toBe(`${harness.config.publicBaseUrl}/s/${shopSlug}/legal`);
    await harness.say('Uowner', 'cancel');
  });

  it('saves checked values, refuses bad ones with a reason, and completes the legal notice', async () => {
    const [, askCountry] = await harness.say('Uowner', 'profile');
    let [card] = await tap(harness, 'Uowner', postbackData(askCountry, 'Japan'));
    expect(messageText(card!)).toContain('Saved: Country.');
    expect(await merchant()).toMatchObject({ country: 'JP', currency: 'JPY' });
    // Asked once: the next time the profile opens with the menu, not the question.
    const again = await harness.say('Uowner', 'profile');
    expect(again).toHaveLength(1);
    const [askPhone] = await tap(harness, 'Uowner', postbackData(card, 'Phone'));
    expect(messageText(askPhone!)).toContain('phone number');
    const [bad] = await harness.say('Uowner', 'call me');
    expect(messageText(bad!)).toContain("doesn't look like a phone number");
    expect((await merchant()).legalPhone).toBeNull();
    [card] = await harness.say('Uowner', '０３－１２３４－５６７８');
    expect(messageText(card!)).toContain('Saved: Phone.');
    expect((await merchant()).legalPhone).toBe('03-1234-5678');

    const values: [string, string][] = [
      ['Shop name', 'Café Momo'],
      ['Seller (legal name)', 'Momo K.K.'],
      ['Address', '1-2-3 Shibuya, Tokyo'],
      ['Person responsible', 'Hanako Yamada'],
      ['Email', 'shop@example.com'],
      ['Other charges', 'Shipping ¥500 anywhere in Japan'],
      ['Returns policy', 'Returns within 7 days of delivery.\nUnopened items only.'],
    ];
    for (const [label, value] of values) {
      await tap(harness, 'Uowner', postbackData(card, label));
      [card] = await harness.say('Uowner', value);
      expect(messageText(card!)).toContain(`Saved: ${label}.`);
    }
    expect(await legalItemsMissing(prisma, 'cafe')).toEqual(['deliveryTiming']);
    await tap(harness, 'Uowner', postbackData(card, 'Delivery timing'));
    [card] = await harness.say('Uowner', 'Shipped within 3 days');
    expect(messageText(card!)).toContain('Legal notice (Japan): every required item is filled in.');
    expect(await merchant()).toMatchObject({
      displayName: 'Café Momo',
      legalName: 'Momo K.K.',
      returnsPolicy: 'Returns within 7 days of delivery.\nUnopened items only.',
      deliveryTiming: 'Shipped within 3 days',
    });
    expect(await legalItemsMissing(prisma, 'cafe')).toEqual([]);

    // A URL must be a web address; Clear removes a value.
    await tap(harness, 'Uowner', postbackData(card, 'Legal notice URL'));
    const [notUrl] = await harness.say('Uowner', 'javascript:alert(1)');
    expect(messageText(notUrl!)).toContain('not a web address');
    const [menu] = await tap(harness, 'Uowner', postbackData(notUrl, 'Back'));
    const [askName] = await tap(harness, 'Uowner', postbackData(menu, 'Shop name'));
    [card] = await tap(harness, 'Uowner', postbackData(askName, 'Clear'));
    expect((await merchant()).displayName).toBeNull();
    const [done] = await tap(harness, 'Uowner', postbackData(card, 'Done'));
    expect(messageText(done!)).toContain('shop profile is saved');
  });

  it('asks a Korean shop for the 전자상거래법 items and its currency, and its bare numbers are won', async () => {
    await seedMerchant(prisma, 'gage', [{ userId: 'Ukowner', role: 'owner', language: 'ko' }]);
    const [, askCountry] = await harness.say('Ukowner', '프로필');
    const [card, askCurrency] = await tap(harness, 'Ukowner', postbackData(askCountry, '한국'));
    expect(messageText(card!)).toContain('판매자 정보: 상호, 대표자, 사업장 주소, 전화번호, 이메일, 사업자등록번호 항목이 비어 있어요.');
    expect(messageText(askCurrency!)).toContain('어느 통화로 볼까요?');
    const [saved] = await tap(harness, 'Ukowner', postbackData(askCurrency, '원 (KRW)'));
    expect(messageText(saved!)).toContain('통화\n원 (KRW)');
    expect(await prisma.merchant.findUniqueOrThrow({ where: { id: 'gage' } })).toMatchObject({ country: 'KR', currency: 'KRW' });
    // Each country's fields, and never more than LINE's 13 quick replies (the stub refuses more).
    expect(actionsOf(saved!).map((action) => action.label)).toContain('사업자등록번호');
    const [askNumber] = await tap(harness, 'Ukowner', postbackData(saved, '사업자등록번호'));
    expect(messageText(askNumber!)).toContain('사업자등록번호(10자리)');
    const [bad] = await harness.say('Ukowner', '12345');
    expect(messageText(bad!)).toContain('10자리 숫자');
    await harness.say('Ukowner', '1234567890');
    expect((await prisma.merchant.findUniqueOrThrow({ where: { id: 'gage' } })).businessNumber).toBe('123-45-67890');
    await harness.say('Ukowner', '취소');

    // A bare number now means won, and the confirmation says so.
    const [offer] = await harness.say('Ukowner', '15000');
    expect(messageText(offer!)).toContain('15,000원');
  });

  it('takes a photo as the logo', async () => {
    harness.line.contents.set('700000000201', { bytes: tinyPng(), contentType: 'image/png' });
    const [card] = await harness.say('Uowner', 'profile');
    await tap(harness, 'Uowner', postbackData(card, 'Logo'));
    const before = harness.line.messagesTo('Uowner').length;
    await harness.deliver([harness.imageEvent('Uowner', '700000000201')]);
    const [saved] = (await harness.line.waitForMessages('Uowner', before + 1)).slice(before);
    expect(messageText(saved!.message)).toContain('Saved: Logo.');
    const { logoId } = await merchant();
    expect(logoId).toMatch(/^img_/);
    expect(await prisma.media.count({ where: { id: logoId!, merchantId: 'cafe' } })).toBe(1);
    await harness.say('Uowner', 'cancel');
  });

  it('keeps an 80-character Japanese shop name and long legal texts within LINE limits', async () => {
    const longName = '京都の老舗手ぬぐい専門店'.repeat(7).slice(0, 80);
    let [card] = await harness.say('Uowner', 'profile');
    await tap(harness, 'Uowner', postbackData(card, 'Shop name'));
    [card] = await harness.say('Uowner', longName);
    expect(messageText(card!)).toContain('Saved: Shop name.');
    await tap(harness, 'Uowner', postbackData(card, 'Returns policy'));
    // The stub refuses what LINE refuses, so this card arriving is the check.
    [card] = await harness.say('Uowner', '返品・交換は商品到着後7日以内に限ります。'.repeat(40).slice(0, 1000));
    expect(messageText(card!)).toContain('Saved: Returns policy.');
    expect((await merchant()).displayName).toBe(longName);
    await harness.say('Uowner', 'cancel');
  });

  it('lets staff look but not change, however the change is sent', async () => {
    const [card] = await harness.say('Ustaff', 'プロフィール');
    expect(messageText(card!)).toContain('ショップ情報');
    expect(actionsOf(card!).map((action) => action.label)).not.toContain('電話番号');
    // A forged field button for staff: the dialog is not theirs, and the performer re-checks anyway.
    const [refused] = await tap(harness, 'Ustaff', signedPostback('shopProfile.field', ['legalPhone'], 'dlg-forged'));
    expect(messageText(refused!)).not.toContain('電話番号を送って');
    expect((await merchant()).legalPhone).toBe('03-1234-5678');
  });
});
