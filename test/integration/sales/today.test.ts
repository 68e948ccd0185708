import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../../src/db/database.js';
import { getShopToday } from '../../../src/sales/shop-today.js';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { useLineHarness, useTestDatabase } from '../../support/suite-setup.js';
import { actionsOf, postbackData, seedLink, seedMerchant, tap } from './sales-fixtures.js';

const kinds = await databaseKinds();

// Saturday 2026-11-28, 18:00 in Japan (09:00 UTC); the shop's day began at 2026-11-27T15:00Z.
const NOW = new Date('2026-11-28T09:00:00Z');
const hoursAgo = (hours: number, from = NOW) => new Date(from.getTime() - hours * 3_600_000);
const WEEK_MS = 7 * 86_400_000;

async function seedPayment(
  prisma: Prisma,
  linkId: string,
  fields: { status: string; total: number; capturedAt?: Date; currency?: string; deadline?: Date; refunds?: { amount: number; at: Date; chargeback?: boolean }[] },
): Promise<void> {
  const id = `pay_${randomUUID()}`;
  const refunded = (fields.refunds ?? []).reduce((sum, refund) => sum + refund.amount, 0);
  await prisma.payment.create({
    data: {
      id,
      provider: 'sandbox',
      linkId,
      status: fields.status,
      amount: fields.total,
      total: fields.total,
      currency: fields.currency ?? 'JPY',
      amountRefunded: refunded,
      capturedAt: fields.capturedAt ?? null,
      paymentMethod: fields.deadline ? 'konbini' : 'credit_card',
      paymentDeadline: fields.deadline ?? null,
    },
  });
  for (const refund of fields.refunds ?? []) {
    await prisma.refund.create({ data: { id: `ref_${randomUUID()}`, paymentId: id, amount: refund.amount, chargeback: refund.chargeback ?? false, createdAt: refund.at } });
  }
}

