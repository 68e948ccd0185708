// Giving money back from the chat, for the shop's owner only: from a link's transactions, a
// payment's Refund (all that is left or a typed part) → a confirmation card → the provider; Cancel
// for a payment still awaiting payment; and for konbini / bank-transfer / Pay-easy payments, whose
// money cannot go back to a card, a bank refund request dialog. Staff never see these buttons, and
// the effects check the owner role again against the database (perform-effects.ts).
import { commandButton, continueDialog, reply, startDialog, text, type Capability, type ResultHandlers } from '../conversation/machine.js';
import { typedDialog } from '../conversation/typed-dialog.js';
import type { Button, Card, Context, DialogState, EffectResultOf, Reply, Step } from '../conversation/types.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import { parseAmount } from '../links/amount.js';
import { namedPaymentMethod } from '../payments/payment-status.js';
import { paymentSlotsSchema, refundConfirmSlotsSchema, refundRequestFieldsSchema, REQUEST_STEPS, requestSlotsSchema, type RequestSlots, type RequestStep } from './dialog-slots.js';
import type { RefundEffect, RefundPaymentView, RefundRequestFields } from './effects.js';
import { toAccountName, toAccountNumber, toAccountType, toBankName, toBranchNumber } from './refund-request-fields.js';

export const REFUND_ACTIONS = {
  choose: 'refunds.choose',
  start: 'refunds.start',
  cancel: 'refunds.cancel',
  full: 'refunds.full',
  confirm: 'refunds.confirm',
  keep: 'refunds.keep',
  confirmCancel: 'refunds.confirmCancel',
  accountType: 'refunds.accountType',
  fee: 'refunds.fee',
  send: 'refunds.send',
} as const;

const AMOUNT = 'refunds.amount';
const CONFIRM = 'refunds.confirm';
const CANCEL_CONFIRM = 'refunds.cancelConfirm';
const REQUEST = 'refunds.request';

/** KOMOJU's fee per bank refund request, from its help article (the amount is KOMOJU's to change). */
const REFUND_REQUEST_FEE_JPY = 600;

function price(amount: number, currency: string, ctx: Context): string {
  return formatStoredPrice(amount, currency, ctx.language);
}

function methodName(method: string | null, ctx: Context): string {
  const known = namedPaymentMethod(method);
  return known ? ctx.t(`refunds:method.${known}`) : (method ?? ctx.t('refunds:method.unknown'));
}

function run(effect: RefundEffect): Step {
  return { state: null, replies: [], effect };
}

function ownerOnly(ctx: Context): Step | null {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  return ctx.membership.role === 'owner' ? null : reply(text(ctx.t('refunds:refused.notOwner')));
}

function transactionsButton(payment: { linkId: string }, ctx: Context): Button {
  return commandButton(ctx.t('refunds:buttons.transactions'), 'sales.transactions', [payment.linkId]);
}

/** The buyer-visible facts of a payment, for every card here. */
function factRows(payment: RefundPaymentView, ctx: Context): Card['rows'] {
  const rows: Card['rows'] = [
    { label: ctx.t('refunds:facts.product'), value: payment.productName },
    // Not "Paid" while the buyer has yet to pay at a store or bank.
    { label: ctx.t(payment.state === 'awaiting' ? 'refunds:facts.due' : 'refunds:facts.paid'), value: price(payment.total, payment.currency, ctx) },
    { label: ctx.t('refunds:facts.date'), value: formatDateTime(payment.paidAt, ctx.language) },
    { label: ctx.t('refunds:facts.method'), value: methodName(payment.paymentMethod, ctx) },
  ];
  if (payment.refundedAmount > 0) rows.push({ label: ctx.t('refunds:facts.refunded'), value: price(payment.refundedAmount, payment.currency, ctx) });
  if (payment.state === 'awaiting' && payment.paymentDeadline) {
    rows.push({ label: ctx.t('refunds:facts.deadline'), value: formatDateTime(payment.paymentDeadline, ctx.language) });
  }
  rows.push({ label: ctx.t('refunds:facts.paymentId'), value: payment.id });
  return rows;
}

