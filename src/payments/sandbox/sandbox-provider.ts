// The built-in test provider used when no KOMOJU key is configured: sessions and payments live in
// SandboxSession / SandboxPayment and the buyer "pays" on a page this app serves under /sandbox.
import type { OfferedPaymentMethod } from '../../conversation/types.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../../db/database.js';
import type { SandboxSession } from '../../generated/prisma/client.js';
import { parseKomojuPayment } from '../komoju/komoju-client.js';
import { ProviderError } from '../provider.js';
import { parseKomojuSubscription } from '../komoju/komoju-client.js';
import type { CreateSessionInput, CreateSubscriptionInput, PaymentProvider, PaymentSnapshot, RefundInput, RefundRequestInput, SessionSnapshot, SubscriptionSnapshot } from '../provider.js';
import { cancelSandboxPayment, refundSandboxPayment } from './sandbox-actions.js';
import { komojuPaymentJson, komojuSubscriptionJson, sandboxMetadata } from './sandbox-payment-json.js';
import { cancelSandboxSubscription, createSandboxSubscription, readSandboxSubscription, type SandboxSubscriptionResult } from './sandbox-subscriptions.js';

// Like KOMOJU: a session lives at most 24 h.
const MAX_SESSION_SECONDS = 86_400;

/**
 * What the sandbox account offers (its documented set, README "Sandbox"): a payment captured at
 * once (card, PayPay) or one awaiting payment at a store, ATM or bank; named as each names itself.
 */
const SANDBOX_PAYMENT_METHODS: OfferedPaymentMethod[] = [
  { type: 'credit_card', names: { en: 'Credit card', ja: 'クレジットカード', ko: '신용카드' } },
  { type: 'konbini', names: { en: 'Konbini', ja: 'コンビニ', ko: '편의점' } },
  { type: 'bank_transfer', names: { en: 'Bank transfer', ja: '銀行振込', ko: '계좌이체' } },
  { type: 'pay_easy', names: { en: 'Pay-easy', ja: 'Pay-easy（ペイジー）', ko: 'Pay-easy' } },
  { type: 'paypay', names: { en: 'PayPay', ja: 'PayPay', ko: 'PayPay' } },
];

export function sandboxSessionPath(sessionId: string): string {
  return `/sandbox/sessions/${encodeURIComponent(sessionId)}`;
}

export function newSandboxId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