describe.each(kinds)("the shop's day on %s (fixed clock)", (kind) => {
  const { prisma } = useTestDatabase(kind);
  let beans = '';
  let mug = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [{ userId: 'Uowner', role: 'owner' }]);
    await seedMerchant(prisma, 'rival', [{ userId: 'Urival', role: 'owner' }]);
    beans = await seedLink(prisma, 'cafe', { productName: 'Coffee Beans' });
    mug = await seedLink(prisma, 'cafe', { productName: 'Coffee Mug' });
    const rival = await seedLink(prisma, 'rival', { productName: 'Rival Cake' });
    // Today: 2 × beans, 1 × mug (later refunded in part today), one in USD.
    await seedPayment(prisma, beans, { status: 'captured', total: 3000, capturedAt: hoursAgo(1) });
    await seedPayment(prisma, beans, { status: 'captured', total: 3000, capturedAt: hoursAgo(18) }); // 00:00 JST exactly
    await seedPayment(prisma, mug, { status: 'captured', total: 1200, capturedAt: hoursAgo(2), refunds: [{ amount: 200, at: hoursAgo(0.5) }] });
    await seedPayment(prisma, mug, { status: 'captured', total: 999, capturedAt: hoursAgo(3), currency: 'USD' });
    // Yesterday 23:59 JST: not today.
    await seedPayment(prisma, beans, { status: 'captured', total: 5000, capturedAt: hoursAgo(18.01) });
    // A refund today of yesterday's payment, and a chargeback today (not a refund the merchant gave).
    await seedPayment(prisma, beans, { status: 'refunded', total: 1500, capturedAt: hoursAgo(30), refunds: [{ amount: 1500, at: hoursAgo(4) }] });
    await seedPayment(prisma, beans, { status: 'captured', total: 1500, capturedAt: hoursAgo(30), refunds: [{ amount: 1500, at: hoursAgo(4), chargeback: true }] });
    // Last Saturday: one before this time of day, one after it.
    await seedPayment(prisma, beans, { status: 'captured', total: 2000, capturedAt: new Date(hoursAgo(5).getTime() - WEEK_MS) });
    await seedPayment(prisma, beans, { status: 'captured', total: 9000, capturedAt: new Date(NOW.getTime() + 3_600_000 - WEEK_MS) });
    // Awaiting: due in 3 h, due in 3 days, no deadline; one past its deadline no longer counts.
    await seedPayment(prisma, beans, { status: 'authorized', total: 1500, deadline: new Date(NOW.getTime() + 3 * 3_600_000) });
    await seedPayment(prisma, beans, { status: 'authorized', total: 1500, deadline: new Date(NOW.getTime() + 72 * 3_600_000) });
    await seedPayment(prisma, mug, { status: 'pending', total: 1500 });
    await seedPayment(prisma, mug, { status: 'authorized', total: 1500, deadline: hoursAgo(1) });
    // Another shop's sale today.
    await seedPayment(prisma, rival, { status: 'captured', total: 70000, capturedAt: hoursAgo(1) });
  });

  it('counts today from local midnight, compares with last Saturday up to the same time, and lists the top links', async () => {
    const today = await getShopToday(prisma, 'cafe', NOW, 'Asia/Tokyo');
    expect(today).toEqual({
      zone: 'Asia/Tokyo',
      asOf: NOW.toISOString(),
      day: '2026-11-28',
      weekday: 6,
      currency: 'JPY',
      capturedAmount: 7200,
      capturedPayments: 3,
      lastWeekAmount: 2000,
      lastWeekPayments: 1,
      awaitingPayments: 3,
      awaitingDueSoon: 1,
      refunds: 2,
      refundedAmount: 1700,
      topLinks: [
        { linkId: beans, productName: 'Coffee Beans', amount: 6000, payments: 2 },
        { linkId: mug, productName: 'Coffee Mug', amount: 1200, payments: 1 },
      ],
      otherCurrencies: { USD: 999 },
    });
  });

  it('starts a new day at midnight in Korea time too, and a quiet day reads all zeros', async () => {
    const nextMorning = new Date('2026-11-28T15:30:00Z'); // 00:30 on Sunday in Seoul
    const quiet = await getShopToday(prisma, 'cafe', nextMorning, 'Asia/Seoul');
    expect(quiet).toMatchObject({ day: '2026-11-29', weekday: 0, capturedAmount: 0, capturedPayments: 0, refunds: 0, topLinks: [], lastWeekAmount: 0 });
    const empty = await getShopToday(prisma, 'nobody', NOW, 'Asia/Tokyo');
    expect(empty).toMatchObject({ currency: 'JPY', capturedPayments: 0, awaitingPayments: 0, topLinks: [] });
  });
});

describe.each(kinds)('today in chat on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  let beans = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [
      { userId: 'Uen', role: 'owner', language: 'en' },
      { userId: 'Uja', role: 'staff', language: 'ja' },
      { userId: 'Uko', role: 'staff', language: 'ko' },
    ]);
    beans = await seedLink(prisma, 'cafe', { productName: 'Coffee Beans' });
    // The harness runs on the real clock: a payment a minute ago is today in Japan and Korea alike.
    await seedPayment(prisma, beans, { status: 'captured', total: 2500, capturedAt: new Date(Date.now() - 60_000) });
  });

  it('answers today / 今日 / 오늘 with the card, whose button opens the link summary', async () => {
    const [card] = await harness.say('Uen', 'today');
    expect(messageText(card!)).toContain('¥2,500 · 1 payment');
    expect(messageText((await harness.say('Uja', '今日'))[0]!)).toContain('今日の決済完了');
    expect(messageText((await harness.say('Uko', '오늘'))[0]!)).toContain('오늘 결제 완료');
    expect(actionsOf(card!).map((action) => action.label)).toContain('Coffee Beans');
    const [summary] = await tap(harness, 'Uen', postbackData(card, 'Coffee Beans'));
    expect(messageText(summary!)).toMatch(/Captured amount\n¥2,500/);
  });

  it('answers summary with no name (the rich menu area) with the card and the shop picture', async () => {
    const [card, chart] = await harness.say('Uen', 'summary', 2);
    expect(messageText(card!)).toContain('Captured today');
    expect(chart?.type).toBe('image');
  });
});
