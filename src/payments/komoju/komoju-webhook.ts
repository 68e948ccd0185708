// KOMOJU webhooks: `X-Komoju-Signature` is the lowercase hex HMAC-SHA256 of the raw request body,
// keyed by the webhook secret; the body is `{ id, type, resource: 'event', data: <payment>,
// created_at, reason }`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../provider.js';
import type { PaymentSnapshot, ProviderEvent, SubscriptionSnapshot } from '../provider.js';
import { parseKomojuPayment, parseKomojuSubscription } from './komoju-client.js';

const SIGNATURE = /^[0-9a-f]{64}$/;

export function signKomojuBody(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

// Must be given the bytes exactly as received: re-serialised JSON would not match.
export function verifyKomojuSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  // An empty secret would make every signature forgeable.
  if (!secret || typeof signature !== 'string' || !SIGNATURE.test(signature)) return false;
  const expected = Buffer.from(signKomojuBody(rawBody, secret), 'hex');
  return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
}

const eventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  // Documented as always "event"; tolerated when absent, rejected when something else.
  resource: z.literal('event').optional(),
  data: z.unknown(),
  created_at: z.string().nullish(),
});

// Throws ProviderError (code `invalid_event`) when the body is not a KOMOJU event. A `payment.*`
// event whose data is not a readable payment (a fraud record, a refund-request update, a shape we
// do not know) parses with a null payment and `paymentProblem`: it is stored and acknowledged, so
// KOMOJU does not retry it forever, and the operator can read it.
export function parseKomojuEvent(body: unknown): ProviderEvent {
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(`Not a KOMOJU event: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`, null, 'invalid_event', false);
  }
  const event = parsed.data;
  let payment: PaymentSnapshot | null = null;
  let paymentProblem: string | undefined;
  if (event.type.startsWith('payment.')) {
    try {
      payment = parseKomojuPayment(event.data);
    } catch (error) {
      paymentProblem = error instanceof Error ? error.message : 'invalid payment';
    }
  }
  const fraudPaymentId = event.type === 'payment.marked.as.fraud' ? (payment?.id ?? fraudTarget(event.data)) : undefined;
  const refundRequestUpdate = event.type === 'refund_request.updated' ? refundRequestChange(event.data) : undefined;
  const createdAt = event.created_at ? new Date(event.created_at) : null;
  const subscription = event.type.startsWith('subscription.') ? subscriptionOf(event.data) : undefined;
  const customerId = event.type.startsWith('customer.') ? idOf(event.data) : undefined;
  return {
    id: event.id,
    type: event.type,
    payment,
    createdAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : null,
    ...(fraudPaymentId === undefined ? {} : { fraudPaymentId }),
    ...(refundRequestUpdate === undefined ? {} : { refundRequestUpdate }),
    ...(paymentProblem === undefined ? {} : { paymentProblem }),
    ...(subscription?.id === undefined ? {} : { subscriptionId: subscription.id }),
    ...(subscription?.snapshot === undefined ? {} : { subscription: subscription.snapshot }),
    ...(customerId === undefined ? {} : { customerId }),
  };
}

function idOf(data: unknown): string | undefined {
  const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * A `subscription.*` event's subscription. Unconfirmed: whether `data` is the subscription (read
 * in full when it parses) or a payment naming it (`subscription` as an id or an object); either
 * way the id is enough, since the subscription is then re-read from the provider.
 */
function subscriptionOf(data: unknown): { id: string | undefined; snapshot?: SubscriptionSnapshot } {
  try {
    const snapshot = parseKomojuSubscription(data);
    return { id: snapshot.id, snapshot };
  } catch {
    const record = typeof data === 'object' && data !== null ? (data as { resource?: unknown; subscription?: unknown }) : {};
    if (record.resource === 'subscription') return { id: idOf(data) };
    const named = record.subscription;
    if (typeof named === 'string' && named !== '') return { id: named };
    return { id: idOf(named) };
  }
}

/** A refund request's new state and its payment (shape unconfirmed: `payment` id or object, `status`). */
function refundRequestChange(data: unknown): { paymentId: string; status: string } | undefined {
  const paymentId = fraudTarget(data);
  const status = typeof data === 'object' && data !== null ? (data as { status?: unknown }).status : undefined;
  return paymentId !== undefined && typeof status === 'string' && /^[a-z_]{1,40}$/.test(status) ? { paymentId, status } : undefined;
}

/** The payment a fraud record names (`payment` as an id or an object); the shape is unconfirmed. */
function fraudTarget(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const named = (data as { payment?: unknown }).payment;
  if (typeof named === 'string' && named !== '') return named;
  const nested = typeof named === 'object' && named !== null ? (named as { id?: unknown }).id : undefined;
  return typeof nested === 'string' && nested !== '' ? nested : undefined;
}
