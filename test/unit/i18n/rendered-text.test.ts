// What a Japanese or Korean merchant and buyer read on the main screens, as plain text, kept in
// files beside this test so a change of wording shows up in review as a diff people can read.
import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../src/bot/capabilities.js';
import { step } from '../../../src/conversation/machine.js';
import type { Card, EffectResult, Reply } from '../../../src/conversation/types.js';
import { renderClosedPage, renderLinkPage, renderReturnPage, type ClosedReason } from '../../../src/payments/pages/link-page-views.js';
import { renderMessagePage } from '../../../src/pages/buyer-page-parts.js';
import { translator, type Language } from '../../../src/i18n/i18n.js';
import { formatPrice } from '../../../src/i18n/format.js';
import { renderLegalPage } from '../../../src/shop-profile/legal-page.js';
import type { ShopProfile } from '../../../src/merchants/shop-profile.js';
import { SHOP_TEXT_FIELDS } from '../../../src/merchants/shop-profile-rules.js';
import { shopProfileView } from '../../../src/shop-profile/perform-effects.js';
import { reviewReply } from '../../../src/links/dialogs/draft-card.js';
import { duplicateReplies } from '../../../src/links/dialogs/link-dialog-engine.js';
import { moreOptionsReply } from '../../../src/links/dialogs/more-options.js';
import type { LinkDraft } from '../../../src/links/link-draft.js';
import { issuedLinkReplies } from '../../../src/links/link-card.js';
import { linksCarousel } from '../../../src/sales/links-carousel.js';
import { summaryCard } from '../../../src/sales/summary-card.js';
import { transactionsReply } from '../../../src/sales/transactions.js';
import { context, salesLink } from '../sales/sales-fixtures.js';

function buttonsLine(buttons: { label: string }[] | undefined): string[] {
  return buttons && buttons.length > 0 ? [buttons.map((button) => `[${button.label}]`).join(' ')] : [];
}

function cardText(card: Card): string[] {
  return [
    ...(card.badge ? [`<${card.badge}>`] : []),
    `# ${card.title}`,
    ...(card.subtitle ? [card.subtitle] : []),
    ...card.rows.map((row) => `${row.label}: ${row.value}`),
    ...(card.footnote ? card.footnote.split('\n').map((line) => `> ${line}`) : []),
    ...buttonsLine(card.buttons),
  ];
}

function replyText(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return [reply.text, ...buttonsLine(reply.quickReplies)].join('\n');
    case 'card':
      return [`(alt: ${reply.altText})`, ...cardText(reply.card), ...buttonsLine(reply.quickReplies)].join('\n');
    case 'carousel':
      return [`(alt: ${reply.altText})`, ...reply.cards.flatMap((card, index) => [`--- ${index + 1}`, ...cardText(card)]), ...buttonsLine(reply.quickReplies)].join('\n');
    case 'image':
      return `(image ${reply.url})`;
  }
}

