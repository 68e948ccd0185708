// Giving money back through the provider that took it: a refund (full or part) of a captured
// payment, a cancel of one still awaiting payment. Shared by the admin CLI (`payment:refund`) and
// the chat. The provider's answer decides nothing in our ledger: KOMOJU's webhooks that follow
// (`payment.refund.created`, `payment.refunded`, `payment.cancelled`) record the change as they do
// for refunds made in KOMOJU's dashboard. The sandbox sends no webhooks, so its change is reported
// here as the signed KOMOJU-format event it would have sent, through the same ingestion code.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';
import { createKomojuProvider } from './komoju/komoju-client.js';
import { attemptVisible, decideByReading, findAttempt, isDefiniteRefusal, knownIds, recordAttempt, settleAttempt, type MoneyBackAttempt } from './money-back-attempts.js';
import { isSandboxEnabled, providerForLink, sandboxProvider } from './provider-for-link.js';
import { ProviderError } from './provider.js';
import type { PaymentProvider, PaymentSnapshot } from './provider.js';
import { receiveKomojuWebhook } from './receive-komoju-webhook.js';
import { sandboxEvent, signedSandboxEvent } from './sandbox/sandbox-events.js';

export interface MoneyBackDeps {
  prisma: Prisma;
  config: Config;
  log: Logger;
}

/** Methods whose money cannot go back the way it came: KOMOJU takes a refund request instead. */
const BANK_REFUND_METHODS: readonly string[] = ['konbini', 'bank_transfer', 'pay_easy'];

export function needsRefundRequest(paymentMethod: string | null): boolean {
  return paymentMethod !== null && BANK_REFUND_METHODS.includes(paymentMethod);
}

/**
 * Why nothing was given back. `notFound` also covers a payment of another merchant's link when
 * `merchantId` is given; `provider` carries the provider's own message.
 */
export type MoneyBackRefusal =
  | { reason: 'notFound' }
  | { reason: 'alreadyRefunded' }
  | { reason: 'notCaptured'; status: string }
  | { reason: 'notCancellable'; status: string }
  | { reason: 'needsRefundRequest'; paymentMethod: string }
  | { reason: 'tooMuch'; left: number; currency: string }
  | { reason: 'provider'; message: string; code: string | null }
  /** The provider's answer was lost and a read could not yet tell: `attemptId` is checked again later. */
  | { reason: 'unknown'; attemptId: string; message: string };

export type RefundOutcome =
  /** `repeated`: this key's refund was made by an earlier call (a retry, or the same command again). */
  { ok: true; payment: PaymentSnapshot; amount: number; full: boolean; repeated: boolean } | ({ ok: false } & MoneyBackRefusal);

export type CancelOutcome = { ok: true; payment: PaymentSnapshot } | ({ ok: false } & MoneyBackRefusal);

export interface LedgerPayment {
  id: string;
  provider: string;
  linkId: string | null;
  merchantId: string | null;
}

/** The ledger's payment (only of `merchantId`'s links when given). */
export async function findLedgerPayment(prisma: Prisma, paymentId: string, merchantId?: string): Promise<LedgerPayment | null> {
  const row = await prisma.payment.findUnique({
    where: { id: paymentId },
    select: { id: true, provider: true, linkId: true, link: { select: { merchantId: true } } },
  });
  if (!row) return null;
  const owner = row.link?.merchantId ?? null;
  if (merchantId !== undefined && owner !== merchantId) return null;
  return { id: row.id, provider: row.provider, linkId: row.linkId, merchantId: owner };
}