/** One bubble per payment the owner may act on, with Refund or Cancel. */
function paymentCard(payment: RefundPaymentView, ctx: Context): Card {
  const awaiting = payment.state === 'awaiting';
  const button = awaiting
    ? commandButton(ctx.t('refunds:buttons.cancelPayment'), REFUND_ACTIONS.cancel, [payment.id])
    : commandButton(ctx.t('refunds:buttons.refund'), REFUND_ACTIONS.start, [payment.id]);
  return {
    ...(payment.testMode ? { badge: ctx.t('refunds:test') } : {}),
    title: awaiting
      ? ctx.t('refunds:list.awaiting', { amount: price(payment.total, payment.currency, ctx) })
      : ctx.t('refunds:list.refundable', { amount: price(payment.left, payment.currency, ctx) }),
    rows: factRows(payment, ctx),
    buttons: [{ ...button, style: 'primary' }],
  };
}

function paymentsListed(result: EffectResultOf<'refunds.paymentsListed'>, ctx: Context): Step {
  const back = commandButton(ctx.t('refunds:buttons.transactions'), 'sales.transactions', [result.linkId, String(result.page)]);
  if (result.payments.length === 0) return reply(text(ctx.t('refunds:list.none', { product: result.productName }), [back]));
  return reply({
    kind: 'carousel',
    altText: ctx.t('refunds:list.altText', { product: result.productName }),
    cards: result.payments.map((payment) => paymentCard(payment, ctx)),
    quickReplies: [back],
  });
}

// ── Refund: amount → confirmation ──────────────────────────────────────────

function askAmount(payment: RefundPaymentView, state: DialogState, ctx: Context, lead: Reply[] = []): Step {
  const left = price(payment.left, payment.currency, ctx);
  const buttons = [commandButton(ctx.t('refunds:buttons.full', { amount: left }), REFUND_ACTIONS.full, [], state.dialogId)];
  return { state, replies: [...lead, text(ctx.t('refunds:amount.ask', { product: payment.productName, left }), buttons)] };
}

function confirmRefund(payment: RefundPaymentView, amount: number, state: DialogState, ctx: Context): Step {
  const next = continueDialog(state, ctx, { name: CONFIRM, slots: { payment, amount } });
  const formatted = price(amount, payment.currency, ctx);
  const full = amount === payment.left;
  const card: Card = {
    ...(payment.testMode ? { badge: ctx.t('refunds:test') } : {}),
    title: ctx.t('refunds:confirm.title', { amount: formatted }),
    subtitle: full ? ctx.t('refunds:confirm.full') : ctx.t('refunds:confirm.partial', { left: price(payment.left - amount, payment.currency, ctx) }),
    rows: factRows(payment, ctx),
    footnote: ctx.t('refunds:confirm.footnote'),
    buttons: [
      { ...commandButton(ctx.t('refunds:buttons.confirmRefund', { amount: formatted }), REFUND_ACTIONS.confirm, [], next.dialogId), style: 'primary' },
      { ...commandButton(ctx.t('refunds:buttons.keep'), REFUND_ACTIONS.keep, [], next.dialogId), style: 'secondary' },
    ],
  };
  return { state: next, replies: [{ kind: 'card', altText: card.title, card }] };
}

function readAmount(input: string, payment: RefundPaymentView, ctx: Context): { ok: true; amount: number } | { ok: false; message: string } {
  const left = price(payment.left, payment.currency, ctx);
  if (!isSupportedCurrency(payment.currency)) return { ok: false, message: ctx.t('refunds:amount.onlyFull', { left }) };
  const parsed = parseAmount(input, payment.currency);
  if (!parsed.ok) return { ok: false, message: ctx.t('refunds:amount.unreadable', { left }) };
  if (parsed.currency !== payment.currency) return { ok: false, message: ctx.t('refunds:amount.otherCurrency', { currency: payment.currency, left }) };
  if (parsed.amount > payment.left) return { ok: false, message: ctx.t('refunds:amount.tooMuch', { left }) };
  return { ok: true, amount: parsed.amount };
}

