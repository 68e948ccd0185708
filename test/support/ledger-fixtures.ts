// Ledger test fixtures: KOMOJU-format payment objects and events (the wire format of
// test/support/fake-komoju.ts), and the rows the checkout would have written (merchant, link,
// checkout). Events go through the real parser and recordProviderEvent, as the webhook does.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { parseKomojuEvent } from '../../src/payments/komoju/komoju-webhook.js';
import type { PaymentStatus } from '../../src/payments/provider.js';
import { recordProviderEvent } from '../../src/payments/record-payment-event.js';
import type { RecordedEvent } from '../../src/payments/record-payment-event.js';
import type { FakeKomojuEvent, FakeKomojuPayment, FakeKomojuRefund } from './fake-komoju.js';

export function fixtureId(prefix: string): string {
  return `${prefix}${randomBytes(10).toString('hex')}`;
}

export interface SeededLink {
  merchantId: string;
  linkId: string;
  slug: string;
}

export async function seedLink(prisma: PrismaClient, options: { amount?: number; currency?: string; merchantId?: string } = {}): Promise<SeededLink> {
  const merchantId = options.merchantId ?? fixtureId('m_');
  if (!options.merchantId) await prisma.merchant.create({ data: { id: merchantId, name: 'Test shop' } });
  const linkId = fixtureId('l_');
  const slug = fixtureId('s');
  await prisma.link.create({
    data: {
      id: linkId,
      slug,
      merchantId,
      createdByUserId: 'U0000000000000000000000000000000a',
      productName: `Product ${linkId}`,
      productNameKey: `product ${linkId}`,
      amount: options.amount ?? 1000,
      currency: options.currency ?? 'JPY',
    },
  });
  return { merchantId, linkId, slug };
}

/** A Pay press as the checkout records it: the row, then the provider session id once opened. */
export async function seedCheckout(prisma: PrismaClient, linkId: string, options: { sessionId?: string | null; status?: string } = {}): Promise<{ checkoutId: string; sessionId: string | null }> {
  const checkoutId = fixtureId('c_');
  const sessionId = options.sessionId === undefined ? fixtureId('sess') : options.sessionId;
  await prisma.checkout.create({
    data: { id: checkoutId, linkId, provider: 'komoju', sessionId, status: options.status ?? 'pending' },
  });
  return { checkoutId, sessionId };
}

export interface PaymentState {
  id: string;
  status: PaymentStatus;
  amount: number;
  currency?: string;
  session: string | null;
  metadata: Record<string, string>;
  refunds?: { id: string; amount: number; chargeback?: boolean }[];
  capturedAt?: string | null;
  /** KOMOJU's `amount_refunded`; defaults to the sum of `refunds`. */
  amountRefunded?: number;
}

const CAPTURED_AT = '2026-11-28T01:00:00.000Z';

/** The payment object KOMOJU would send in an event's `data`. */
export function komojuPayment(state: PaymentState): FakeKomojuPayment {
  const currency = state.currency ?? 'JPY';
  const refunds: FakeKomojuRefund[] = (state.refunds ?? []).map((refund) => ({
    id: refund.id,
    resource: 'refund',
    amount: refund.amount,
    currency,
    payment: state.id,
    description: null,
    created_at: CAPTURED_AT,
    chargeback: refund.chargeback ?? false,
  }));
  const captured = state.status === 'captured' || state.status === 'refunded';
  return {
    id: state.id,
    resource: 'payment',
    status: state.status,
    amount: state.amount,
    tax: 0,
    customer: null,
    payment_deadline: null,
    payment_details: { type: state.status === 'authorized' ? 'konbini' : 'credit_card' },
    payment_method_fee: 0,
    total: state.amount,
    currency,
    description: null,
    captured_at: state.capturedAt !== undefined ? state.capturedAt : captured ? CAPTURED_AT : null,
    external_order_num: null,
    metadata: state.metadata,
    created_at: '2026-11-28T00:00:00.000Z',
    amount_refunded: state.amountRefunded ?? refunds.reduce((sum, refund) => sum + refund.amount, 0),
    locale: 'ja',
    session: state.session,
    customer_family_name: null,
    customer_given_name: null,
    mcc: null,
    statement_descriptor: null,
    refunds,
    refund_requests: [],
  };
}

export const EVENT_TYPE_FOR_STATUS: Record<PaymentStatus, string> = {
  pending: 'payment.updated',
  authorized: 'payment.authorized',
  captured: 'payment.captured',
  refunded: 'payment.refunded',
  cancelled: 'payment.cancelled',
  expired: 'payment.expired',
  failed: 'payment.failed',
};

export function komojuEvent(type: string, state: PaymentState, id = fixtureId('ev')): FakeKomojuEvent {
  return { id, type, resource: 'event', data: komojuPayment(state), created_at: '2026-11-28T02:00:00.000Z', reason: null };
}

/** What POST /webhooks/komoju does after the signature check: parse, then record. */
export function deliver(prisma: PrismaClient, body: FakeKomojuEvent, merchantId?: string): Promise<RecordedEvent> {
  const json = JSON.parse(JSON.stringify(body)) as unknown;
  return recordProviderEvent(prisma, parseKomojuEvent(json), {
    provider: 'komoju',
    payload: json,
    ...(merchantId === undefined ? {} : { merchantId }),
  });
}
