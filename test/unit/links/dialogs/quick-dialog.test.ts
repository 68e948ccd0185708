import { describe, expect, it } from 'vitest';
import { MEMBERSHIP, DialogDriver, buttonsOf, linkView } from '../../../support/dialog-driver.js';

function quickAtName(language: 'en' | 'ja' | 'ko' = 'en'): DialogDriver {
  const driver = new DialogDriver(language);
  driver.say('quick');
  driver.say('1500');
  return driver;
}

describe('Quick Payment Link dialog', () => {
  it('quick → 1500 → Tシャツ asks for the link to be created, then answers with card, QR image and URL', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    expect(driver.state?.name).toBe('links.quick');
    expect(driver.text).toContain('How much?');
    expect(driver.labels).toEqual(['Advanced settings', 'Cancel']);

    driver.say('1500');
    expect(driver.slots).toMatchObject({ step: 'name', draft: { amount: 1500, currency: 'JPY' } });
    expect(driver.labels).toContain('Back');

    const asked = driver.say('  Ｔシャツ\u200b ');
    expect(asked.replies).toEqual([]);
    expect(asked.effect).toEqual({ type: 'links.create', merchantId: MEMBERSHIP.merchantId, draft: { amount: 1500, currency: 'JPY', productName: 'Tシャツ', language: 'en', status: 'active' } });

    const link = linkView({ language: 'en' });
    const issued = driver.result({ type: 'links.created', link });
    expect(issued.state).toBeNull();
    expect(issued.replies.map((reply) => reply.kind)).toEqual(['card', 'image', 'text']);
    const [card, image, url] = issued.replies;
    expect(image).toEqual({ kind: 'image', url: link.qrUrl });
    expect(url).toEqual({ kind: 'text', text: link.url });
    if (card?.kind !== 'card') throw new Error('expected a card');
    expect(card.card.title).toBe('Tシャツ');
    expect(card.card.subtitle).toBe('¥1,500');
    expect(card.card.rows).toContainEqual({ label: 'URL', value: link.url });
    expect(card.card.rows).toContainEqual({ label: 'Status', value: 'Active' });
    expect(card.card.badge).toBe('TEST MODE');
    const actions = Object.fromEntries(card.card.buttons.map((button) => [button.label, button.action]));
    expect(actions['Share']).toEqual({ type: 'share', text: expect.stringContaining(link.url) });
    expect(actions['Copy link']).toEqual({ type: 'copy', text: link.url });
    expect(actions['Open']).toEqual({ type: 'url', url: link.url });
    expect(actions['Summary']).toEqual({ type: 'command', action: 'summary', args: [link.id], dialogId: null });
  });

  it('writes the share text in the link page language and formats prices per locale', () => {
    const driver = quickAtName('ja');
    driver.say('Tシャツ');
    const issued = driver.result({ type: 'links.created', link: linkView({ language: 'ja', testMode: false }) });
    const card = issued.replies[0];
    if (card?.kind !== 'card') throw new Error('expected a card');
    expect(card.card.subtitle).toBe('¥1,500');
    expect(card.card.badge).toBeUndefined();
    const share = card.card.buttons.find((button) => button.label === '共有')!.action;
    expect(share).toMatchObject({ type: 'share' });
    expect(share.type === 'share' && share.text).toContain('こちらからお支払いいただけます');
    const korean = new DialogDriver('ko');
    korean.say('퀵');
    expect(korean.text).toContain('가격을 보내 주세요');
  });

  it('takes the amount typed with the command (quick 12.50 USD) and goes straight to the name', () => {
    const driver = new DialogDriver('en');
    driver.say('quick 12.50 USD');
    expect(driver.slots).toMatchObject({ step: 'name', draft: { amount: 1250, currency: 'USD' } });
    expect(driver.text).toContain('Quick link');
    expect(driver.text).toContain('What is the product');
  });

  it.each([
    ['', "couldn't read"],
    ['🙂🙂🙂', "couldn't read"],
    ['x'.repeat(10_000), "couldn't read"],
    ['-100', 'more than zero'],
    ['0', 'more than zero'],
    ['12.5', 'JPY has no decimal places: send a whole number'],
    ['99999999999999999999999', 'most one link can take is ¥99,999,999'],
    ['12.999 USD', 'USD allows 2 decimal places'],
    ['1,50', 'commas'],
    ['10 XYZ', 'Supported: JPY'],
    ['$5 EUR', 'two different currencies'],
    ['一五〇〇', "couldn't read"],
    ['1500ドル', "couldn't read"],
  ])('refuses the amount %j with a clear answer and stays on the question', (input, answer) => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    const result = driver.say(input);
    expect(result.effect).toBeUndefined();
    expect(driver.slots).toMatchObject({ step: 'amount', draft: {} });
    expect(driver.text).toContain(answer);
    expect(driver.text).toContain('How much?');
  });

  it.each([
    ['1,500', 1500, 'JPY'],
    ['¥1,500', 1500, 'JPY'],
    ['1500円', 1500, 'JPY'],
    ['１５００', 1500, 'JPY'],
    ['1\u200b500', 1500, 'JPY'],
    ['$12.50', 1250, 'USD'],
    ['12.50 usd', 1250, 'USD'],
    ['₩15000', 15000, 'KRW'],
  ])('understands the amount %j', (input, amount, currency) => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.say(input);
    expect(driver.slots).toMatchObject({ step: 'name', draft: { amount, currency } });
  });

  it.each([
    ['   ', "can't be empty"],
    ['\u200b\u200d\ufeff', "can't be empty"],
    ['あ'.repeat(81), 'at most 80'],
    ['x'.repeat(10_000), 'at most 80'],
  ])('refuses the product name %j', (input, answer) => {
    const driver = quickAtName();
    const result = driver.say(input);
    expect(result.effect).toBeUndefined();
    expect(driver.slots).toMatchObject({ step: 'name' });
    expect(driver.text).toContain(answer);
  });

  it('treats a sentence starting with a command word as a product name, but a bare command as a command', () => {
    const driver = quickAtName();
    expect(driver.say('Summary book').effect).toMatchObject({ type: 'links.create', draft: { productName: 'Summary book' } });
    const other = quickAtName();
    other.say('help');
    expect(other.slots).toMatchObject({ step: 'name' });
    expect(other.text).toContain('You are making a payment link');
    // Another command leaves the dialog and runs normally: `quick` starts over.
    other.say('quick');
    expect(other.slots).toMatchObject({ step: 'amount', draft: {} });
  });

  it('goes back one step with the typed word or the button, showing the earlier answer', () => {
    const driver = quickAtName();
    driver.say('back');
    expect(driver.slots).toMatchObject({ step: 'amount', history: [] });
    expect(driver.text).toContain('Now: ¥1,500');
    driver.say('2000');
    driver.tap('Back');
    expect(driver.slots).toMatchObject({ step: 'amount' });
    driver.say('back');
    expect(driver.text).toContain('no earlier step');
    expect(driver.slots).toMatchObject({ step: 'amount' });
  });

  it('cancels by word or button and keeps nothing', () => {
    const typed = quickAtName();
    expect(typed.say('cancel')).toEqual({ state: null, replies: expect.any(Array) });
    expect(typed.text).toContain('Cancelled');
    const tapped = quickAtName('ja');
    expect(tapped.tap('キャンセル')).toEqual({ state: null, replies: expect.any(Array) });
    expect(tapped.text).toContain('キャンセルしました');
  });

  it('offers the existing link when the name is taken, and asks for another name', () => {
    const driver = quickAtName();
    driver.say('Tシャツ');
    const existing = linkView({ productName: 'Tシャツ' });
    const answer = driver.result({ type: 'links.duplicate', existing });
    expect(driver.slots).toMatchObject({ step: 'name' });
    expect((driver.slots['draft'] as Record<string, unknown>)['productName']).toBeUndefined();
    expect(answer.replies.map((reply) => reply.kind)).toEqual(['text', 'card', 'text']);
    expect(driver.text).toContain('already have a link called "Tシャツ"');
    expect(buttonsOf(answer.replies).some((button) => button.action.type === 'copy' && button.action.text === existing.url)).toBe(true);
    expect(driver.say('Tシャツ M').effect).toMatchObject({ type: 'links.create', draft: { productName: 'Tシャツ M' } });
  });

  it.each([
    ['inactive', { status: 'inactive' as const }],
    ['expired', { expiresAt: '2026-11-01T00:00:00.000Z' }],
  ])('does not offer to share an existing link that is %s, and says how to sell through it again', (_state, overrides) => {
    const driver = quickAtName();
    driver.say('Tシャツ');
    driver.result({ type: 'links.duplicate', existing: linkView({ productName: 'Tシャツ', ...overrides }) });
    expect(driver.slots).toMatchObject({ step: 'name' });
    expect(driver.text).toContain('is not taking payments');
    expect(driver.text).toContain('reactivate it (owners only) or change its expiry');
    expect(driver.text).not.toContain('share the existing link');
  });

  it('advanced settings: what the buyer page asks and offers (quantity, details, question, after-payment message, payment methods)', () => {
    const driver = new DialogDriver('ja');
    driver.say('quick');
    driver.tap('詳細設定');
    driver.say('1200');
    driver.say('手ぬぐい');
    driver.result({ type: 'links.nameChecked', productName: '手ぬぐい', existing: null });
    expect(driver.slots).toMatchObject({ step: 'advanced' });

    driver.tap('数量を編集');
    driver.say('1〜5');
    driver.tap('購入者の情報を編集');
    driver.say('名前、誕生日');
    expect(driver.text).toContain('名前、電話、メール、住所から選んで');
    driver.tap('名前＋電話');
    driver.tap('質問を編集');
    driver.say('柄は？ 桜 / 波');
    driver.tap('支払い後のメッセージを編集');
    driver.say('3日以内に発送します。');
    driver.tap('支払い方法を編集');
    driver.say('カード、PayPay');
    expect(driver.slots).toMatchObject({ step: 'advanced' });
    expect(driver.text).toContain('1〜5（購入者が選択）');
    expect(driver.text).toContain('カード、PayPay');

    const issued = driver.tap('リンクを作成');
    expect(issued.effect).toMatchObject({
      type: 'links.create',
      draft: {
        quantityMin: 1,
        quantityMax: 5,
        buyerAsk: ['name', 'phone'],
        question: { text: '柄は?', choices: ['桜', '波'] },
        afterPaymentMessage: '3日以内に発送します。',
        paymentTypes: ['credit_card', 'paypay'],
      },
    });
  });

  it('advanced settings: description, image, page language, usage limit and expiry before issuing', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.tap('Advanced settings');
    expect(driver.text).toContain("I'll show the advanced settings");
    expect(driver.labels).not.toContain('Advanced settings');
    driver.say('1500');
    const checked = driver.say('Mug');
    expect(checked.effect).toEqual({ type: 'links.checkName', merchantId: MEMBERSHIP.merchantId, productName: 'Mug' });
    driver.result({ type: 'links.nameChecked', productName: 'Mug', existing: null });
    expect(driver.slots).toMatchObject({ step: 'advanced' });
    expect(driver.labels).toEqual(expect.arrayContaining(['Issue link', 'Edit Description', 'Edit Image', 'Edit Page language', 'Edit Usage limit', 'Edit Expiry']));
    expect(driver.labels).not.toContain('Edit Price');

    driver.tap('Edit Description');
    expect(driver.text).toContain('Tax included or excluded');
    driver.say('Ceramic mug, 350 ml.\nShips in 3 days.');
    expect(driver.slots).toMatchObject({ step: 'advanced' });

    driver.tap('Edit Image');
    const fetch = driver.send({ kind: 'image', messageId: 'msg-1' });
    expect(fetch.effect).toEqual({ type: 'links.fetchImage', merchantId: MEMBERSHIP.merchantId, messageId: 'msg-1' });
    driver.result({ type: 'links.imageFetched', ok: true, mediaId: 'img_1', imageUrl: 'https://pay.example/media/img_1' });
    expect(driver.text).toContain('Photo saved');
    const card = driver.last.replies.find((reply) => reply.kind === 'card');
    expect(card?.kind === 'card' && card.card.imageUrl).toBe('https://pay.example/media/img_1');

    driver.tap('Edit Page language');
    driver.tap('한국어');
    driver.tap('Edit Usage limit');
    driver.say('ten');
    expect(driver.text).toContain('whole number');
    driver.say('10回');
    driver.tap('Edit Expiry');
    driver.say('2020-01-01');
    expect(driver.text).toContain('already in the past');
    driver.tap('7 days');
    expect(driver.slots).toMatchObject({ step: 'advanced' });
    expect(driver.text).toContain('10 payments');

    const issued = driver.tap('Issue link');
    expect(issued.effect).toEqual({
      type: 'links.create',
      merchantId: MEMBERSHIP.merchantId,
      draft: {
        amount: 1500,
        currency: 'JPY',
        productName: 'Mug',
        description: 'Ceramic mug, 350 ml.\nShips in 3 days.',
        imageId: 'img_1',
        imageUrl: 'https://pay.example/media/img_1',
        language: 'ko',
        status: 'active',
        usageLimit: 10,
        expiresAt: new Date(Date.parse('2026-11-28T03:00:00.000Z') + 7 * 86_400_000).toISOString(),
      },
    });
    driver.result({ type: 'links.created', link: linkView() });
    expect(driver.state).toBeNull();
  });

  it('refuses photos that are too large, not images, or gone, and stays on the image step', () => {
    for (const [reason, answer] of [
      ['too_large', 'larger than 2 MB'],
      ['not_image', "isn't a JPEG or PNG"],
      ['unavailable', "couldn't download"],
    ] as const) {
      const driver = new DialogDriver('en');
      driver.say('quick');
      driver.tap('Advanced settings');
      driver.say('1500');
      driver.say('Mug');
      driver.result({ type: 'links.nameChecked', productName: 'Mug', existing: null });
      driver.tap('Edit Image');
      driver.send({ kind: 'image', messageId: 'm' });
      driver.result({ type: 'links.imageFetched', ok: false, reason });
      expect(driver.text).toContain(answer);
      expect(driver.slots).toMatchObject({ step: 'image' });
      driver.tap('Skip');
      expect(driver.slots).toMatchObject({ step: 'advanced', draft: { imageId: null } });
    }
  });

  it('answers a photo sent at a step that takes none, and an unsupported message, without losing the dialog', () => {
    const driver = quickAtName();
    driver.send({ kind: 'image', messageId: 'm' });
    expect(driver.text).toContain("can't use a photo");
    expect(driver.last.effect).toBeUndefined();
    driver.send({ kind: 'unsupported' });
    expect(driver.slots).toMatchObject({ step: 'name', draft: { amount: 1500 } });
  });

  it('refuses buttons that do not belong to the current step', () => {
    const driver = quickAtName();
    for (const [action, args] of [
      ['links.save', []],
      ['links.issue', []],
      ['links.edit', ['amount']],
      ['links.pick', ['active']],
      ['links.skip', []],
      ['links.unknown', []],
    ] as const) {
      const result = driver.send({ kind: 'postback', action, args: [...args], dialogId: 'dlg-1' });
      expect(result.effect).toBeUndefined();
      expect(driver.slots).toMatchObject({ step: 'name' });
    }
  });

  it('refuses a button of an older dialog politely', () => {
    const driver = quickAtName();
    driver.send({ kind: 'postback', action: 'back', args: [], dialogId: 'old-dialog' });
    expect(driver.text).toContain('already ended');
    expect(driver.slots).toMatchObject({ step: 'name' });
  });

  it('resets politely when the stored slots no longer fit the code', () => {
    const driver = quickAtName();
    driver.state = { ...driver.state!, slots: { step: 'teleport', draft: 'x' } };
    expect(driver.say('1500').state).toBeNull();
    expect(driver.text).toContain("couldn't continue");
  });

  it('ends the dialog when the user is no longer a member', () => {
    const driver = quickAtName();
    driver.ctx = { ...driver.ctx, membership: null };
    expect(driver.say('Mug').state).toBeNull();
    expect(driver.text).toContain('not a member');
    const again = quickAtName();
    again.say('Mug');
    expect(again.result({ type: 'links.rejected', reason: 'notMember' }).state).toBeNull();
    expect(again.text).toContain('not a member');
  });

  it('keeps the dialog when the draft was refused as invalid', () => {
    const driver = quickAtName();
    driver.say('Mug');
    driver.result({ type: 'links.rejected', reason: 'invalid' });
    expect(driver.text).toContain('no longer valid');
    expect(driver.state).not.toBeNull();
  });

  it('tells a non-member how to join instead of starting', () => {
    const driver = new DialogDriver('en', { membership: null });
    expect(driver.say('quick').state).toBeNull();
    expect(driver.text).toContain('invite code');
  });

  it('shows a link created after its dialog expired (result with no dialog)', () => {
    const driver = new DialogDriver('en');
    const result = driver.result({ type: 'links.created', link: linkView() });
    expect(result.replies.map((reply) => reply.kind)).toEqual(['card', 'image', 'text']);
  });
});

