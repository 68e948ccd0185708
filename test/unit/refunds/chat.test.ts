// The refund dialogs as the pure core runs them: what each step asks, what it refuses, the
// effect it ends with, and that every reply fits LINE's limits with an 80-character Japanese name.
import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../../src/line/line-limits.js';
import { renderReplies } from '../../../src/line/render.js';
import type { RefundPaymentView } from '../../../src/refunds/effects.js';
import { toAccountName, toAccountNumber, toAccountType, toBranchNumber } from '../../../src/refunds/refund-request-fields.js';
import { DialogDriver, MEMBERSHIP } from '../../support/dialog-driver.js';

const LONG_NAME = '北海道産の朝摘み有機栽培ほうじ茶と季節の和菓子の詰め合わせ'.repeat(3).slice(0, 80);

function payment(overrides: Partial<RefundPaymentView> = {}): RefundPaymentView {
  return {
    id: 'pay_abcdefghijklmnopqrstuvwxy',
    linkId: 'lnk_1',
    productName: LONG_NAME,
    currency: 'JPY',
    amount: 1500,
    total: 1500,
    paymentMethodFee: 0,
    refundedAmount: 0,
    left: 1500,
    pendingRequested: 0,
    feeRequested: false,
    status: 'captured',
    state: 'captured',
    paymentMethod: 'credit_card',
    paidAt: '2026-11-27T01:00:00.000Z',
    paymentDeadline: null,
    byRequest: false,
    testMode: true,
    ...overrides,
  };
}

function fitsLine(driver: DialogDriver): void {
  expect(messageProblems(renderReplies(driver.last.replies, 'secret'))).toEqual([]);
}

describe('refund dialog', () => {
  it.each(['en', 'ja', 'ko'] as const)('asks the amount, confirms with the facts and ends in one refund effect (%s)', (language) => {
    const driver = new DialogDriver(language);
    driver.result({ type: 'refunds.paymentLoaded', purpose: 'refund', payment: payment({ refundedAmount: 500, left: 1000, state: 'partially_refunded' }) });
    fitsLine(driver);
    driver.say('1001');
    expect(driver.state?.name).toBe('refunds.amount');
    driver.say('300');
    expect(driver.state?.name).toBe('refunds.confirm');
    expect(driver.text).toContain(LONG_NAME);
    fitsLine(driver);
    const dialogId = driver.state?.dialogId;
    const confirm = driver.labels[0] ?? '';
    driver.tap(confirm);
    expect(driver.last.effect).toEqual({ type: 'refunds.refund', merchantId: MEMBERSHIP.merchantId, paymentId: 'pay_abcdefghijklmnopqrstuvwxy', amount: 300, dialogId });
    expect(driver.state).toBeNull();
  });

  it('reads amounts in the payment currency and refuses another one', () => {
    const driver = new DialogDriver('en');
    driver.result({ type: 'refunds.paymentLoaded', purpose: 'refund', payment: payment({ currency: 'USD', amount: 1250, total: 1250, left: 1250 }) });
    expect(driver.text).toContain('$12.50');
    driver.say('¥500');
    expect(driver.text).toContain('made in USD');
    driver.say('5.25');
    expect(driver.text).toContain('Refund $5.25?');
  });

  it('staff are refused before any effect', () => {
    const driver = new DialogDriver('ja', { membership: { ...MEMBERSHIP, role: 'staff' } });
    driver.send({ kind: 'postback', action: 'refunds.start', args: ['pay_x'], dialogId: null });
    expect(driver.last.effect).toBeUndefined();
    expect(driver.text).toBe('返金と取消ができるのはショップのオーナーだけです。');
  });

  it('sends konbini payments to the request dialog, skipping the fee question when there was no fee', () => {
    const driver = new DialogDriver('ko');
    driver.result({ type: 'refunds.paymentLoaded', purpose: 'refund', payment: payment({ paymentMethod: 'konbini', byRequest: true }) });
    expect(driver.text).toContain('편의점 결제로 결제돼서');
    fitsLine(driver);
    for (const answer of ['1500', 'ヤマダ タロウ', '三井住友銀行', '123']) driver.say(answer);
    driver.tap('보통');
    driver.say('7654321');
    expect(driver.state?.slots).toMatchObject({ step: 'confirm', fields: { includePaymentMethodFee: false, accountNumber: '7654321' } });
    fitsLine(driver);
    driver.tap('요청 보내기');
    expect(driver.last.effect).toMatchObject({ type: 'refunds.request', fields: { customerName: 'ﾔﾏﾀﾞ ﾀﾛｳ', bankName: '三井住友銀行', branchNumber: '123', accountType: 'normal' } });
  });

  it('confirms a cancel only for a payment awaiting payment', () => {
    const driver = new DialogDriver('en');
    driver.result({ type: 'refunds.paymentLoaded', purpose: 'cancel', payment: payment() });
    expect(driver.text).toContain('Only a payment still awaiting payment can be cancelled');
    driver.result({ type: 'refunds.paymentLoaded', purpose: 'cancel', payment: payment({ status: 'authorized', state: 'awaiting', paymentDeadline: '2026-11-30T14:59:00.000Z' }) });
    expect(driver.text).toContain('Pay by: Nov 30, 2026, 11:59 PM');
    driver.tap('Cancel this payment');
    expect(driver.last.effect).toMatchObject({ type: 'refunds.cancel', paymentId: 'pay_abcdefghijklmnopqrstuvwxy' });
  });
});

describe('refund request fields', () => {
  it.each([
    ['ヤマダ タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['やまだ　たろう', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['パンプキン ヴォーグ', 'ﾊﾟﾝﾌﾟｷﾝ ｳﾞｫｰｸﾞ'],
    ['カ）ヤマダショウジ', 'ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ'],
    ['山田太郎', null],
    ['ア'.repeat(31), null],
  ])('account name %s → %s', (input, expected) => {
    expect(toAccountName(input)).toBe(expected);
  });

  it('reads branch and account numbers and account types', () => {
    expect(toBranchNumber('０１２')).toBe('012');
    expect(toBranchNumber('12')).toBeNull();
    expect(toAccountNumber('123-4567')).toBe('1234567');
    expect(toAccountNumber('12345678')).toBeNull();
    expect(toAccountType('普通')).toBe('normal');
    expect(toAccountType('당좌')).toBe('checking');
    expect(toAccountType('savings account')).toBeNull();
    // KOMOJU's own enum has savings (貯蓄): it is not an ordinary account.
    expect(toAccountType('savings')).toBe('savings');
    expect(toAccountType('貯蓄預金')).toBe('savings');
    expect(toAccountType('저축')).toBe('savings');
    // A leading zero is part of the account number.
    expect(toAccountNumber('０１２３４５６')).toBe('0123456');
  });
});
