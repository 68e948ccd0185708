// The refund, cancel and bank refund request screens as a Japanese or Korean owner reads them, kept
// as text beside this test (like rendered-text.test.ts) so a change of wording shows up in review.
import { describe, expect, it } from 'vitest';
import type { Card, Reply } from '../../../src/conversation/types.js';
import type { RefundPaymentView } from '../../../src/refunds/effects.js';
import { DialogDriver } from '../../support/dialog-driver.js';

function cardLines(card: Card): string[] {
  return [
    ...(card.badge ? [`<${card.badge}>`] : []),
    `# ${card.title}`,
    ...(card.subtitle ? [card.subtitle] : []),
    ...card.rows.map((row) => `${row.label}: ${row.value}`),
    ...(card.footnote ? card.footnote.split('\n').map((line) => `> ${line}`) : []),
    ...(card.buttons.length > 0 ? [card.buttons.map((button) => `[${button.label}]`).join(' ')] : []),
  ];
}

function replyText(reply: Reply): string {
  const quick = reply.kind !== 'image' && reply.quickReplies ? [reply.quickReplies.map((button) => `[${button.label}]`).join(' ')] : [];
  switch (reply.kind) {
    case 'text':
      return [reply.text, ...quick].join('\n');
    case 'card':
      return [`(alt: ${reply.altText})`, ...cardLines(reply.card), ...quick].join('\n');
    case 'carousel':
      return [`(alt: ${reply.altText})`, ...reply.cards.flatMap((card, index) => [`--- ${index + 1}`, ...cardLines(card)]), ...quick].join('\n');
    case 'image':
      return `(image ${reply.url})`;
  }
}

const PRODUCT = { ja: '抹茶のロールケーキ', ko: '말차 롤케이크' } as const;

function payment(language: 'ja' | 'ko', overrides: Partial<RefundPaymentView> = {}): RefundPaymentView {
  return {
    id: 'pay_0123456789abcdefghijklmno',
    linkId: 'lnk_1',
    productName: PRODUCT[language],
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
    testMode: false,
    ...overrides,
  };
}

function screens(language: 'ja' | 'ko'): string {
  const out: string[] = [];
  const show = (title: string, driver: DialogDriver) => out.push(`== ${title}\n${driver.last.replies.map(replyText).join('\n\n')}\n`);

  const refund = new DialogDriver(language);
  refund.result({
    type: 'refunds.paymentsListed',
    linkId: 'lnk_1',
    page: 1,
    productName: PRODUCT[language],
    payments: [payment(language), payment(language, { status: 'authorized', state: 'awaiting', paymentMethod: 'konbini', paymentDeadline: '2026-11-30T14:59:00.000Z' })],
  });
  show('refundable payments', refund);
  refund.result({ type: 'refunds.paymentLoaded', purpose: 'refund', payment: payment(language) });
  show('refund: how much', refund);
  refund.say('500');
  show('refund: confirm', refund);
  refund.result({ type: 'refunds.refunded', payment: { ...payment(language), refundedAmount: 500, left: 1000 }, amount: 500, full: false });
  show('refunded', refund);

  const cancel = new DialogDriver(language);
  cancel.result({
    type: 'refunds.paymentLoaded',
    purpose: 'cancel',
    payment: payment(language, { status: 'authorized', state: 'awaiting', paymentMethod: 'konbini', paymentDeadline: '2026-11-30T14:59:00.000Z' }),
  });
  show('cancel: confirm', cancel);

  const request = new DialogDriver(language);
  request.result({ type: 'refunds.paymentLoaded', purpose: 'refund', payment: payment(language, { paymentMethod: 'konbini', byRequest: true, total: 1690, left: 1690, paymentMethodFee: 190 }) });
  show('bank refund request', request);
  for (const answer of ['1500', 'ヤマダ タロウ', 'みずほ銀行', '012']) request.say(answer);
  request.tap(language === 'ja' ? '普通' : '보통');
  request.say('1234567');
  show('bank refund request: fee', request);
  request.tap(language === 'ja' ? '手数料も返す' : '수수료도 돌려주기');
  show('bank refund request: confirm', request);

  for (const refusal of [{ reason: 'notOwner' }, { reason: 'alreadyRefunded' }, { reason: 'notCaptured', status: 'authorized' }, { reason: 'tooMuch', left: 700, currency: 'JPY' }] as const) {
    const refused = new DialogDriver(language);
    refused.result({ type: 'refunds.refused', ...refusal });
    show(`refused: ${refusal.reason}`, refused);
  }
  return out.join('\n');
}

describe.each(['ja', 'ko'] as const)('%s refund screens as people read them', (language) => {
  it('refund, cancel and bank refund request', async () => {
    await expect(screens(language)).toMatchFileSnapshot(`./rendered/${language}-refunds.txt`);
  });
});