describe('starting from buttons', () => {
  it('the help card buttons start Quick and Create', () => {
    const driver = new DialogDriver('en');
    driver.say('help');
    driver.tap('Quick link');
    expect(driver.state?.name).toBe('links.quick');
    driver.say('help');
    expect(driver.state?.name).toBe('links.quick');
    driver.say('cancel');
    driver.say('help');
    driver.tap('Create');
    expect(driver.state?.name).toBe('links.create');
  });

  it('a button may carry the amount', () => {
    const driver = new DialogDriver('en');
    driver.send({ kind: 'postback', action: 'quick', args: ['2500'], dialogId: null });
    expect(driver.slots).toMatchObject({ step: 'name', draft: { amount: 2500, currency: 'JPY' } });
  });
});

describe('shop scoping', () => {
  it('closes the dialog when the user switched to another shop mid-way', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.say('1500');
    driver.ctx = { ...driver.ctx, membership: { merchantId: 'm-2', merchantName: 'Other', role: 'staff' } };
    expect(driver.say('Mug')).toEqual({ state: null, replies: expect.any(Array) });
    expect(driver.text).toContain('switched to another shop');
  });
});

describe('advanced settings scope', () => {
  it('does not let the advanced menu edit the price or status', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.tap('Advanced settings');
    driver.say('1500');
    driver.say('Mug');
    driver.result({ type: 'links.nameChecked', productName: 'Mug', existing: null });
    for (const field of ['amount', 'status', 'name']) {
      driver.send({ kind: 'postback', action: 'links.edit', args: [field], dialogId: 'dlg-1' });
      expect(driver.slots).toMatchObject({ step: 'advanced' });
      expect(driver.text).toContain('use the buttons');
    }
    // Back from the menu returns to the product name.
    driver.tap('Back');
    expect(driver.slots).toMatchObject({ step: 'name' });
  });
});

describe('idle expiry', () => {
  it('a dialog idle for 30 minutes is closed with a note, and the late answer is not taken as a price', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.ctx = { ...driver.ctx, now: new Date(driver.ctx.now.getTime() + 30 * 60 * 1000) };
    const late = driver.say('1500');
    expect(late.state).toBeNull();
    expect(late.effect).toBeUndefined();
    expect(driver.text).toContain('timed out');
  });

  it('every answer pushes the expiry out again', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.ctx = { ...driver.ctx, now: new Date(driver.ctx.now.getTime() + 29 * 60 * 1000) };
    driver.say('1500');
    driver.ctx = { ...driver.ctx, now: new Date(driver.ctx.now.getTime() + 29 * 60 * 1000) };
    expect(driver.say('Mug').effect).toMatchObject({ type: 'links.create' });
  });
});