const amountDialog = typedDialog(paymentSlotsSchema, (state, { payment }, input, ctx) => {
  if (input.kind === 'postback' && input.action === REFUND_ACTIONS.full) return confirmRefund(payment, payment.left, state, ctx);
  if (input.kind !== 'text' || input.command) return null;
  const amount = readAmount(input.text, payment, ctx);
  if (!amount.ok) return askAmount(payment, continueDialog(state, ctx, {}), ctx, [text(amount.message)]);
  return confirmRefund(payment, amount.amount, state, ctx);
});

const confirmDialog = typedDialog(refundConfirmSlotsSchema, (state, { payment, amount }, input, ctx) => {
  if (input.kind === 'postback' && input.action === REFUND_ACTIONS.confirm) {
    const merchantId = ctx.membership?.merchantId;
    if (!merchantId) return reply(text(ctx.t('auth.notMember')));
    // The dialog ends here: a second press of the same button is a stale button, never a second refund.
    return run({ type: 'refunds.refund', merchantId, paymentId: payment.id, amount, dialogId: state.dialogId });
  }
  if (input.kind === 'postback' && input.action === REFUND_ACTIONS.keep) return reply(text(ctx.t('refunds:kept'), [transactionsButton(payment, ctx)]));
  if (input.kind === 'text' && !input.command) return { state, replies: [text(ctx.t('refunds:confirm.useButtons'))] };
  return null;
});

// ── Cancel an awaiting payment ─────────────────────────────────────────────

function confirmCancel(payment: RefundPaymentView, ctx: Context): Step {
  const state = startDialog(CANCEL_CONFIRM, ctx, { payment });
  const card: Card = {
    ...(payment.testMode ? { badge: ctx.t('refunds:test') } : {}),
    title: ctx.t('refunds:cancel.title', { amount: price(payment.total, payment.currency, ctx) }),
    subtitle: ctx.t('refunds:cancel.subtitle'),
    rows: factRows(payment, ctx),
    buttons: [
      { ...commandButton(ctx.t('refunds:buttons.confirmCancel'), REFUND_ACTIONS.confirmCancel, [], state.dialogId), style: 'primary' },
      { ...commandButton(ctx.t('refunds:buttons.keepPayment'), REFUND_ACTIONS.keep, [], state.dialogId), style: 'secondary' },
    ],
  };
  return { state, replies: [{ kind: 'card', altText: card.title, card }] };
}

const cancelConfirmDialog = typedDialog(paymentSlotsSchema, (state, { payment }, input, ctx) => {
  if (input.kind === 'postback' && input.action === REFUND_ACTIONS.confirmCancel) {
    const merchantId = ctx.membership?.merchantId;
    if (!merchantId) return reply(text(ctx.t('auth.notMember')));
    return run({ type: 'refunds.cancel', merchantId, paymentId: payment.id, dialogId: state.dialogId });
  }
  if (input.kind === 'postback' && input.action === REFUND_ACTIONS.keep) return reply(text(ctx.t('refunds:keptPayment'), [transactionsButton(payment, ctx)]));
  if (input.kind === 'text' && !input.command) return { state, replies: [text(ctx.t('refunds:confirm.useButtons'))] };
  return null;
});

// ── Bank refund request (konbini, bank transfer, Pay-easy) ────────────────

