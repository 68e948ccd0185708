import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../../src/db/database.js';
import { encodePostback } from '../../../src/line/postback-data.js';
import { APP_SECRET, messageText, type LineHarness } from '../../support/line-harness.js';

/** A merchant with an owner and a staff member (LINE users with a chosen bot language). */
export async function seedMerchant(prisma: Prisma, merchantId: string, members: { userId: string; role: 'owner' | 'staff'; language?: 'ja' | 'en' | 'ko' }[]): Promise<void> {
  await prisma.merchant.create({ data: { id: merchantId, name: `Shop ${merchantId}` } });
  for (const member of members) {
    await prisma.lineUser.create({ data: { id: member.userId, language: member.language ?? 'en', activeMerchantId: merchantId } });
    await prisma.member.create({ data: { merchantId, userId: member.userId, role: member.role } });
  }
}

let linkSequence = 0;

export async function seedLink(
  prisma: Prisma,
  merchantId: string,
  fields: { productName: string; amount?: number; currency?: string; createdAt?: Date; status?: string; usageLimit?: number; expiresAt?: Date; testMode?: boolean; id?: string },
): Promise<string> {
  const id = fields.id ?? `lnk_${++linkSequence}_${randomUUID().slice(0, 8)}`;
  await prisma.link.create({
    data: {
      id,
      slug: `s${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      merchantId,
      createdByUserId: 'seed',
      productName: fields.productName,
      productNameKey: fields.productName.normalize('NFKC').toLowerCase(),
      amount: fields.amount ?? 1500,
      currency: fields.currency ?? 'JPY',
      status: fields.status ?? 'active',
      usageLimit: fields.usageLimit ?? null,
      expiresAt: fields.expiresAt ?? null,
      testMode: fields.testMode ?? false,
      ...(fields.createdAt ? { createdAt: fields.createdAt } : {}),
    },
  });
  return id;
}

/** One Pay press and, optionally, the payment it led to (with refunds). */
export async function seedCheckout(
  prisma: Prisma,
  linkId: string,
  outcome: { checkout: 'pending' | 'expired' | 'cancelled' } | { status: string; amount: number; captured?: boolean; refunds?: { amount: number; chargeback?: boolean }[]; createdAt?: Date },
): Promise<string | null> {
  const checkoutId = `chk_${randomUUID()}`;
  const completed = 'status' in outcome;
  await prisma.checkout.create({ data: { id: checkoutId, linkId, provider: 'sandbox', status: completed ? 'completed' : outcome.checkout } });
  if (!completed) return null;
  const paymentId = `pay_${randomUUID()}`;
  const refunded = (outcome.refunds ?? []).reduce((sum, refund) => sum + refund.amount, 0);
  await prisma.payment.create({
    data: {
      id: paymentId,
      provider: 'sandbox',
      linkId,
      checkoutId,
      status: outcome.status,
      amount: outcome.amount,
      currency: 'JPY',
      amountRefunded: refunded,
      capturedAt: outcome.captured ? (outcome.createdAt ?? new Date()) : null,
      ...(outcome.createdAt ? { createdAt: outcome.createdAt } : {}),
    },
  });
  for (const refund of outcome.refunds ?? []) {
    await prisma.refund.create({ data: { id: `ref_${randomUUID()}`, paymentId, amount: refund.amount, chargeback: refund.chargeback ?? false } });
  }
  return paymentId;
}

type LineMessage = Record<string, unknown>;

/** Every action object (postback, uri, message, clipboard) in a message, with its label. */
export function actionsOf(message: LineMessage): { label?: string; type: string; data?: string; uri?: string }[] {
  const found: { label?: string; type: string; data?: string; uri?: string }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.action && typeof record.action === 'object') found.push(record.action as { type: string });
      for (const inner of Object.values(record)) walk(inner);
    }
  };
  walk(message);
  return found;
}

/** The postback data of the n-th button labelled `label` in a message. */
export function postbackData(message: LineMessage | undefined, label: string, index = 0): string {
  const matches = message ? actionsOf(message).filter((action) => action.type === 'postback' && action.label === label) : [];
  const data = matches[index]?.data;
  if (!data) throw new Error(`no button "${label}" in: ${message ? messageText(message) : 'no message'}`);
  return data;
}

/** A correctly signed button, e.g. one naming another shop's link (signing is not authorization). */
export function signedPostback(action: string, args: string[], dialogId: string | null = null): string {
  return encodePostback({ action, args, dialogId }, APP_SECRET);
}

/** Taps a button and waits until the bot has sent `expected` more messages to that user. */
export async function tap(harness: LineHarness, userId: string, data: string, expected = 1): Promise<LineMessage[]> {
  const before = harness.line.messagesTo(userId).length;
  const response = await harness.deliver([harness.postbackEvent(userId, data)]);
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  const all = await harness.line.waitForMessages(userId, before + expected);
  await harness.server.worker.idle();
  return all.slice(before).map((entry) => entry.message);
}

/** The bubbles of a Flex carousel message. */
export function bubbles(message: LineMessage | undefined): LineMessage[] {
  const contents = (message?.contents ?? {}) as { type?: string; contents?: LineMessage[] };
  return contents.type === 'carousel' ? (contents.contents ?? []) : [];
}