// The same idempotency key always names the same session, so a retried create returns it.
function sessionIdFor(idempotencyKey: string): string {
  return `sbs_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}

export function isSessionExpired(session: SandboxSession, now = new Date()): boolean {
  return session.expiresAt.getTime() <= now.getTime();
}

export interface SandboxProviderOptions {
  prisma: Prisma;
  publicBaseUrl: string;
}

export function createSandboxProvider({ prisma, publicBaseUrl }: SandboxProviderOptions): PaymentProvider {
  async function paymentSnapshot(paymentId: string): Promise<PaymentSnapshot> {
    const payment = await prisma.sandboxPayment.findUnique({ where: { id: paymentId } });
    if (!payment) throw new ProviderError(`Sandbox payment ${paymentId} not found`, 404, 'not_found', false);
    return parseKomojuPayment(komojuPaymentJson(payment));
  }

  async function sessionSnapshot(session: SandboxSession): Promise<SessionSnapshot> {
    return {
      id: session.id,
      sessionUrl: `${publicBaseUrl}${sandboxSessionPath(session.id)}`,
      status: session.status === 'completed' || session.status === 'cancelled' ? session.status : 'pending',
      expired: isSessionExpired(session),
      payment: session.paymentId ? await paymentSnapshot(session.paymentId) : null,
      metadata: sandboxMetadata(session.metadata),
      ...(session.customerId ? { customerId: session.customerId } : {}),
    };
  }

  function subscriptionAnswer(result: SandboxSubscriptionResult, id: string): SubscriptionSnapshot {
    if (result.kind === 'not_found') throw new ProviderError(`Sandbox subscription ${id} not found`, 404, 'not_found', false);
    if (result.kind === 'refused') throw new ProviderError(result.reason, 422, 'invalid_parameter', false);
    // Like KOMOJU the subscription lists payment ids; the sandbox reads them from its own rows.
    const snapshot = parseKomojuSubscription(komojuSubscriptionJson(result.value.subscription, result.value.payments));
    return { ...snapshot, payments: result.value.payments.map((payment) => parseKomojuPayment(komojuPaymentJson(payment))) };
  }

  return {
    name: 'sandbox',
    testMode: true,

    async listPaymentMethods(): Promise<OfferedPaymentMethod[]> {
      return SANDBOX_PAYMENT_METHODS;
    },

    async createSession(input: CreateSessionInput): Promise<SessionSnapshot> {
      const customerMode = input.mode === 'customer';
      if (!Number.isSafeInteger(input.amount) || input.amount < (customerMode ? 0 : 1)) {
        throw new ProviderError('The parameter (amount) is invalid', 422, 'invalid_parameter', false);
      }
      const id = sessionIdFor(input.idempotencyKey);
      const lifetime = Math.min(input.expiresInSeconds ?? MAX_SESSION_SECONDS, MAX_SESSION_SECONDS);
      await prisma.sandboxSession.createMany({
        data: [
          {
            id,
            amount: input.amount,
            currency: input.currency,
            locale: input.locale,
            returnUrl: input.returnUrl,
            metadata: input.metadata,
            lineItems: [
              {
                description: input.lineItem.description,
                amount: input.lineItem.amount,
                quantity: input.lineItem.quantity,
                ...(input.lineItem.imageUrl ? { image: input.lineItem.imageUrl } : {}),
              },
            ],
            expiresAt: new Date(Date.now() + lifetime * 1000),
            ...(input.paymentTypes && input.paymentTypes.length > 0 ? { paymentTypes: input.paymentTypes } : {}),
            ...(customerMode ? { mode: 'customer', customerId: newSandboxId('sbcus') } : {}),
          },
        ],
        skipDuplicates: true,
      });
      const session = await prisma.sandboxSession.findUniqueOrThrow({ where: { id } });
      return sessionSnapshot(session);
    },

    async getSession(id: string): Promise<SessionSnapshot> {
      const session = await prisma.sandboxSession.findUnique({ where: { id } });
      if (!session) throw new ProviderError(`Sandbox session ${id} not found`, 404, 'not_found', false);
      return sessionSnapshot(session);
    },

    getPayment: paymentSnapshot,

    // Like KOMOJU, these change the payment and answer it; the caller reports the change to the
    // ledger as a signed event (payments/refund-payment.ts), since the sandbox has no webhook sender.
    async refundPayment(id: string, input: RefundInput): Promise<PaymentSnapshot> {
      const result = await refundSandboxPayment(prisma, id, { amount: input.amount, chargeback: false, idempotencyKey: input.idempotencyKey });
      if (result.kind === 'not_found') throw new ProviderError(`Sandbox payment ${id} not found`, 404, 'not_found', false);
      if (result.kind === 'refused') throw new ProviderError(result.reason, 422, 'invalid_parameter', false);
      return parseKomojuPayment(komojuPaymentJson(result.payment));
    },

    async cancelPayment(id: string): Promise<PaymentSnapshot> {
      const result = await cancelSandboxPayment(prisma, id);
      if (result.kind === 'not_found') throw new ProviderError(`Sandbox payment ${id} not found`, 404, 'not_found', false);
      if (result.kind === 'refused') throw new ProviderError(result.reason, 422, 'invalid_parameter', false);
      return parseKomojuPayment(komojuPaymentJson(result.payment));
    },

    // The sandbox hands no money back by bank transfer: it only checks what KOMOJU would.
    async requestRefund(id: string, input: RefundRequestInput): Promise<void> {
      const payment = await paymentSnapshot(id);
      const left = payment.total - payment.amountRefunded;
      if (payment.status !== 'captured') throw new ProviderError(`payment ${id} is ${payment.status}; only captured payments can be refunded`, 422, 'invalid_parameter', false);
      if (input.amount < 1 || input.amount > left) throw new ProviderError(`amount must be from 1 to ${left}`, 422, 'invalid_parameter', false);
    },

    async createSubscription(input: CreateSubscriptionInput): Promise<SubscriptionSnapshot> {
      return subscriptionAnswer(await createSandboxSubscription(prisma, input), input.customerId);
    },

    async getSubscription(id: string): Promise<SubscriptionSnapshot> {
      const current = await readSandboxSubscription(prisma, id);
      return subscriptionAnswer(current ? { kind: 'ok', value: current } : { kind: 'not_found' }, id);
    },

    async cancelSubscription(id: string): Promise<SubscriptionSnapshot> {
      return subscriptionAnswer(await cancelSandboxSubscription(prisma, id), id);
    },

    async findSubscriptions(customerId: string, since: Date): Promise<SubscriptionSnapshot[]> {
      const rows = await prisma.sandboxSubscription.findMany({ where: { customerId, createdAt: { gte: since } }, orderBy: { createdAt: 'asc' }, select: { id: true } });
      const found: SubscriptionSnapshot[] = [];
      for (const row of rows) {
        const current = await readSandboxSubscription(prisma, row.id);
        if (current) found.push(subscriptionAnswer({ kind: 'ok', value: current }, row.id));
      }
      return found;
    },

    async listPayments(range: { since: Date; until: Date }): Promise<PaymentSnapshot[]> {
      const rows = await prisma.sandboxPayment.findMany({ where: { createdAt: { gte: range.since, lte: range.until } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map((payment) => parseKomojuPayment(komojuPaymentJson(payment)));
    },
  };
}