/** The provider holding the payment: the sandbox for sandbox payments, else the link's KOMOJU account. */
export async function providerForPayment(deps: MoneyBackDeps, payment: LedgerPayment): Promise<PaymentProvider | null> {
  // A sandbox payment from before KOMOJU keys were configured: the sandbox no longer reports to
  // the ledger (its events would not verify), so it is no longer refunded through it either.
  if (payment.provider === 'sandbox') return isSandboxEnabled(deps.config) ? sandboxProvider(deps) : null;
  if (payment.merchantId !== null) return (await providerForLink(deps, { merchantId: payment.merchantId })).provider;
  const account = deps.config.komoju;
  return account ? createKomojuProvider({ secretKey: account.secretKey, apiBaseUrl: account.apiBaseUrl }) : null;
}

/**
 * The key for one refund decision, from what was confirmed only: the payment, the amount asked
 * for (null: all that is left) and the confirmation that asked (the chat dialog's id, or the admin
 * CLI's request id). Never from state that changes after the call (what was refunded so far): a
 * retry after a crash, when KOMOJU's webhook already moved that state, must send the same key.
 */
export function refundIdempotencyKey(parts: { paymentId: string; amount: number | null; confirmation: string }): string {
  const digest = createHash('sha256')
    .update(['refund', parts.paymentId, parts.amount ?? 'all', parts.confirmation].join('\n'))
    .digest('hex')
    .slice(0, 40);
  return `refund-${digest}`;
}

/** One cancel per payment: cancelling twice cancels the same payment. */
function cancelIdempotencyKey(paymentId: string): string {
  return `cancel-${paymentId}`;
}

function providerRefusal(error: unknown): { ok: false } & MoneyBackRefusal {
  if (error instanceof ProviderError) return { ok: false, reason: 'provider', message: error.message, code: error.code };
  throw error;
}

/** Reports a sandbox payment's change to the ledger as KOMOJU would (a signed event to our webhook code). */
async function reportSandboxChange(deps: MoneyBackDeps, type: string, paymentId: string): Promise<void> {
  const row = await deps.prisma.sandboxPayment.findUniqueOrThrow({ where: { id: paymentId } });
  const { body, headers } = signedSandboxEvent(sandboxEvent(type, row), deps.config.appSecret);
  const delivered = await receiveKomojuWebhook(deps, Buffer.from(body), headers['X-Komoju-Signature']);
  if (delivered.status !== 200) throw new Error(`the ledger did not accept the sandbox ${type} event: ${delivered.message}`);
}

/**
 * Refunds `amount` (default: all that is left) of a captured payment. Reads the payment at the
 * provider first (the source of truth), so it never asks for more than is left. The attempt is
 * recorded before the call under its key: the same confirmation again (a retry, a second press,
 * the same command) reads what the first call did and, when it is not visible yet, asks again
 * under the same key, which KOMOJU answers with the first refund instead of a second one.
 */
