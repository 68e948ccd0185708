// The price range and tips in chat: read from what merchants type, through quick → Advanced
// settings into the create effect, shown on the review card and the link card, tips editable.
import { describe, expect, it } from 'vitest';
import { linkCard, shareText } from '../../../../src/links/link-card.js';
import { parseBuyerPrice, parseTipOptions } from '../../../../src/links/link-price.js';
import { DialogDriver, contextFor, linkView } from '../../../support/dialog-driver.js';
import { context, salesLink } from '../../sales/sales-fixtures.js';
import { summaryCard } from '../../../../src/sales/summary-card.js';
import { salesLinkCard } from '../../../../src/sales/links-carousel.js';
import { transactionsReply } from '../../../../src/sales/transactions.js';

describe('price range and tips typed in chat', () => {
  it.each([
    ['500-5000', { min: 500, max: 5000, presets: [] }],
    ['¥500〜¥5,000：1,000 2,000 3,000', { min: 500, max: 5000, presets: [1000, 2000, 3000] }],
    ['５００から５０００ / ３０００ / １０００', { min: 500, max: 5000, presets: [1000, 3000] }],
    ['500 to 5000: 1000, 2000, 3000, 4000', { min: 500, max: 5000, presets: [1000, 2000, 3000, 4000] }],
  ])('reads %j', (typed, price) => {
    expect(parseBuyerPrice(typed, 'JPY')).toEqual({ ok: true, price });
  });

  it.each([
    ['500', 'not_a_range'],
    ['5000-500', 'min_above_max'],
    ['500-5000: 6000', 'preset_out_of_range'],
    ['500-5000: 1000 2000 3000 4000 4500', 'too_many_presets'],
    ['$5-$50', 'other_currency'],
    ['500-99999999', 'too_large'],
  ])('refuses %j (%s)', (typed, reason) => {
    expect(parseBuyerPrice(typed, 'JPY', typed.endsWith('99999999') ? 2 : 1)).toEqual({ ok: false, reason });
  });

  it('reads tips as percentages or amounts, never both', () => {
    expect(parseTipOptions('10% 15% 20%', 'JPY')).toEqual({ ok: true, tips: { kind: 'percent', values: [10, 15, 20] } });
    expect(parseTipOptions('１０，１５，２０％', 'JPY')).toEqual({ ok: true, tips: { kind: 'percent', values: [10, 15, 20] } });
    expect(parseTipOptions('¥200 500', 'JPY')).toEqual({ ok: true, tips: { kind: 'amount', values: [200, 500] } });
    expect(parseTipOptions('10% 200', 'JPY')).toEqual({ ok: false, reason: 'mixed' });
    expect(parseTipOptions('60%', 'JPY')).toEqual({ ok: false, reason: 'percent_out_of_range' });
    expect(parseTipOptions('1% 2% 3% 4% 5%', 'JPY')).toEqual({ ok: false, reason: 'too_many' });
  });

  it('quick → Advanced settings: a buyer-chosen price with buttons and tips go into the create effect', () => {
    const driver = new DialogDriver('ja');
    driver.say('quick');
    driver.tap('詳細設定');
    driver.say('1200');
    driver.say('手ぬぐい');
    driver.result({ type: 'links.nameChecked', productName: '手ぬぐい', existing: null });
    driver.tap('購入者が選ぶ価格を編集');
    expect(driver.text).toContain('最低と最高');
    driver.say('500-100');
    expect(driver.text).toContain('最低の価格は最高より低くしてください。');
    driver.say('500〜5000：1000 2000 3000');
    driver.tap('チップを編集');
    driver.say('10% 15% 20%');
    expect(driver.slots).toMatchObject({ step: 'advanced' });
    expect(driver.text).toContain('お好きな価格：¥500〜¥5,000（ボタン：¥1,000、¥2,000、¥3,000）');
    expect(driver.text).toContain('10%、15%、20%（合計に対して）');
    const issued = driver.tap('リンクを作成');
    expect(issued.effect).toMatchObject({
      type: 'links.create',
      draft: { amount: 500, amountMin: 500, amountMax: 5000, amountPresets: [1000, 2000, 3000], tipOptions: { kind: 'percent', values: [10, 15, 20] } },
    });
  });

  it('the link card and the share text say the buyer chooses', () => {
    const link = linkView({ language: 'en', amount: 500, price: { mode: 'buyer', min: 500, max: 5000, presets: [1000, 2000] }, tipOptions: { kind: 'amount', values: [200, 500] } });
    const card = linkCard(link, contextFor('en'));
    expect(card.subtitle).toBe('You choose: ¥500–¥5,000');
    expect(card.rows).toEqual(
      expect.arrayContaining([
        { label: 'Preset amounts', value: '¥1,000, ¥2,000' },
        { label: 'Tips', value: '¥200, ¥500' },
      ]),
    );
    expect(shareText(link)).toContain('You choose: ¥500–¥5,000');
  });

  it('the summary card, the links list and the transactions describe a buyer-chosen price and what was chosen', () => {
    const link = salesLink({ amount: 500, price: { mode: 'buyer', min: 500, max: 5000, presets: [] } });
    const summary = { capturedAmount: 2900, capturedPayments: 1, pendingPayments: 0, refundedPayments: 0, asOf: '2026-11-28T08:05:00.000Z' };
    const card = summaryCard(link, summary, context('ja'));
    expect(card.kind === 'card' && card.card.rows).toEqual(expect.arrayContaining([{ label: '価格', value: 'お好きな価格：¥500〜¥5,000' }]));
    expect(salesLinkCard(link, context('en')).subtitle).toBe('You choose: ¥500–¥5,000');
    const transactions = transactionsReply(
      {
        link,
        page: 1,
        hasMore: false,
        transactions: [
          {
            id: 'pay_1',
            state: 'captured',
            amount: 2900,
            refundedAmount: 0,
            at: '2026-11-28T08:00:00.000Z',
            choices: { chosenAmount: 3000, discountCode: 'SPRING10', discountAmount: 300, tipAmount: 200 },
          },
        ],
      },
      context('ko'),
    );
    const row = transactions.kind === 'card' ? transactions.card.rows[0]?.value : '';
    expect(row).toContain('결제 완료 ¥2,900\n¥3,000(구매자가 선택)\n쿠폰 SPRING10 −¥300\n팁 ¥200');
  });

  it('edit changes the tips of an issued link', () => {
    const driver = new DialogDriver('en');
    driver.result({ type: 'sales.linkLoaded', purpose: 'edit', link: salesLink() });
    driver.tap('Tips');
    driver.say('5% 10%');
    expect(driver.last.effect).toEqual({ type: 'links.update', merchantId: 'm-1', linkId: 'link1', change: { field: 'tipOptions', value: { kind: 'percent', values: [5, 10] } } });
  });
});
