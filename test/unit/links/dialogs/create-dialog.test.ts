import { describe, expect, it } from 'vitest';
import type { Card, Reply } from '../../../../src/conversation/types.js';
import { LINK_FIELDS } from '../../../../src/links/fields/link-fields.js';
import { MORE_OPTIONS_GROUPS } from '../../../../src/links/dialogs/more-options.js';
import { DialogDriver, MEMBERSHIP, linkView } from '../../../support/dialog-driver.js';

/** create → amount → name (checked free) → at the description question. */
function createAtDescription(language: 'en' | 'ja' | 'ko' = 'en', amount = '1500'): DialogDriver {
  const driver = new DialogDriver(language);
  driver.say(language === 'en' ? 'create' : language === 'ja' ? '作成' : '만들기');
  driver.say(amount);
  const named = driver.say('Workshop ticket');
  expect(named.effect).toEqual({ type: 'links.checkName', merchantId: MEMBERSHIP.merchantId, productName: 'Workshop ticket' });
  driver.result({ type: 'links.nameChecked', productName: 'Workshop ticket', existing: null });
  return driver;
}

function walkToReview(): DialogDriver {
  const driver = createAtDescription();
  driver.say('Two-hour pottery workshop. Tax included.');
  driver.tap('Skip');
  driver.tap('English');
  driver.tap('Inactive');
  driver.tap('No limit');
  driver.tap('No expiry');
  return driver;
}

/** The card a reply list ends on. */
function lastCard(replies: Reply[]): Card {
  const last = replies.at(-1);
  if (last?.kind !== 'card') throw new Error(`expected a card, got ${String(last?.kind)}`);
  return last.card;
}

function moreOptions(driver: DialogDriver): Card[] {
  const reply = driver.tap('More options').replies.at(-1);
  if (reply?.kind !== 'carousel') throw new Error('expected the More options carousel');
  return reply.cards;
}

