// `export` and the summary card's Export CSV: the owner gets a signed link, valid 24 hours, to a
// CSV that a parser (csv-parse) reads back with Japanese intact, RFC 4180 quoting, a BOM for
// Excel and formula-looking cells neutralised. Staff get no link, even with a forged button.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { signExportToken, verifyExportToken, EXPORT_LIFETIME_MS } from '../../../src/exports/export-token.js';
import { neutraliseFormula, paymentsCsv } from '../../../src/exports/payments-csv.js';
import { databaseKinds } from '../../support/databases.js';
import { deliver, komojuEvent, komojuPayment } from '../../support/ledger-fixtures.js';
import { APP_SECRET, messageText } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedLink, seedMerchant, signedPostback, tap } from '../sales/sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

describe('CSV building blocks', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+81 90', "'+81 90"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['お茶, "特選"', 'お茶, "特選"'],
  ])('neutralises %j', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected);
  });

  it('signs tokens that expire after 24 hours and refuses altered ones', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    const { token, expiresAt } = signExportToken(APP_SECRET, { merchantId: 'm1', linkId: null, userId: 'U1', language: 'ja' }, now);
    expect(expiresAt.getTime() - now).toBe(EXPORT_LIFETIME_MS);
    expect(verifyExportToken(APP_SECRET, token, now + 1000)).toMatchObject({ ok: true, grant: { merchantId: 'm1', linkId: null, userId: 'U1', language: 'ja' } });
    expect(verifyExportToken(APP_SECRET, token, now + EXPORT_LIFETIME_MS + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyExportToken('another-secret-0123456789abcdef0123', token, now)).toEqual({ ok: false, reason: 'invalid' });
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), m: 'm2' })).toString('base64url');
    expect(verifyExportToken(APP_SECRET, `${forged}.${mac}`, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(signExportToken(APP_SECRET, { merchantId: 'm1', linkId: null, userId: 'U1', language: 'ja' }, now).token).not.toBe(token);
  });
});

const LONG_NAME = Array.from(
  '寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処やぶら小路の藪柑子パイポパイポパイポのシューリンガンシューリンガンのグーリンダイグーリンダイのポンポコピーのポンポコナーの長久命の長助様',
)
  .slice(0, 80)
  .join('');
const HEADER_JA = ['日時', '商品', '支払額', '通貨', '状況', '返金額', '支払い方法', 'KOMOJU決済ID', '購入者のメール', 'クーポン', '割引額', 'チップ', '注文番号'];
const FUNNEL_HEADER_JA = ['リンクのページ閲覧数', 'リンクの支払いボタン押下数', 'リンクの決済完了数'];
const BUYER_HEADER_JA = ['購入者の名前', '購入者の電話番号', '国', '郵便番号', '住所', '質問', '回答'];