/** The words of a page as a browser shows them: title, then the body's text. */
function pageText(page: string): string {
  const title = /<title>([^<]*)<\/title>/.exec(page)?.[1] ?? '';
  const body = page
    .replace(/^[\s\S]*<body[^>]*>/, '')
    .replace(/<\/body>[\s\S]*$/, '')
    .replace(/<script[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<(input|img)[^>]*>/g, '')
    .replace(/<\/(p|h1|div|a|button|form)>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  const lines = body
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return [`<title> ${title}`, ...lines].join('\n');
}

const NAMES: Record<'ja' | 'ko', { product: string; other: string; merchant: string; amount: number; currency: 'JPY' | 'KRW' }> = {
  ja: { product: 'コーヒー豆 200g', other: 'ドリップバッグ', merchant: 'カフェ・モモ', amount: 1500, currency: 'JPY' },
  ko: { product: '수제 쿠키 세트', other: '원두 200g', merchant: '카페 모모', amount: 15000, currency: 'KRW' },
};

const machine = createMachine();

function resultReplies(result: EffectResult, language: Language): Reply[] {
  return step(machine, null, { kind: 'result', result }, context(language)).replies;
}

function section(title: string, body: string): string {
  return `## ${title}\n${body}\n`;
}

function chatScreens(language: 'ja' | 'ko'): string {
  const ctx = context(language);
  const names = NAMES[language];
  const link = salesLink({
    productName: names.product,
    amount: names.amount,
    currency: names.currency,
    language,
    usageLimit: 20,
    expiresAt: '2026-12-31T14:59:00.000Z',
    capturedAmount: names.amount * 3,
    usedCount: 3,
  });
  const testLink = salesLink({ id: 'link2', slug: 'testSLUG9', productName: names.other, amount: 1200, currency: 'JPY', language, testMode: true, status: 'inactive' });
  const usedUp = salesLink({ id: 'link3', slug: 'usedUP77', productName: `${names.other} 2`, language, usageLimit: 5, usedCount: 5 });
  const out: string[] = [];
  out.push(section('quick link issued', issuedLinkReplies(link, ctx).map(replyText).join('\n\n')));
  out.push(section('quick link issued (test mode)', replyText(issuedLinkReplies(testLink, ctx)[0]!)));
  const draft: LinkDraft = {
    amount: names.amount,
    currency: names.currency,
    productName: names.product,
    description: '',
    imageId: null,
    language,
    status: 'active',
    usageLimit: 20,
    expiresAt: '2026-12-31T14:59:59.999Z',
    buyerAsk: ['name', 'phone'],
  };
  out.push(section('create: review card', replyText(reviewReply(draft, 'dlg1', ctx))));
  out.push(section('create: more options', replyText(moreOptionsReply(draft, 'dlg1', ctx))));
  out.push(section('duplicate name, link taking payments', duplicateReplies(link, ctx).map(replyText)[0]!));
  out.push(section('duplicate name, link stopped', duplicateReplies(testLink, ctx).map(replyText)[0]!));
  out.push(section('link list', replyText(linksCarousel({ page: 0, pageSize: 3, links: [link, testLink, usedUp], hasMore: true }, ctx))));
  out.push(section('link list, empty', replyText(linksCarousel({ page: 0, pageSize: 3, links: [], hasMore: false }, ctx))));
  const summary = { capturedAmount: names.amount * 3 - 500, capturedPayments: 3, pendingPayments: 1, refundedPayments: 1, asOf: '2026-11-28T08:05:00.000Z' };
  out.push(section('summary', replyText(summaryCard(link, summary, ctx))));
  const transactions = [
    { id: 'p4', state: 'captured' as const, amount: names.amount, refundedAmount: 0, at: '2026-11-28T01:00:00.000Z' },
    { id: 'p3', state: 'partially_refunded' as const, amount: names.amount, refundedAmount: 500, at: '2026-11-27T01:00:00.000Z' },
    { id: 'p2', state: 'awaiting' as const, amount: names.amount, refundedAmount: 0, at: '2026-11-26T01:00:00.000Z' },
    { id: 'p1', state: 'unsuccessful' as const, amount: names.amount, refundedAmount: 0, at: '2026-11-25T01:00:00.000Z' },
    { id: 'p0', state: 'charged_back' as const, amount: names.amount, refundedAmount: 0, at: '2026-11-24T01:00:00.000Z' },
  ];
  out.push(section('transactions', replyText(transactionsReply({ link, page: 1, transactions, hasMore: true }, ctx))));
  const notices = translator(language, 'pages');
  const price = (amount: number) => formatPrice(amount, names.currency, language);
  out.push(
    section(
      'payment notices',
      [notices('notice.captured', { product: names.product, amount: price(names.amount), total: price(names.amount * 4) }), notices('notice.usedUp', { product: names.product, limit: 20 })].join(
        '\n\n',
      ),
    ),
  );
  const invite = { type: 'merchants.inviteCreated', code: 'ABCD-2345', role: 'staff', expiresAt: '2026-12-05T03:00:00.000Z', merchantName: names.merchant } as const;
  out.push(section('invite code', resultReplies(invite, language).map(replyText).join('\n\n')));
  for (const role of ['owner', 'staff'] as const) {
    const joined = { type: 'merchants.joinResult', outcome: { status: 'joined', merchantId: 'm1', merchantName: names.merchant, role } } as const;
    out.push(section(`joined as ${role}`, resultReplies(joined, language).map(replyText).join('\n\n')));
  }
  const typed = (text: string) => step(machine, null, { kind: 'text', text }, ctx).replies.map(replyText).join('\n\n');
  const natural = language === 'ja' ? ['こんにちは', 'ありがとう', 'リンク作りたい', '1500', 'くいっく'] : ['안녕하세요', '감사합니다', '링크 만들기', '15000원', '도음말'];
  for (const text of natural) out.push(section(`typed outside a dialog: ${text}`, typed(text)));
  return out.join('\n');
}

function buyerScreens(language: Language): string {
  const t = translator(language, 'pages');
  const names = NAMES[language as 'ja' | 'ko'];
  const price = formatPrice(names.amount, names.currency, language);
  const out: string[] = [];
  const shop = { name: names.merchant, logoUrl: null, legalUrl: '/s/0123456789abcdef0123456789abcdef/legal' };
  const page = {
    language,
    t,
    shop,
    productName: names.product,
    description: '',
    price,
    pageUrl: 'https://shop.example/l/abc',
    imageUrl: null,
    qrImageUrl: 'https://shop.example/qr/abc.png',
    checkoutPath: '/l/abc/checkout',
    formToken: 'token',
    quantity: null,
    fixedTotal: price,
    fixedQuantity: 1,
    errors: [],
    scriptNonce: 'nonce',
    buyerFields: { ask: [], question: null },
    values: {},
    paymentMethods: null,
  };
  out.push(section('link page', pageText(renderLinkPage({ ...page, testMode: false }))));
  out.push(section('link page (test link)', pageText(renderLinkPage({ ...page, testMode: true }))));
  // The live total's line, as the server renders it before the script runs (hidden when the quantity is not one offered).
  const liveTotal = (initial: string | null) => ({ pricing: '{}', initial });
  const adjustable = { ...page, testMode: false, quantity: { min: 1, max: 3, value: '2' }, liveTotal: liveTotal(formatPrice(names.amount * 2, names.currency, language)) };
  out.push(section('link page, quantity 1 to 3', pageText(renderLinkPage(adjustable))));
  const tooMany = { field: 'quantity' as const, message: t('link.errors.quantity.above_max', { max: 3 }) };
  out.push(section('link page, quantity refused (422)', pageText(renderLinkPage({ ...adjustable, quantity: { ...adjustable.quantity, value: '5' }, errors: [tooMany], liveTotal: liveTotal(null) }))));
  const reasons: ClosedReason[] = ['inactive', 'expired', 'used_up', 'reserved', 'made_in_test_mode', 'made_in_live_mode'];
  for (const reason of reasons) out.push(section(`closed: ${reason}`, pageText(renderClosedPage(language, t, names.product, reason, shop))));
  for (const outcome of ['paid', 'awaiting', 'not_completed'] as const) {
    out.push(
      section(
        `return: ${outcome}`,
        pageText(
          renderReturnPage({
            language,
            t,
            shop,
            outcome,
            productName: names.product,
            price,
            linkPath: '/l/abc',
            testMode: false,
            orderReference: 'K7QM4XP2',
            afterPaymentMessage: language === 'ja' ? 'お支払い後3日以内に発送します。' : '결제 후 3일 이내에 발송합니다.',
            lineAddFriendUrl: 'https://line.me/R/ti/p/%40shop',
          }),
        ),
      ),
    );
  }
  for (const [name, testId] of [
    ['notFound', 'not-found'],
    ['providerError', 'provider-error'],
    ['rateLimited', 'rate-limited'],
    ['forbidden', 'forbidden'],
  ] as const) {
    out.push(section(name, pageText(renderMessagePage({ language, title: t(`${name}.title`), message: t(`${name}.body`), testId }))));
  }
  return out.join('\n');
}

function shopScreens(language: 'ja' | 'ko'): string {
  const names = NAMES[language];
  const empty = Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, null])) as Record<(typeof SHOP_TEXT_FIELDS)[number], null>;
  const blank: ShopProfile = { merchantId: 'm1', merchantName: names.merchant, shopSlug: '0123456789abcdef0123456789abcdef', logoId: null, country: null, currency: null, ...empty };
  const filled: ShopProfile = {
    ...blank,
    displayName: `${names.merchant} 本店`,
    legalName: language === 'ja' ? '株式会社モモ' : '주식회사 모모',
    legalAddress: language === 'ja' ? '東京都渋谷区1-2-3' : '서울특별시 마포구 1-2',
    legalPhone: '03-1234-5678',
    legalResponsible: language === 'ja' ? '山田花子' : '김하나',
    returnsPolicy: language === 'ja' ? '商品到着後7日以内' : '수령 후 7일 이내',
    deliveryTiming: language === 'ja' ? 'お支払い後3日以内に発送' : '결제 후 3일 이내 발송',
    legalEmail: 'shop@example.com',
    extraCharges: language === 'ja' ? '送料全国一律500円' : '배송비 전국 500엔',
    country: 'JP',
  };
  const korean: ShopProfile = {
    ...blank,
    country: 'KR',
    currency: 'KRW',
    legalName: '주식회사 모모',
    legalResponsible: '김하나',
    legalAddress: '서울특별시 마포구 1-2',
    legalPhone: '02-123-4567',
    legalEmail: 'shop@example.com',
    businessNumber: '123-45-67890',
  };
  const out: string[] = [];
  out.push(section('legal page, nothing given yet', pageText(renderLegalPage(blank, language, 'https://shop.example'))));
  out.push(section('legal page, complete', pageText(renderLegalPage(filled, language, 'https://shop.example'))));
  out.push(section('legal page, Japanese seller without 運営統括責任者', pageText(renderLegalPage({ ...filled, legalResponsible: null }, language, 'https://shop.example'))));
  out.push(section('legal page, Korean seller', pageText(renderLegalPage(korean, language, 'https://shop.example'))));
  const profile = (p: ShopProfile) => ({ type: 'shopProfile.loaded', profile: shopProfileView(p, 'https://shop.example'), canEdit: true }) as const;
  out.push(section('shop profile in chat, nothing given', resultReplies(profile(blank), language).map(replyText).join('\n\n')));
  out.push(section('shop profile in chat, complete', resultReplies(profile(filled), language).map(replyText).join('\n\n')));
  out.push(section('shop profile in chat, Korean seller', resultReplies(profile(korean), language).map(replyText).join('\n\n')));
  return out.join('\n');
}

describe.each(['ja', 'ko'] as const)('%s as people read it', (language) => {
  it('shop profile and legal notice', async () => {
    await expect(shopScreens(language)).toMatchFileSnapshot(`./rendered/${language}-shop.txt`);
  });

  it('chat cards: quick link, link list, summary, transactions, notices', async () => {
    await expect(chatScreens(language)).toMatchFileSnapshot(`./rendered/${language}-chat.txt`);
  });

  it('buyer pages', async () => {
    await expect(buyerScreens(language)).toMatchFileSnapshot(`./rendered/${language}-buyer.txt`);
  });
});