function requestPrompt(slots: RequestSlots, state: DialogState, ctx: Context): Reply {
  const { payment } = slots;
  const left = price(payment.left, payment.currency, ctx);
  switch (slots.step) {
    case 'amount':
      return text(ctx.t('refunds:request.amount', { left }), [commandButton(ctx.t('refunds:buttons.full', { amount: left }), REFUND_ACTIONS.full, [], state.dialogId)]);
    case 'name':
      return text(ctx.t('refunds:request.name', { max: 30 }));
    case 'bank':
      return text(ctx.t('refunds:request.bank'));
    case 'branch':
      return text(ctx.t('refunds:request.branch'));
    case 'type':
      return text(ctx.t('refunds:request.type'), [
        commandButton(ctx.t('refunds:accountType.normal'), REFUND_ACTIONS.accountType, ['normal'], state.dialogId),
        commandButton(ctx.t('refunds:accountType.checking'), REFUND_ACTIONS.accountType, ['checking'], state.dialogId),
        commandButton(ctx.t('refunds:accountType.savings'), REFUND_ACTIONS.accountType, ['savings'], state.dialogId),
      ]);
    case 'account':
      return text(ctx.t('refunds:request.account'));
    case 'fee':
      return text(ctx.t('refunds:request.fee', { fee: price(payment.paymentMethodFee, payment.currency, ctx) }), [
        commandButton(ctx.t('refunds:buttons.includeFee'), REFUND_ACTIONS.fee, ['yes'], state.dialogId),
        commandButton(ctx.t('refunds:buttons.excludeFee'), REFUND_ACTIONS.fee, ['no'], state.dialogId),
      ]);
    case 'confirm':
      return requestCard(slots, state, ctx);
  }
}

function requestCard(slots: RequestSlots, state: DialogState, ctx: Context): Reply {
  const { payment, fields } = slots;
  const amount = price(fields.amount ?? 0, payment.currency, ctx);
  const card: Card = {
    ...(payment.testMode ? { badge: ctx.t('refunds:test') } : {}),
    title: ctx.t('refunds:request.title', { amount }),
    rows: [
      ...factRows(payment, ctx),
      { label: ctx.t('refunds:request.fields.name'), value: fields.customerName ?? '' },
      { label: ctx.t('refunds:request.fields.bank'), value: fields.bankName ?? '' },
      { label: ctx.t('refunds:request.fields.branch'), value: fields.branchNumber ?? '' },
      { label: ctx.t('refunds:request.fields.type'), value: ctx.t(`refunds:accountType.${fields.accountType ?? 'normal'}`) },
      { label: ctx.t('refunds:request.fields.account'), value: fields.accountNumber ?? '' },
      { label: ctx.t('refunds:request.fields.fee'), value: fields.includePaymentMethodFee ? ctx.t('refunds:request.feeIncluded') : ctx.t('refunds:request.feeExcluded') },
    ],
    footnote: ctx.t('refunds:request.footnote', { fee: price(REFUND_REQUEST_FEE_JPY, 'JPY', ctx) }),
    buttons: [
      { ...commandButton(ctx.t('refunds:buttons.sendRequest'), REFUND_ACTIONS.send, [], state.dialogId), style: 'primary' },
      { ...commandButton(ctx.t('refunds:buttons.keep'), REFUND_ACTIONS.keep, [], state.dialogId), style: 'secondary' },
    ],
  };
  return { kind: 'card', altText: card.title, card };
}

function requestStep(slots: RequestSlots, state: DialogState, ctx: Context, lead: Reply[] = []): Step {
  const next = continueDialog(state, ctx, { slots: { ...slots } });
  return { state: next, replies: [...lead, requestPrompt(slots, next, ctx)] };
}

/**
 * What a new bank refund request may ask for, the payment-method fee apart (the fee question adds
 * it): what is left after refunds and the requests still open, less the fee unless an open request
 * already asked for it. The dialog's view carries it as `left`, so every prompt and check uses it.
 */
function requestableView(payment: RefundPaymentView): RefundPaymentView {
  const fee = payment.feeRequested ? 0 : payment.paymentMethodFee;
  return { ...payment, left: Math.max(0, payment.left - payment.pendingRequested - fee), paymentMethodFee: fee };
}

function startRequest(full: RefundPaymentView, ctx: Context): Step {
  const payment = requestableView(full);
  if (payment.left <= 0) return reply(text(ctx.t(full.pendingRequested > 0 ? 'refunds:refused.alreadyRequested' : 'refunds:refused.alreadyRefunded'), [transactionsButton(full, ctx)]));
  const state = startDialog(REQUEST, ctx, {});
  const intro = text(ctx.t('refunds:request.intro', { method: methodName(payment.paymentMethod, ctx), fee: price(REFUND_REQUEST_FEE_JPY, 'JPY', ctx) }));
  return requestStep({ payment, step: 'amount', fields: {} }, state, ctx, [intro]);
}

