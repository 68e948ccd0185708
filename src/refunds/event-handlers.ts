// The later read that decides a refund, cancel or bank refund request whose answer was lost
// (refunds.outcomeCheckDue, scheduled by markUnknown): what KOMOJU holds now says whether it was
// done, and the owner who confirmed it is told in the chat. Never a second call: an attempt KOMOJU
// does not show by now was not made, and the owner may start again.
import type { DomainEvent, EventHandlers, HandlerDeps } from '../events/domain-events.js';
import { formatStoredPrice } from '../i18n/format.js';
import { isLanguage, translator } from '../i18n/i18n.js';
import { pushOnce, retryKeyFor } from '../line/line-client.js';
import { attemptVisible, findAttempt, settleAttempt } from '../payments/money-back-attempts.js';
import { findLedgerPayment, providerForPayment } from '../payments/refund-payment.js';

const HANDLER = 'refunds';

async function checkOutcome(event: DomainEvent<'refunds.outcomeCheckDue'>, deps: HandlerDeps): Promise<void> {
  const { prisma, log } = deps;
  const attempt = await findAttempt(prisma, event.payload.attemptId);
  // Decided meanwhile: the same confirmation ran again and read it, or this check already ran.
  if (!attempt || attempt.outcome !== 'unknown') return;
  const ledger = await findLedgerPayment(prisma, attempt.paymentId);
  const provider = ledger ? await providerForPayment(deps, ledger) : null;
  if (!ledger || !provider) {
    log.warn({ attemptId: attempt.id, paymentId: attempt.paymentId }, 'cannot read the payment of an unknown outcome: its provider is gone');
    return;
  }
  // A failed read throws: the worker retries the event with backoff.
  const payment = await provider.getPayment(attempt.paymentId);
  const done = attemptVisible(attempt, payment);
  if (attempt.requestedBy) {
    const user = await prisma.lineUser.findUnique({ where: { id: attempt.requestedBy }, select: { language: true } });
    const language = isLanguage(user?.language) ? user.language : 'ja';
    const t = translator(language, 'refunds');
    const amount = formatStoredPrice(attempt.amount ?? payment.total, payment.currency, language);
    const text = t(`late.${attempt.kind}${done ? 'Done' : 'NotDone'}`, { amount, paymentId: attempt.paymentId });
    // Keyed by the event: a retry after the push (a crash before the outcome is saved) is not a second message.
    await pushOnce(deps.line, attempt.requestedBy, [{ type: 'text', text }], retryKeyFor(HANDLER, event.id));
  }
  await settleAttempt(prisma, attempt.id, done ? 'done' : 'notDone');
  if (attempt.kind === 'request') {
    await prisma.refundRequest.updateMany({ where: { idempotencyKey: attempt.id, status: 'unknown' }, data: { status: done ? 'requested' : 'notDone' } });
  }
  log.info({ attemptId: attempt.id, paymentId: attempt.paymentId, kind: attempt.kind, done }, 'unknown outcome decided by reading the provider');
}

/** Registered with the domain-event worker (src/events/): the refunds capability's handlers. */
export const refundsEventHandlers: EventHandlers = {
  name: HANDLER,
  on: { 'refunds.outcomeCheckDue': checkOutcome },
};
