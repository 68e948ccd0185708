// The sandbox's stand-in for KOMOJU's customers and subscriptions: a customer-mode session the
// buyer completes on the sandbox page saves a (pretend) card; a subscription bills it at once and
// then whenever `sandbox:renew` says a period has passed (captured, or failed with --fail).
import { createHash } from 'node:crypto';
import type { Prisma } from '../../db/database.js';
import type { SandboxPayment, SandboxSession, SandboxSubscription } from '../../generated/prisma/client.js';
import type { CreateSubscriptionInput } from '../provider.js';
import { isSessionExpired, newSandboxId } from './sandbox-provider.js';

export type SandboxSubscriptionWithPayments = { subscription: SandboxSubscription; payments: SandboxPayment[] };

/** The buyer saved a card on a customer-mode session: it completes, with no payment. */
export async function completeSandboxCustomerSession(prisma: Prisma, sessionId: string): Promise<SandboxSession | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SandboxSession" WHERE id = ${sessionId} FOR UPDATE`;
    const session = await tx.sandboxSession.findUnique({ where: { id: sessionId } });
    if (!session || session.mode !== 'customer' || session.status !== 'pending' || isSessionExpired(session)) return null;
    return tx.sandboxSession.update({ where: { id: sessionId }, data: { status: 'completed' } });
  });
}

// The same idempotency key always names the same subscription, so a retried create returns it.
function subscriptionIdFor(idempotencyKey: string): string {
  return `sbsub_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}

async function withPayments(prisma: Prisma, subscription: SandboxSubscription): Promise<SandboxSubscriptionWithPayments> {
  const payments = await prisma.sandboxPayment.findMany({ where: { subscriptionId: subscription.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return { subscription, payments };
}

export type SandboxSubscriptionResult = { kind: 'ok'; value: SandboxSubscriptionWithPayments } | { kind: 'not_found' } | { kind: 'refused'; reason: string };

/** Like KOMOJU: only a customer whose session completed can be billed; the first period is billed at once. */
export async function createSandboxSubscription(prisma: Prisma, input: CreateSubscriptionInput): Promise<SandboxSubscriptionResult> {
  const id = subscriptionIdFor(input.idempotencyKey);
  const created = await prisma.$transaction(async (tx) => {
    const existing = await tx.sandboxSubscription.findUnique({ where: { id } });
    if (existing) return existing;
    const saved = await tx.sandboxSession.findFirst({ where: { customerId: input.customerId, mode: 'customer', status: 'completed' }, select: { id: true } });
    if (!saved) return null;
    const subscription = await tx.sandboxSubscription.create({
      data: { id, customerId: input.customerId, amount: input.amount, currency: input.currency, period: input.period, metadata: input.metadata },
    });
    await tx.sandboxPayment.create({ data: renewalPayment(subscription, 'captured') });
    return subscription;
  });
  if (!created) return { kind: 'refused', reason: `customer ${input.customerId} has no saved card` };
  return { kind: 'ok', value: await withPayments(prisma, created) };
}

function renewalPayment(subscription: SandboxSubscription, outcome: 'captured' | 'failed') {
  return {
    id: newSandboxId('sbp'),
    sessionId: null,
    subscriptionId: subscription.id,
    customerId: subscription.customerId,
    status: outcome,
    amount: subscription.amount,
    currency: subscription.currency,
    metadata: subscription.metadata ?? {},
    paymentMethod: 'credit_card',
    ...(outcome === 'captured' ? { capturedAt: new Date() } : {}),
  };
}

export async function readSandboxSubscription(prisma: Prisma, id: string): Promise<SandboxSubscriptionWithPayments | null> {
  const subscription = await prisma.sandboxSubscription.findUnique({ where: { id } });
  return subscription ? withPayments(prisma, subscription) : null;
}

/** A period passed: the saved card is billed (captured), or declined (failed). Only while active. */
export async function renewSandboxSubscription(prisma: Prisma, id: string, outcome: 'captured' | 'failed'): Promise<SandboxSubscriptionResult & { payment?: SandboxPayment }> {
  const renewed = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SandboxSubscription" WHERE id = ${id} FOR UPDATE`;
    const subscription = await tx.sandboxSubscription.findUnique({ where: { id } });
    if (!subscription) return { kind: 'not_found' as const };
    if (subscription.status !== 'active') return { kind: 'refused' as const, reason: `subscription ${id} is ${subscription.status}; only active subscriptions renew` };
    const payment = await tx.sandboxPayment.create({ data: renewalPayment(subscription, outcome) });
    return { kind: 'ok' as const, subscription, payment };
  });
  if (renewed.kind !== 'ok') return renewed;
  return { kind: 'ok', value: await withPayments(prisma, renewed.subscription), payment: renewed.payment };
}

/** KOMOJU's Subscription: Destroy: payments stop; deleting again answers the same. */
export async function cancelSandboxSubscription(prisma: Prisma, id: string): Promise<SandboxSubscriptionResult> {
  await prisma.sandboxSubscription.updateMany({ where: { id, status: 'active' }, data: { status: 'deleted', endedAt: new Date() } });
  const current = await readSandboxSubscription(prisma, id);
  return current ? { kind: 'ok', value: current } : { kind: 'not_found' };
}