/** The step after `step`, skipping the fee question when the payment had no fee. */
function after(step: RequestStep, payment: RefundPaymentView): RequestStep {
  const next = REQUEST_STEPS[REQUEST_STEPS.indexOf(step) + 1] ?? 'confirm';
  return next === 'fee' && payment.paymentMethodFee === 0 ? 'confirm' : next;
}

const requestDialog = typedDialog(requestSlotsSchema, (state, slots, input, ctx) => {
  const { payment } = slots;
  const advance = (fields: Partial<RefundRequestFields>): Step => {
    const step = after(slots.step, payment);
    const merged = { ...slots.fields, ...fields, ...(step === 'confirm' && payment.paymentMethodFee === 0 ? { includePaymentMethodFee: false } : {}) };
    return requestStep({ payment, step, fields: merged }, state, ctx);
  };
  const again = (message: string): Step => requestStep(slots, state, ctx, [text(message)]);

  if (input.kind === 'postback') {
    if (input.action === REFUND_ACTIONS.keep) return reply(text(ctx.t('refunds:request.notSent'), [transactionsButton(payment, ctx)]));
    if (slots.step === 'amount' && input.action === REFUND_ACTIONS.full) return advance({ amount: payment.left });
    if (slots.step === 'type' && input.action === REFUND_ACTIONS.accountType) {
      const type = toAccountType(input.args[0] ?? '');
      return type ? advance({ accountType: type }) : again(ctx.t('refunds:request.errors.type'));
    }
    if (slots.step === 'fee' && input.action === REFUND_ACTIONS.fee) return advance({ includePaymentMethodFee: input.args[0] === 'yes' });
    if (slots.step === 'confirm' && input.action === REFUND_ACTIONS.send) {
      const merchantId = ctx.membership?.merchantId;
      if (!merchantId) return reply(text(ctx.t('auth.notMember')));
      const fields = refundRequestFieldsSchema.safeParse(slots.fields);
      // The card is shown only once every answer is in; fields missing here are a stored shape we do not know.
      if (!fields.success) return reply(text(ctx.t('dialog.reset')));
      return run({ type: 'refunds.request', merchantId, paymentId: payment.id, fields: fields.data, dialogId: state.dialogId });
    }
    return null;
  }
  if (input.kind !== 'text' || input.command) return null;
  const typed = input.text;
  switch (slots.step) {
    case 'amount': {
      const amount = readAmount(typed, payment, ctx);
      return amount.ok ? advance({ amount: amount.amount }) : again(amount.message);
    }
    case 'name': {
      const name = toAccountName(typed);
      return name ? advance({ customerName: name }) : again(ctx.t('refunds:request.errors.name', { max: 30 }));
    }
    case 'bank': {
      const bank = toBankName(typed);
      return bank ? advance({ bankName: bank }) : again(ctx.t('refunds:request.errors.bank', { max: 30 }));
    }
    case 'branch': {
      const branch = toBranchNumber(typed);
      return branch ? advance({ branchNumber: branch }) : again(ctx.t('refunds:request.errors.branch'));
    }
    case 'type': {
      const type = toAccountType(typed);
      return type ? advance({ accountType: type }) : again(ctx.t('refunds:request.errors.type'));
    }
    case 'account': {
      const account = toAccountNumber(typed);
      return account ? advance({ accountNumber: account }) : again(ctx.t('refunds:request.errors.account'));
    }
    case 'fee':
    case 'confirm':
      return again(ctx.t('refunds:confirm.useButtons'));
  }
});

// ── Entry points and outcomes ──────────────────────────────────────────────

