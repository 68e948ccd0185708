import { describe, expect, it } from 'vitest';
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
  return driver;
}

describe('Create link dialog', () => {
  it('walks through every field, shows the Tokushoho checklist, and ends on a review card with an Edit button per field', () => {
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
    expect(driver.slots).toMatchObject({ step: 'review', reviewed: true });
    const review = driver.last.replies.at(-1);
    if (review?.kind !== 'card') throw new Error('expected the review card');
    expect(review.card.rows).toEqual([
      { label: 'Price', value: '¥1,500' },
      { label: 'Product name', value: 'Workshop ticket' },
      { label: 'Description', value: 'Two-hour pottery workshop.\nTax included.' },
      { label: 'Image', value: 'None' },
      { label: 'Page language', value: 'English' },
      { label: 'Status', value: 'Inactive' },
      { label: 'Usage limit', value: 'None' },
      { label: 'Quantity', value: 'Fixed: 1' },
      { label: 'Buyer chooses price', value: 'Fixed price' },
      { label: 'Tips', value: 'No tip' },
      { label: 'Buyer details', value: 'None' },
      { label: 'Question', value: 'None' },
      { label: 'After payment', value: 'None' },
      { label: 'Payment methods', value: 'All' },
      { label: 'Billing', value: 'One-time' },
      { label: 'Expiry', value: 'None' },
    ]);
    expect(review.card.buttons.map((button) => button.label)).toEqual([
      'Save',
      'Edit Price',
      'Edit Product name',
      'Edit Description',
      'Edit Image',
      'Edit Page language',
      'Edit Status',
      'Edit Usage limit',
      'Edit Quantity',
      'Edit Buyer chooses price',
      'Edit Tips',
      'Edit Buyer details',
      'Edit Question',
      'Edit After payment',
      'Edit Payment methods',
      'Edit Billing',
      'Edit Expiry',
    ]);
    expect(review.card.footnote).toContain("can't be changed");

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

    driver.tap('Edit Status');
    driver.say('有効');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { status: 'active' } });

    driver.tap('Edit Usage limit');
    driver.tap('No limit');
    driver.tap('Edit Expiry');
    driver.say('2026-12-31');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { usageLimit: null, expiresAt: '2026-12-31T14:59:59.999Z' } });

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
    driver.tap('Edit Quantity');
    expect(driver.text).toContain('How many may a buyer buy in one payment?');
    driver.say('5-1');
    expect(driver.text).toContain('The first number must not be larger than the second');
    driver.say('1-500');
    expect(driver.text).toContain('Quantities go from 1 to');
    driver.say('１〜５');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { quantityMin: 1, quantityMax: 5 } });
    expect(driver.text).toContain('1–5, buyer chooses');
    driver.tap('Edit Usage limit');
    driver.say('3');
    driver.tap('Edit Quantity');
    driver.say('4');
    expect(driver.text).toContain("can't be more than the usage limit (3)");
    driver.tap('Fixed: 1');
    expect(driver.slots).toMatchObject({ step: 'review', draft: { quantityMin: 1, quantityMax: 1 } });
    expect(driver.tap('Save').effect).toMatchObject({ type: 'links.create', draft: { quantityMin: 1, quantityMax: 1, usageLimit: 3 } });
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
    for (let i = 0; i < 6; i++) {
      driver.say('back');
      visited.push(driver.slots['step']);
    }
    expect(visited).toEqual(['status', 'language', 'image', 'description', 'name', 'amount']);
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
    expect(driver.slots).toMatchObject({ step: 'review', draft: { status: 'inactive' } });
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
    expect(ja.text).toContain('リンクの内容を確認');
    expect(ja.text).toContain('価格: ¥1,500');
    expect(ja.labels).toContain('価格を編集');

    const ko = createAtDescription('ko', '15000원');
    expect(ko.text).toContain('특정상거래법');
    ko.tap('건너뛰기');
    ko.tap('건너뛰기');
    ko.tap('한국어');
    ko.tap('판매 중지');
    expect(ko.text).toContain('링크 내용 확인');
    expect(ko.text).toContain('가격: 15,000원');
  });
});