export async function refundPayment(deps: MoneyBackDeps, input: { paymentId: string; amount?: number; merchantId?: string; confirmation: string; requestedBy?: string }): Promise<RefundOutcome> {
  const ledger = await findLedgerPayment(deps.prisma, input.paymentId, input.merchantId);
  if (!ledger) return { ok: false, reason: 'notFound' };
  const provider = await providerForPayment(deps, ledger);
  if (!provider) return { ok: false, reason: 'notFound' };

  let current: PaymentSnapshot;
  try {
    current = await provider.getPayment(ledger.id);
  } catch (error) {
    return providerRefusal(error);
  }
  const idempotencyKey = refundIdempotencyKey({ paymentId: ledger.id, amount: input.amount ?? null, confirmation: input.confirmation });
  let attempt = await findAttempt(deps.prisma, idempotencyKey);
  if (attempt && attempt.outcome !== 'refused' && attempt.outcome !== 'notDone' && attempt.amount !== null) {
    if (attemptVisible(attempt, current)) {
      await settleAttempt(deps.prisma, attempt.id, 'done');
      return { ok: true, payment: current, amount: attempt.amount, full: current.status === 'refunded', repeated: true };
    }
  } else {
    if (current.status === 'refunded') return { ok: false, reason: 'alreadyRefunded' };
    if (current.status !== 'captured') return { ok: false, reason: 'notCaptured', status: current.status };
    if (needsRefundRequest(current.paymentMethod)) return { ok: false, reason: 'needsRefundRequest', paymentMethod: current.paymentMethod ?? '' };
    const left = current.total - current.amountRefunded;
    if (left <= 0) return { ok: false, reason: 'alreadyRefunded' };
    const amount = input.amount ?? left;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > left) return { ok: false, reason: 'tooMuch', left, currency: current.currency };
    attempt = {
      id: idempotencyKey,
      kind: 'refund',
      paymentId: ledger.id,
      merchantId: ledger.merchantId,
      requestedBy: input.requestedBy ?? null,
      amount,
      knownBefore: knownIds('refund', current),
      outcome: 'sending',
    };
    await recordAttempt(deps.prisma, attempt);
  }
  const amount = attempt.amount ?? 0;

  let after: PaymentSnapshot;
  try {
    after = await provider.refundPayment(ledger.id, { amount, idempotencyKey });
  } catch (error) {
    if (isDefiniteRefusal(error)) {
      await settleAttempt(deps.prisma, attempt.id, 'refused');
      return providerRefusal(error);
    }
    const decided = await decideByReading(deps, provider, attempt, error);
    if (!decided.done) return { ok: false, reason: 'unknown', attemptId: attempt.id, message: decided.message };
    after = decided.payment;
  }
  await settleAttempt(deps.prisma, attempt.id, 'done');
  const full = after.status === 'refunded' || after.amountRefunded >= after.total;
  if (provider.name === 'sandbox') await reportSandboxChange(deps, full ? 'payment.refunded' : 'payment.refund.created', ledger.id);
  deps.log.info({ paymentId: ledger.id, amount, full }, 'refund made through the provider');
  return { ok: true, payment: after, amount, full, repeated: false };
}

/** Cancels a payment still awaiting payment (pending or authorized, e.g. an unpaid konbini slip). */
export async function cancelPayment(deps: MoneyBackDeps, input: { paymentId: string; merchantId?: string; requestedBy?: string }): Promise<CancelOutcome> {
  const ledger = await findLedgerPayment(deps.prisma, input.paymentId, input.merchantId);
  if (!ledger) return { ok: false, reason: 'notFound' };
  const provider = await providerForPayment(deps, ledger);
  if (!provider) return { ok: false, reason: 'notFound' };
  let current: PaymentSnapshot;
  try {
    current = await provider.getPayment(ledger.id);
  } catch (error) {
    return providerRefusal(error);
  }
  if (current.status !== 'pending' && current.status !== 'authorized' && current.status !== 'cancelled') {
    return { ok: false, reason: 'notCancellable', status: current.status };
  }
  const attempt: MoneyBackAttempt = {
    id: cancelIdempotencyKey(ledger.id),
    kind: 'cancel',
    paymentId: ledger.id,
    merchantId: ledger.merchantId,
    requestedBy: input.requestedBy ?? null,
    amount: null,
    knownBefore: [],
    outcome: 'sending',
  };
  let after = current;
  if (current.status !== 'cancelled') {
    await recordAttempt(deps.prisma, attempt);
    try {
      after = await provider.cancelPayment(ledger.id, { idempotencyKey: attempt.id });
    } catch (error) {
      if (isDefiniteRefusal(error)) {
        await settleAttempt(deps.prisma, attempt.id, 'refused');
        return providerRefusal(error);
      }
      const decided = await decideByReading(deps, provider, attempt, error);
      if (!decided.done) return { ok: false, reason: 'unknown', attemptId: attempt.id, message: decided.message };
      after = decided.payment;
    }
    await settleAttempt(deps.prisma, attempt.id, 'done');
  }
  if (provider.name === 'sandbox') await reportSandboxChange(deps, 'payment.cancelled', ledger.id);
  deps.log.info({ paymentId: ledger.id }, 'payment cancelled through the provider');
  return { ok: true, payment: after };
}