describe('Create link dialog', () => {
  it('walks through the main fields, usage limit and expiry, and ends on a short review card of what is set', () => {
    const driver = createAtDescription();
    expect(driver.slots).toMatchObject({ step: 'description' });
    for (const item of ['Quantity of goods/services', 'Tax included or excluded', 'Delivery/provision timing', 'Cancellation/withdrawal policy', 'Application period']) {
      expect(driver.text).toContain(item);
    }
    driver.say('Two-hour pottery workshop.\r\nTax included.');
    expect(driver.slots).toMatchObject({ step: 'image' });
    expect(driver.labels).toContain('Skip');
    driver.tap('Skip');
    expect(driver.slots).toMatchObject({ step: 'language' });
    expect(driver.labels).toEqual(expect.arrayContaining(['日本語', 'English', '한국어']));
    driver.tap('English');
    expect(driver.slots).toMatchObject({ step: 'status' });
    driver.tap('Inactive');
    expect(driver.slots).toMatchObject({ step: 'usageLimit' });
    expect(driver.text).toContain('How many payments may this link take in total?');
    expect(driver.labels).toEqual(['No limit', 'Back', 'Cancel']);
    driver.tap('No limit');
    expect(driver.slots).toMatchObject({ step: 'expiry', draft: { usageLimit: null } });
    expect(driver.text).toContain('Until when may buyers pay?');
    expect(driver.labels).toEqual(['7 days', '30 days', 'No expiry', 'Back', 'Cancel']);
    driver.tap('No expiry');
    expect(driver.slots).toMatchObject({ step: 'review', reviewed: true, draft: { expiresAt: null } });
    const review = lastCard(driver.last.replies);
    // Only what is set: no "None" rows for the options left alone.
    expect(review.rows).toEqual([
      { label: 'Price', value: '¥1,500' },
      { label: 'Product name', value: 'Workshop ticket' },
      { label: 'Description', value: 'Two-hour pottery workshop.\nTax included.' },
      { label: 'Page language', value: 'English' },
      { label: 'Status', value: 'Inactive' },
    ]);
    expect(review.buttons.map((button) => button.label)).toEqual(['Save', 'Edit Product name', 'Edit Price', 'More options']);
    expect(review.footnote).toContain("can't be changed");
    expect(review.footnote).toContain('More options: the product page, price and quantity');

    const saved = driver.tap('Save');
    expect(saved.effect).toEqual({
      type: 'links.create',
      merchantId: MEMBERSHIP.merchantId,
      draft: {
        amount: 1500,
        currency: 'JPY',
        productName: 'Workshop ticket',
        description: 'Two-hour pottery workshop.\nTax included.',
        imageId: null,
        language: 'en',
        status: 'inactive',
        usageLimit: null,
        expiresAt: null,
      },
    });
    const issued = driver.result({ type: 'links.created', link: linkView({ status: 'inactive', language: 'en' }) });
    expect(issued.state).toBeNull();
    expect(issued.replies.map((reply) => reply.kind)).toEqual(['card', 'image', 'text']);
  });

  it('edits a field from the review card and comes back to the review', () => {
    const driver = walkToReview();
    driver.tap('Edit Price');
    expect(driver.slots).toMatchObject({ step: 'amount' });
    expect(driver.text).toContain('Now: ¥1,500');
    driver.say('12.50 USD');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { amount: 1250, currency: 'USD' } });
    expect(driver.text).toContain('$12.50');

    moreOptions(driver);
    driver.tap('Edit Status');
    driver.say('有効');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { status: 'active' } });

    moreOptions(driver);
    driver.tap('Edit Usage limit');
    driver.say('20');
    moreOptions(driver);
    driver.tap('Edit Expiry');
    driver.say('2026-12-31');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { usageLimit: 20, expiresAt: '2026-12-31T14:59:59.999Z' } });
    expect(lastCard(driver.last.replies).rows).toEqual(
      expect.arrayContaining([
        { label: 'Usage limit', value: '20 payments' },
        { label: 'Expiry', value: expect.stringContaining('Dec 31, 2026') as string },
      ]),
    );

    // Renaming checks the new name again before returning.
    driver.tap('Edit Product name');
    expect(driver.say('Workshop ticket (Dec)').effect).toMatchObject({ type: 'links.checkName', productName: 'Workshop ticket (Dec)' });
    driver.result({ type: 'links.nameChecked', productName: 'Workshop ticket (Dec)', existing: null });
    expect(driver.slots).toMatchObject({ step: 'review', draft: { productName: 'Workshop ticket (Dec)' } });

    // Back from the review returns to the step answered last.
    driver.say('back');
    expect(driver.slots).toMatchObject({ step: 'name' });
  });

  it('sets an adjustable quantity from the review, refusing ranges that cannot be bought', () => {
    const driver = walkToReview();
    moreOptions(driver);
    driver.tap('Edit Quantity');
    expect(driver.text).toContain('How many may a buyer buy in one payment?');
    driver.say('5-1');
    expect(driver.text).toContain('The first number must not be larger than the second');
    driver.say('1-500');
    expect(driver.text).toContain('Quantities go from 1 to');
    driver.say('１〜５');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { quantityMin: 1, quantityMax: 5 } });
    expect(driver.text).toContain('1–5, buyer chooses');
    moreOptions(driver);
    driver.tap('Edit Usage limit');
    driver.say('3');
    moreOptions(driver);
    driver.tap('Edit Quantity');
    driver.say('4');
    expect(driver.text).toContain("can't be more than the usage limit (3)");
    driver.tap('Fixed: 1');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { quantityMin: 1, quantityMax: 1 } });
    expect(driver.tap('Save').effect).toMatchObject({ type: 'links.create', draft: { quantityMin: 1, quantityMax: 1, usageLimit: 3 } });
  });

  it('refuses a usage limit below the smallest quantity a buyer takes, whichever was set first', () => {
    const driver = walkToReview();
    moreOptions(driver);
    driver.tap('Edit Quantity');
    driver.say('5-10');
    moreOptions(driver);
    driver.tap('Edit Usage limit');
    driver.say('3');
    expect(driver.text).toContain("The usage limit can't be less than the smallest quantity a buyer takes (5)");
    expect(driver.slots).toMatchObject({ step: 'usageLimit' });
    driver.say('5');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { usageLimit: 5, quantityMin: 5, quantityMax: 10 } });
  });

  it('refuses a taken name at the name step with the existing link offered', () => {
    const driver = new DialogDriver('en');
    driver.say('create');
    driver.say('1500');
    driver.say('workshop TICKET');
    const existing = linkView({ productName: 'Workshop ticket' });
    const answer = driver.result({ type: 'links.nameChecked', productName: 'workshop TICKET', existing });
    expect(answer.replies.map((reply) => reply.kind)).toEqual(['text', 'card', 'text']);
    expect(driver.text).toContain('already have a link called "Workshop ticket"');
    expect(driver.slots).toMatchObject({ step: 'name' });
  });

  it('when a race makes the name taken at Save, asks for another name and returns to the review', () => {
    const driver = walkToReview();
    driver.tap('Save');
    driver.result({ type: 'links.duplicate', existing: linkView({ productName: 'Workshop ticket' }) });
    expect(driver.slots).toMatchObject({ step: 'name' });
    driver.say('Workshop ticket 2');
    driver.result({ type: 'links.nameChecked', productName: 'Workshop ticket 2', existing: null });
    expect(driver.slots).toMatchObject({ step: 'review', draft: { productName: 'Workshop ticket 2', status: 'inactive' } });
  });

  it('goes back one step at a time through the whole flow', () => {
    const driver = walkToReview();
    const visited: unknown[] = [];
    for (let i = 0; i < 8; i++) {
      driver.say('back');
      visited.push(driver.slots['step']);
    }
    expect(visited).toEqual(['expiry', 'usageLimit', 'status', 'language', 'image', 'description', 'name', 'amount']);
    driver.say('back');
    expect(driver.text).toContain('no earlier step');
  });

  it('keeps a description exactly as typed, full-width brackets and digits included', () => {
    const driver = createAtDescription('ja');
    driver.say('緑茶（350ml）×２本\n税込');
    expect(driver.slots).toMatchObject({ step: 'image', draft: { description: '緑茶（350ml）×２本\n税込' } });
  });

  it('understands typed answers for choices and refuses others', () => {
    const driver = createAtDescription();
    driver.say('x'.repeat(1001));
    expect(driver.text).toContain('at most 1000');
    driver.say('なし');
    expect(driver.slots).toMatchObject({ step: 'image', draft: { description: '' } });
    driver.say('hello');
    expect(driver.text).toContain('send a photo');
    driver.say('スキップ');
    driver.say('Klingon');
    expect(driver.text).toContain('Please choose 日本語, English or 한국어');
    driver.say('korean');
    expect(driver.slots).toMatchObject({ step: 'status', draft: { language: 'ko' } });
    driver.say('maybe');
    expect(driver.text).toContain('Active or Inactive');
    driver.say('비활성');
    expect(driver.slots).toMatchObject({ step: 'usageLimit', draft: { status: 'inactive' } });
    driver.say('no limit');
    driver.say('never');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { usageLimit: null, expiresAt: null } });
    driver.say('looks good');
    expect(driver.text).toContain('use the buttons');
    expect(driver.slots).toMatchObject({ step: 'review' });
  });

  it('refuses an Edit button for a field that does not exist', () => {
    const driver = walkToReview();
    driver.send({ kind: 'postback', action: 'links.edit', args: ['slug'], dialogId: 'dlg-1' });
    expect(driver.slots).toMatchObject({ step: 'review' });
    driver.send({ kind: 'postback', action: 'links.edit', args: [], dialogId: 'dlg-1' });
    expect(driver.slots).toMatchObject({ step: 'review' });
  });

  it('replaces or removes the product image', () => {
    const driver = createAtDescription();
    driver.tap('Skip');
    driver.send({ kind: 'image', messageId: 'photo-1' });
    driver.result({ type: 'links.imageFetched', ok: true, mediaId: 'img_a', imageUrl: 'https://pay.example/media/img_a' });
    expect(driver.slots).toMatchObject({ step: 'language', draft: { imageId: 'img_a' } });
    driver.say('ja');
    driver.say('active');
    driver.say('skip');
    driver.say('skip');
    expect(lastCard(driver.last.replies).rows).toContainEqual({ label: 'Image', value: 'Attached' });
    moreOptions(driver);
    driver.tap('Edit Image');
    expect(driver.labels).toContain('Remove image');
    driver.tap('Remove image');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { imageId: null, imageUrl: null } });
  });

  it('speaks Japanese and Korean with localized prices', () => {
    const ja = createAtDescription('ja');
    expect(ja.text).toContain('特定商取引法');
    ja.tap('スキップ');
    ja.tap('スキップ');
    ja.tap('日本語');
    ja.tap('受付中');
    ja.tap('上限なし');
    ja.tap('期限なし');
    expect(ja.text).toContain('リンクの内容を確認');
    expect(ja.text).toContain('価格: ¥1,500');
    expect(ja.labels).toContain('価格を編集');

    const ko = createAtDescription('ko', '15000원');
    expect(ko.text).toContain('특정상거래법');
    ko.tap('건너뛰기');
    ko.tap('건너뛰기');
    ko.tap('한국어');
    ko.tap('판매 중지');
    ko.tap('제한 없음');
    ko.tap('기한 없음');
    expect(ko.text).toContain('링크 내용 확인');
    expect(ko.text).toContain('가격: 15,000원');
  });
  it('groups every field behind one More options button: a carousel of short cards, each Edit back to the review', () => {
    const driver = walkToReview();
    const cards = moreOptions(driver);
    expect(driver.slots).toMatchObject({ step: 'review' });
    expect(cards.map((card) => [card.title, card.buttons.map((button) => button.label)])).toEqual([
      ['Product page', ['Edit Product name', 'Edit Description', 'Edit Image', 'Edit Page language']],
      ['Price & quantity', ['Edit Price', 'Edit Price range', 'Edit Tips', 'Edit Quantity']],
      ['Buyer details', ['Edit Buyer details', 'Edit Question']],
      ['Payment', ['Edit Payment methods', 'Edit Billing']],
      ['Taking payments', ['Edit Status', 'Edit Usage limit', 'Edit Expiry']],
      ['After payment', ['Edit After payment']],
    ]);
    // Each short card shows its fields' values, set or not.
    expect(cards[1]?.rows).toEqual([
      { label: 'Price', value: '¥1,500' },
      { label: 'Price range', value: 'Fixed price' },
      { label: 'Tips', value: 'No tip' },
      { label: 'Quantity', value: 'Fixed: 1' },
    ]);
    const carousel = driver.last.replies.at(-1);
    expect(carousel?.kind === 'carousel' && carousel.quickReplies?.map((button) => button.label)).toEqual(['Save', 'Back to review', 'Cancel']);

    driver.tap('Edit Tips');
    expect(driver.slots).toMatchObject({ step: 'tips' });
    driver.say('10% 20%');
    const review = lastCard(driver.last.replies);
    expect(driver.slots).toMatchObject({ step: 'review', draft: { tipOptions: { kind: 'percent', values: [10, 20] } } });
    expect(review.rows).toContainEqual({ label: 'Tips', value: expect.stringContaining('10%') as string });
    expect(review.buttons).toHaveLength(4);

    moreOptions(driver);
    expect(lastCard(driver.tap('Back to review').replies).buttons.map((button) => button.label)).toEqual(['Save', 'Edit Product name', 'Edit Price', 'More options']);
    moreOptions(driver);
    expect(driver.tap('Save').effect).toMatchObject({ type: 'links.create', draft: { tipOptions: { kind: 'percent', values: [10, 20] } } });
  });

  it('puts every field on exactly one More options card', () => {
    const grouped = MORE_OPTIONS_GROUPS.flatMap((group) => group.fields.map((field) => field.id));
    expect([...grouped].sort()).toEqual(LINK_FIELDS.map((field) => field.id).sort());
  });

  it('asks the usage limit and the expiry with friendly errors, in the shop time zone (en)', () => {
    const driver = createAtDescription();
    driver.tap('Skip');
    driver.tap('Skip');
    driver.tap('English');
    driver.tap('Active');
    driver.say('0');
    expect(driver.text).toContain('The limit must be between 1 and 1000000');
    driver.say('lots');
    expect(driver.text).toContain('Please send a whole number such as 10, or tap No limit.');
    driver.say('2.5');
    expect(driver.slots).toMatchObject({ step: 'usageLimit' });
    driver.say('3 times');
    expect(driver.slots).toMatchObject({ step: 'expiry', draft: { usageLimit: 3 } });
    driver.say('2026-11-01');
    expect(driver.text).toContain('That is already in the past');
    driver.say('2028-01-01');
    expect(driver.text).toContain('at most one year ahead');
    driver.say('someday');
    expect(driver.text).toContain("I couldn't read that as a date");
    expect(driver.slots).toMatchObject({ step: 'expiry' });
    // "today" is also a command word; here it answers the question: the end of today in Japan (UTC+9).
    driver.say('today');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { usageLimit: 3, expiresAt: '2026-11-28T14:59:59.999Z' } });
    expect(lastCard(driver.last.replies).rows).toEqual(expect.arrayContaining([{ label: 'Usage limit', value: '3 payments' }]));
  });

  it.each([
    ['ja', '作成', ['スキップ', 'スキップ', '日本語', '受付中'], '0', '受付上限は1〜1000000回です', '上限なし', '2026/11/27', '過去の日付です', '明日', '2026-11-29T14:59:59.999Z'],
    ['ko', '만들기', ['건너뛰기', '건너뛰기', '한국어', '판매 중'], '많이', '10처럼 숫자로 보내거나', '무제한', '언젠가', '날짜로 읽지 못했어요', '기한 없음', null],
  ] as const)('asks the usage limit and the expiry in %s, with a typed "none" skipping each', (language, _create, taps, badLimit, limitError, noLimit, badDate, dateError, date, expiresAt) => {
    const driver = createAtDescription(language);
    for (const label of taps) driver.tap(label);
    expect(driver.slots).toMatchObject({ step: 'usageLimit' });
    driver.say(badLimit);
    expect(driver.text).toContain(limitError);
    driver.say(noLimit);
    expect(driver.slots).toMatchObject({ step: 'expiry', draft: { usageLimit: null } });
    driver.say(badDate);
    expect(driver.text).toContain(dateError);
    driver.say(date);
    expect(driver.slots).toMatchObject({ step: 'review', draft: { expiresAt } });
  });

  it('answers stale and misplaced review buttons politely', () => {
    const driver = walkToReview();
    const dialogId = driver.state?.dialogId ?? null;
    // A button of the old long review card still in the chat: still a field of this dialog, so it edits and comes back.
    driver.send({ kind: 'postback', action: 'links.edit', args: ['buyerAsk'], dialogId });
    expect(driver.slots).toMatchObject({ step: 'buyerAsk' });
    // More options belongs to the review card: elsewhere it re-asks the current question.
    driver.send({ kind: 'postback', action: 'links.more', args: [], dialogId });
    expect(driver.text).toContain('Please use the buttons below');
    expect(driver.slots).toMatchObject({ step: 'buyerAsk' });
    driver.send({ kind: 'postback', action: 'links.review', args: [], dialogId });
    expect(driver.slots).toMatchObject({ step: 'buyerAsk' });
    driver.say('name phone');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { buyerAsk: ['name', 'phone'] } });

    driver.tap('Cancel');
    expect(driver.state).toBeNull();
    // The carousel of the cancelled dialog.
    const stale = driver.send({ kind: 'postback', action: 'links.more', args: [], dialogId });
    expect(stale.state).toBeNull();
    expect(driver.text).toContain('That button belongs to a conversation that has already ended');

    const quick = new DialogDriver('en');
    quick.say('quick');
    quick.send({ kind: 'postback', action: 'links.more', args: [], dialogId: quick.state?.dialogId ?? null });
    expect(quick.text).toContain('Please use the buttons below');
    expect(quick.slots).toMatchObject({ step: 'amount' });
  });
});
