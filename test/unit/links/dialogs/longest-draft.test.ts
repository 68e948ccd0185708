// Every card the link dialogs send, with every field at its longest real value (an 80-character
// Japanese name, a 1,000-character description, 10 choices of 40 characters, …), stays within
// LINE's documented limits once rendered: UTF-16 units for text, graphemes for labels, bubble bytes.
import { describe, expect, it } from 'vitest';
import type { Context, DialogState, Input, Reply } from '../../../../src/conversation/types.js';
import { assembleMachine, step } from '../../../../src/conversation/machine.js';
import { LANGUAGES } from '../../../../src/i18n/i18n.js';
import { LINE_LIMITS, messageProblems } from '../../../../src/line/line-limits.js';
import { renderReplies } from '../../../../src/line/render.js';
import { graphemeCount } from '../../../../src/line/text-units.js';
import { advancedReply, reviewReply } from '../../../../src/links/dialogs/draft-card.js';
import { moreOptionsReply } from '../../../../src/links/dialogs/more-options.js';
import { linkChat } from '../../../../src/links/chat.js';
import { LINK_FIELDS } from '../../../../src/links/fields/link-fields.js';
import type { LinkDraft } from '../../../../src/links/link-draft.js';
import { salesChat } from '../../../../src/sales/chat.js';
import { testContext } from '../../../support/context.js';
import { buttonsOf } from '../../../support/dialog-driver.js';
import { salesLink } from '../../sales/sales-fixtures.js';

const NOW = new Date('2026-11-28T03:00:00.000Z');
const NAME = '北海道産の有機栽培そば粉を使った手打ち十割そばと季節の天ぷら盛り合わせのセット（二人前・冷蔵便でお届け・賞味期限三日）と自家製つゆ・薬味・そば湯用のそば粉の詰め合わせ'.slice(0, 80);
const CHOICE = 'とても長い選択肢の名前がここに入りますとても長い選択肢の名前がここに入ります'.slice(0, 40);

/** A draft filled through each field's own parser, so every value is one the chat can really hold. */
function longestDraft(ctx: Context): LinkDraft {
  const answers: Record<string, string> = {
    amount: '99999',
    name: NAME,
    description: 'あ'.repeat(1000),
    language: 'ja',
    status: 'active',
    usageLimit: '1000000',
    quantity: '1-99',
    priceRange: '1000-99999: 1000 2000 3000 4000',
    tips: '10% 15% 20% 25%',
    buyerAsk: 'name phone email address',
    question: `${'い'.repeat(99)}? ${Array.from({ length: 10 }, (_, index) => `${index}${CHOICE}`.slice(0, 40)).join(' / ')}`,
    afterPayment: 'う'.repeat(500),
    paymentTypes: 'card konbini bank payeasy paypay merpay rakuten au paidy',
    expiry: '2027-11-27',
  };
  let draft: LinkDraft = { imageId: 'img_1', imageUrl: 'https://shop.example/media/img_1' };
  for (const field of LINK_FIELDS) {
    const answer = answers[field.id];
    if (answer === undefined) continue;
    const parsed = field.parse(answer, ctx, draft);
    if (!parsed.ok) throw new Error(`${field.id}: ${parsed.error}`);
    draft = { ...draft, ...parsed.changes };
  }
  return draft;
}

function problems(replies: Reply[]) {
  return messageProblems(renderReplies(replies, 'secret'));
}

describe.each(LANGUAGES)('the link dialogs at their longest, in %s', (language) => {
  const ctx = testContext({ now: NOW, language, membership: { merchantId: 'm1', merchantName: 'お茶の店', role: 'owner' }, newDialogId: 'dlg1' });

  it('renders the review card, its More options carousel and the Advanced settings card within LINE limits', () => {
    const draft = longestDraft(ctx);
    expect(draft.productName).toHaveLength(80);
    const review = reviewReply(draft, 'dlg1', ctx);
    const more = moreOptionsReply(draft, 'dlg1', ctx);
    expect(problems([review])).toEqual([]);
    expect(problems([more])).toEqual([]);
    expect(problems([review, more])).toEqual([]);
    expect(problems([advancedReply(draft, 'dlg1', ctx)])).toEqual([]);
    // Everything set but billing (a subscription takes no limit, range or tip): every other field is a row, and still four buttons.
    if (review.kind !== 'card') throw new Error('expected a card');
    expect(review.card.rows).toHaveLength(LINK_FIELDS.length - 1);
    expect(review.card.buttons).toHaveLength(4);
  });

  it('writes every button label of these cards within LINE’s 20 graphemes, so none is cut short', () => {
    const draft = longestDraft(ctx);
    const replies = [reviewReply(draft, 'dlg1', ctx), moreOptionsReply(draft, 'dlg1', ctx), advancedReply(draft, 'dlg1', ctx)];
    const tooLong = buttonsOf(replies)
      .map((button) => button.label)
      .filter((label) => graphemeCount(label) > LINE_LIMITS.quickReplyLabel);
    expect(tooLong).toEqual([]);
  });

  it('renders every question, with its choices and current value, within LINE limits', () => {
    const draft = longestDraft(ctx);
    const machine = assembleMachine([linkChat]);
    let state: DialogState | null = step(machine, null, { kind: 'text', text: 'create', command: { command: 'create', argument: '' } } as Input, ctx).state;
    for (const field of LINK_FIELDS) {
      if (!state) throw new Error('the dialog ended');
      const asked = { ...state, slots: { ...state.slots, step: field.id, draft } };
      const replies = step(machine, asked, { kind: 'postback', action: 'links.help', args: [], dialogId: asked.dialogId }, ctx).replies;
      expect(problems(replies), field.id).toEqual([]);
      state = asked;
    }
  });

  it('renders the edit menu of a link with everything set within LINE limits', () => {
    const machine = assembleMachine([salesChat, linkChat]);
    const link = salesLink({ productName: NAME, description: 'あ'.repeat(1000), afterPaymentMessage: 'う'.repeat(500), usageLimit: 1_000_000, quantityMin: 1, quantityMax: 99 });
    const opened = step(machine, null, { kind: 'result', result: { type: 'sales.linkLoaded', purpose: 'edit', link } }, ctx);
    expect(problems(opened.replies)).toEqual([]);
  });
});