describe.each(await databaseKinds())('CSV export in chat and over HTTP on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  let teaId = '';
  let trickyId = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'kyoto', [
      { userId: 'Uowner', role: 'owner', language: 'ja' },
      { userId: 'Ustaff', role: 'staff', language: 'en' },
    ]);
    await seedMerchant(prisma, 'rival', [{ userId: 'Urival', role: 'owner', language: 'en' }]);
    teaId = await seedLink(prisma, 'kyoto', { productName: '宇治抹茶（特選）', testMode: true });
    trickyId = await seedLink(prisma, 'kyoto', { productName: '=HYPERLINK("x"), "quoted"' });
    const rivalId = await seedLink(prisma, 'rival', { productName: 'Rival cake' });
    // What the page asked: the longest real name (80 Japanese characters), phone, address, a date answer.
    await prisma.checkout.create({
      data: {
        id: 'chk_tea',
        linkId: teaId,
        provider: 'komoju',
        amount: 1500,
        buyerDetails: {
          name: LONG_NAME,
          phone: '090-1234-5678',
          email: 'form@example.jp',
          address: { country: 'JP', postalCode: '150-0001', line1: '東京都渋谷区神宮前1-2-3', line2: 'サンプルビル2F' },
          answer: { question: '受け取り日は？', text: '12/12' },
        },
      },
    });
    const paid = komojuPayment({ id: 'pay_tea_1', status: 'captured', amount: 1500, session: null, metadata: { linkId: teaId, checkoutId: 'chk_tea' } });
    await deliver(prisma, {
      ...komojuEvent('payment.captured', { id: 'pay_tea_1', status: 'captured', amount: 1500, session: null, metadata: { linkId: teaId } }),
      data: { ...paid, payment_details: { type: 'konbini', email: 'hanako@example.jp' } },
    });
    await deliver(
      prisma,
      komojuEvent('payment.refund.created', { id: 'pay_tea_2', status: 'captured', amount: 1500, session: null, metadata: { linkId: teaId }, refunds: [{ id: 'rf_1', amount: 500 }] }),
    );
    // Bought with a code and a tip: the checkout says what they were.
    await prisma.checkout.create({
      data: { id: 'chk_code', linkId: trickyId, provider: 'komoju', discountCode: 'SPRING10', discountAmount: 110, tipAmount: 100, amount: 990, orderNumber: 'K7QM4XP2' },
    });
    await deliver(prisma, komojuEvent('payment.captured', { id: 'pay_tricky', status: 'captured', amount: 990, session: null, metadata: { linkId: trickyId, checkoutId: 'chk_code' } }));
    await deliver(prisma, komojuEvent('payment.captured', { id: 'pay_rival', status: 'captured', amount: 700, session: null, metadata: { linkId: rivalId } }));
  });

  function urlIn(message: Record<string, unknown> | undefined): string {
    const match = /http:\/\/127\.0\.0\.1:1(\/exports\/[A-Za-z0-9_.-]+)/.exec(message ? messageText(message) : '');
    if (!match?.[1]) throw new Error('no export URL in the reply');
    return match[1];
  }

  async function download(path: string): Promise<Response> {
    return fetch(`${harness.url}${path}`);
  }

  it('gives the owner a 24-hour link to the whole shop, and the CSV parses back exactly', async () => {
    // Two people open the tea's page through real HTTP; LINE's preview fetcher is not counted.
    const slug = 'csvFunnelTest_ab';
    await prisma.link.update({ where: { id: teaId }, data: { slug } });
    const browser = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Line/14.0.0';
    for (const userAgent of [browser, browser, 'facebookexternalhit/1.1;line-poker/1.0']) expect((await fetch(`${harness.url}/l/${slug}`, { headers: { 'user-agent': userAgent } })).status).toBe(200);

    const [reply] = await harness.say('Uowner', 'エクスポート');
    const text = messageText(reply!);
    expect(text).toContain('ショップのすべての取引のCSVです（3行）。');
    expect(actionsOf(reply!).find((action) => action.label === 'CSVをダウンロード')?.uri).toMatch(/^http:\/\/127\.0\.0\.1:1\/exports\//);

    const response = await download(urlIn(reply));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="payments-\d{8}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const raw = bytes.toString('utf8');
    expect(raw).toContain('\r\n');
    expect(raw).toContain('"\'=HYPERLINK(""x""), ""quoted"""');

    const rows: string[][] = parse(raw, { bom: true });
    expect(rows[0]).toEqual([...HEADER_JA, ...FUNNEL_HEADER_JA, ...BUYER_HEADER_JA]);
    // One row per payment, as the chat's count says; every row as wide as the header.
    const payments = rows.slice(1);
    expect(new Set(rows.map((row) => row.length))).toEqual(new Set([23]));
    const byId = new Map(payments.map((row) => [row[7], row]));
    expect(byId.size).toBe(3);
    expect(byId.get('pay_tea_1')).toEqual([
      expect.stringMatching(/^2026-11-28 10:00$/),
      '宇治抹茶（特選）',
      '1500',
      'JPY',
      '決済完了',
      '0',
      'コンビニ払い',
      'pay_tea_1',
      'form@example.jp',
      '',
      '',
      '',
      '',
      // How the tea's link converts: two views (the preview fetcher not counted) → one press → two paid.
      '2',
      '1',
      '2',
      LONG_NAME,
      '090-1234-5678',
      '日本',
      '150-0001',
      '東京都渋谷区神宮前1-2-3 サンプルビル2F',
      '受け取り日は？',
      '12/12',
    ]);
    expect(byId.get('pay_tea_2')?.slice(1, 6)).toEqual(['宇治抹茶（特選）', '1500', 'JPY', '一部返金', '500']);
    expect(byId.get('pay_tricky')?.[1]).toBe('\'=HYPERLINK("x"), "quoted"');
    expect(byId.get('pay_tricky')?.slice(9, 13)).toEqual(['SPRING10', '110', '100', 'K7QM4XP2']);
    // A payment through a page that asked nothing: its link's funnel, then empty buyer columns.
    expect(byId.get('pay_tricky')?.slice(13)).toEqual(['0', '1', '1', '', '', '', '', '', '', '']);
    expect(byId.has('pay_rival')).toBe(false);
  });

  it("exports one link from the summary card's button or by name", async () => {
    const [card] = await tap(harness, 'Uowner', signedPostback('summary', [teaId]));
    const [reply] = await tap(harness, 'Uowner', postbackData(card, 'CSVで書き出す'));
    expect(messageText(reply!)).toContain('「宇治抹茶（特選）」の取引のCSVです（2行）。');
    const rows: string[][] = parse(Buffer.from(await (await download(urlIn(reply))).arrayBuffer()).toString('utf8'), { bom: true });
    expect(
      rows
        .slice(1)
        .map((row) => row[7])
        .sort(),
    ).toEqual(['pay_tea_1', 'pay_tea_2']);

    const [named] = await harness.say('Uowner', 'エクスポート 宇治抹茶（特選）');
    expect(messageText(named!)).toContain('（2行）');
    const [unknown] = await harness.say('Uowner', 'エクスポート ほうじ茶');
    expect(messageText(unknown!)).toContain('「ほうじ茶」という商品名のリンクは見つかりませんでした。');
  });

  it('refuses staff (typed, card, forged button) and another shop’s link', async () => {
    const [typed] = await harness.say('Ustaff', 'export');
    expect(messageText(typed!)).toContain("Only the shop's owner can export payments");
    const [card] = await tap(harness, 'Ustaff', signedPostback('summary', [teaId]));
    expect(actionsOf(card!).map((action) => action.label)).not.toContain('Export CSV');
    const [forged] = await tap(harness, 'Ustaff', signedPostback('exports.link', [teaId]));
    expect(messageText(forged!)).toContain("Only the shop's owner can export payments");
    const [foreign] = await tap(harness, 'Urival', signedPostback('exports.link', [teaId]));
    expect(messageText(foreign!)).toContain("I couldn't find that link.");
  });

  it("holds buyers' details only for those allowed to read them, and names methods in the reader's language", async () => {
    const staffFile = await paymentsCsv(prisma, { merchantId: 'kyoto', linkId: teaId, userId: 'Ustaff' }, 'en');
    const staffRows: string[][] = parse(staffFile, { bom: true });
    expect(staffRows[0]).toEqual([
      'Date',
      'Product',
      'Amount paid',
      'Currency',
      'Status',
      'Refunded',
      'Payment method',
      'KOMOJU payment ID',
      'Discount code',
      'Discount',
      'Tip',
      'Order number',
      "Link's page views",
      "Link's Pay presses",
      "Link's paid payments",
    ]);
    expect(staffFile).not.toContain('example.jp');
    expect(staffFile).not.toContain('090-1234-5678');
    expect(staffRows.find((row) => row[7] === 'pay_tea_1')?.[6]).toBe('Convenience store');

    await prisma.merchant.update({ where: { id: 'kyoto' }, data: { staffSeeBuyerDetails: true } });
    try {
      const allowed: string[][] = parse(await paymentsCsv(prisma, { merchantId: 'kyoto', linkId: teaId, userId: 'Ustaff' }, 'ko'), { bom: true });
      expect(allowed[0]?.slice(13)).toEqual(['링크 페이지 조회수', '링크 결제 버튼 누름 수', '링크 결제 완료 수', '구매자 이름', '구매자 전화번호', '국가', '우편번호', '주소', '질문', '답변']);
      const tea = allowed.find((row) => row[7] === 'pay_tea_1');
      expect(tea?.[6]).toBe('편의점 결제');
      expect(tea?.[8]).toBe('form@example.jp');
      expect(tea?.slice(16, 19)).toEqual([LONG_NAME, '090-1234-5678', '일본']);
    } finally {
      await prisma.merchant.update({ where: { id: 'kyoto' }, data: { staffSeeBuyerDetails: false } });
    }
  });

  it('answers 410 to a link asked for by an owner who is now staff', async () => {
    const [reply] = await harness.say('Uowner', 'エクスポート');
    const path = urlIn(reply);
    const member = { merchantId_userId: { merchantId: 'kyoto', userId: 'Uowner' } };
    await prisma.member.update({ where: member, data: { role: 'staff' } });
    try {
      const demoted = await fetch(`${harness.url}${path}`, { headers: { 'Accept-Language': 'en' } });
      expect(demoted.status).toBe(410);
      expect(await demoted.text()).toContain('no longer an owner');
    } finally {
      await prisma.member.update({ where: member, data: { role: 'owner' } });
    }
    expect((await download(path)).status).toBe(200);
  });

  it('answers 404 to an altered link and 410 to an expired one', async () => {
    const [reply] = await harness.say('Uowner', 'エクスポート');
    const path = urlIn(reply);
    expect((await download(`${path.slice(0, -2)}xx`)).status).toBe(404);
    const old = signExportToken(APP_SECRET, { merchantId: 'kyoto', linkId: null, userId: 'Uowner', language: 'en' }, Date.now() - EXPORT_LIFETIME_MS - 1000);
    const expired = await fetch(`${harness.url}/exports/${old.token}`, { headers: { 'Accept-Language': 'en' } });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('has expired');
  });
});