function paymentLoaded(result: EffectResultOf<'refunds.paymentLoaded'>, ctx: Context): Step {
  const { payment } = result;
  const back = [transactionsButton(payment, ctx)];
  if (result.purpose === 'cancel') {
    if (payment.state !== 'awaiting') return reply(text(ctx.t('refunds:refused.notCancellable'), back));
    return confirmCancel(payment, ctx);
  }
  if (payment.state === 'awaiting') return reply(text(ctx.t('refunds:refused.notCaptured'), back));
  if (payment.state === 'refunded' || payment.state === 'charged_back' || payment.left <= 0) return reply(text(ctx.t('refunds:refused.alreadyRefunded'), back));
  if (payment.state === 'unsuccessful') return reply(text(ctx.t('refunds:refused.notCaptured'), back));
  if (payment.byRequest) return startRequest(payment, ctx);
  return askAmount(payment, startDialog(AMOUNT, ctx, { payment }), ctx);
}

function refusedStep(result: EffectResultOf<'refunds.refused'>, ctx: Context): Step {
  const links = [commandButton(ctx.t('sales:buttons.links'), 'links')];
  switch (result.reason) {
    case 'tooMuch':
      return reply(text(ctx.t('refunds:refused.tooMuch', { left: price(result.left, result.currency, ctx) }), links));
    case 'provider':
      return reply(text(ctx.t('refunds:refused.provider', { message: result.message }), links));
    default:
      return reply(text(ctx.t(`refunds:refused.${result.reason}`), links));
  }
}

const results: ResultHandlers = {
  'refunds.paymentsListed': paymentsListed,
  'refunds.paymentLoaded': paymentLoaded,
  'refunds.refunded': (result, ctx) => {
    const { payment } = result;
    const message = result.full
      ? ctx.t('refunds:done.full', { amount: price(result.amount, payment.currency, ctx), product: payment.productName })
      : ctx.t('refunds:done.partial', { amount: price(result.amount, payment.currency, ctx), product: payment.productName, left: price(payment.left, payment.currency, ctx) });
    return reply(text(message, [transactionsButton(payment, ctx), commandButton(ctx.t('sales:buttons.summary'), 'summary', [payment.linkId])]));
  },
  'refunds.cancelled': (result, ctx) =>
    reply(text(ctx.t('refunds:done.cancelled', { amount: price(result.payment.total, result.payment.currency, ctx), product: result.payment.productName }), [transactionsButton(result.payment, ctx)])),
  'refunds.requested': (result, ctx) =>
    reply(text(ctx.t('refunds:done.requested', { amount: price(result.amount, result.payment.currency, ctx), product: result.payment.productName }), [transactionsButton(result.payment, ctx)])),
  'refunds.unknown': (result, ctx) =>
    reply(
      text(ctx.t(`refunds:unknown.${result.what}`, { amount: price(result.amount, result.payment.currency, ctx), product: result.payment.productName }), [transactionsButton(result.payment, ctx)]),
    ),
  'refunds.refused': refusedStep,
};

function ownerAction(build: (args: string[], merchantId: string) => RefundEffect | null) {
  return (args: string[], ctx: Context): Step => {
    const refusal = ownerOnly(ctx);
    if (refusal) return refusal;
    const effect = build(args, ctx.membership?.merchantId ?? '');
    return effect ? run(effect) : reply(text(ctx.t('refunds:refused.notFound')));
  };
}

function pageArgument(raw: string | undefined): number {
  const page = Number(raw);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

export const refundChat: Capability = {
  dialogs: { [AMOUNT]: amountDialog, [CONFIRM]: confirmDialog, [CANCEL_CONFIRM]: cancelConfirmDialog, [REQUEST]: requestDialog },
  actions: {
    [REFUND_ACTIONS.choose]: ownerAction(([linkId, page], merchantId) => (linkId ? { type: 'refunds.listPayments', merchantId, linkId, page: pageArgument(page) } : null)),
    [REFUND_ACTIONS.start]: ownerAction(([paymentId], merchantId) => (paymentId ? { type: 'refunds.loadPayment', merchantId, paymentId, purpose: 'refund' } : null)),
    [REFUND_ACTIONS.cancel]: ownerAction(([paymentId], merchantId) => (paymentId ? { type: 'refunds.loadPayment', merchantId, paymentId, purpose: 'cancel' } : null)),
  },
  results,
};
