// links/captured-after-close.ts run directly on `payments.captured` events, against a real
// database and the fake LINE API: a payment KOMOJU captured after its link had closed (used up,
// expired, turned off) or its code's cap was reached tells the owner which rule it broke, with the
// refunds capability's own Refund button; a payment within the rules says nothing, a link edited
// since the capture raises no false alarm, a retried handler pushes once, and the button opens the
// refund dialog. Also the "usage limit reached" decision (payments/usage-limit-reached.ts).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/events/domain-events.js';
import { linksEventHandlers } from '../../../src/links/captured-after-close.js';
import { countPageView } from '../../../src/links/count-page-view.js';
import { decodePostback } from '../../../src/line/postback-data.js';
import { createLogger } from '../../../src/logger.js';
import { usageLimitReachedBy } from '../../../src/payments/usage-limit-reached.js';
import { fixtureId, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { databaseKinds } from '../../support/databases.js';
import { APP_SECRET, LogCapture, messageText } from '../../support/line-harness.js';
import { useLineHarness } from '../../support/suite-setup.js';

const MINUTE = 60_000;

describe.each(await databaseKinds())('captured after close on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);

  /** A captured payment of the link at `capturedAt` (its checkout bought `quantity`, with `codeId`). */
  async function captured(link: SeededLink, capturedAt: Date, options: { quantity?: number; codeId?: string; code?: string } = {}): Promise<string> {
    const checkoutId = fixtureId('chk');
    await prisma.checkout.create({
      data: {
        id: checkoutId,
        linkId: link.linkId,
        provider: 'komoju',
        quantity: options.quantity ?? 1,
        status: 'completed',
        discountCodeId: options.codeId ?? null,
        discountCode: options.code ?? null,
        amount: 1500,
      },
    });
    const paymentId = `pay_${randomBytes(8).toString('hex')}`;
    await prisma.payment.create({
      data: { id: paymentId, provider: 'komoju', linkId: link.linkId, checkoutId, status: 'captured', amount: 1500, currency: 'JPY', total: 1500, capturedAt, paymentMethod: 'credit_card' },
    });
    return paymentId;
  }

  async function lastEdited(link: SeededLink, at: Date): Promise<void> {
    await prisma.$executeRaw`UPDATE "Link" SET "updatedAt" = ${at} WHERE "id" = ${link.linkId}`;
  }

  function event(paymentId: string, link: SeededLink): DomainEvent<'payments.captured'> {
    return {
      id: randomBytes(8).toString('hex'),
      type: 'payments.captured',
      subjectId: paymentId,
      merchantId: link.merchantId,
      payload: { paymentId, linkId: link.linkId },
      attempts: 1,
      createdAt: new Date(),
    };
  }

  async function handle(domainEvent: DomainEvent<'payments.captured'>): Promise<void> {
    const handler = linksEventHandlers.on['payments.captured'];
    if (!handler) throw new Error('no payments.captured handler');
    await handler(domainEvent, { prisma, line: harness.server.line, config: harness.config, log: createLogger('debug', new LogCapture()), now: () => new Date() });
  }

  const pushed = (link: SeededLink) => harness.line.messagesTo(link.creatorId);

  it('tells the owner a payment went over the usage limit, with a Refund button for that payment', async () => {
    const link = await seedLink(prisma, { productName: 'Last jar', usageLimit: 1 });
    const start = new Date(Date.now() - 60 * MINUTE);
    await lastEdited(link, start);
    const within = await captured(link, new Date(start.getTime() + MINUTE));
    const over = await captured(link, new Date(start.getTime() + 2 * MINUTE));
    await handle(event(within, link));
    expect(pushed(link)).toHaveLength(0);

    await handle(event(over, link));
    const [notice] = pushed(link);
    expect(messageText(notice!.message)).toContain('A payment came in after “Last jar” reached its usage limit (1): ¥1,500');
    expect(messageText(notice!.message)).toContain(over);
    const items = (notice!.message as { quickReply?: { items: { action: { data?: string; label?: string } }[] } }).quickReply?.items ?? [];
    expect(items.map((item) => item.action.label)).toEqual(['Refund']);
    expect(decodePostback(items[0]?.action.data ?? '', APP_SECRET)).toEqual({ action: 'refunds.start', args: [over], dialogId: null });

    // The button is the refunds capability's own: the owner taps it and the refund dialog asks how much.
    await harness.deliver([harness.postbackEvent(link.creatorId, items[0]?.action.data ?? '')]);
    const [, answer] = await harness.line.waitForMessages(link.creatorId, 2);
    expect(JSON.stringify(answer?.message)).toContain('Last jar');
  });

  it('pushes once when the handler runs again for the same event (a retry after a crash)', async () => {
    const link = await seedLink(prisma, { usageLimit: 1 });
    const start = new Date(Date.now() - 60 * MINUTE);
    await lastEdited(link, start);
    await captured(link, new Date(start.getTime() + MINUTE));
    const over = event(await captured(link, new Date(start.getTime() + 2 * MINUTE)), link);
    await handle(over);
    await handle(over);
    expect(pushed(link)).toHaveLength(1);
  });

  it('names an expired link, and a turned-off one, but not one edited since the capture', async () => {
    const start = new Date(Date.now() - 60 * MINUTE);
    const expired = await seedLink(prisma, { productName: 'Autumn box', expiresAt: new Date(start.getTime() + 5 * MINUTE) });
    await lastEdited(expired, start);
    await handle(event(await captured(expired, new Date(start.getTime() + 10 * MINUTE)), expired));
    expect(messageText(pushed(expired)[0]!.message)).toContain('A payment came in after “Autumn box” expired');

    const off = await seedLink(prisma, { productName: 'Winter box', status: 'inactive' });
    await lastEdited(off, start);
    await handle(event(await captured(off, new Date(start.getTime() + 10 * MINUTE)), off));
    expect(messageText(pushed(off)[0]!.message)).toContain('A payment came in after “Winter box” was turned off');

    // Turned off after the payment came in: nothing was broken.
    const later = await seedLink(prisma, { status: 'inactive' });
    await handle(event(await captured(later, new Date(Date.now() - 10 * MINUTE)), later));
    expect(pushed(later)).toHaveLength(0);
  });

  it('still names the broken rule after the link was looked at, or its QR code drawn, since the capture', async () => {
    const start = new Date(Date.now() - 60 * MINUTE);
    const off = await seedLink(prisma, { productName: 'Spring box', status: 'inactive' });
    await lastEdited(off, start);
    const late = await captured(off, new Date(start.getTime() + 10 * MINUTE));
    // Neither a page view counted nor the QR code's PNG kept on the row is an edit of the terms.
    await countPageView(harness.server.db, off.linkId, 'Mozilla/5.0 (iPhone)');
    const qr = await fetch(`${harness.url}/qr/${off.slug}.png`);
    expect(qr.status).toBe(200);
    const row = await prisma.link.findUniqueOrThrow({ where: { id: off.linkId }, select: { pageViews: true, qrPng: true } });
    expect(row.pageViews).toBe(1);
    expect(Buffer.compare(Buffer.from(row.qrPng!), Buffer.from(await qr.arrayBuffer()))).toBe(0);
    await handle(event(late, off));
    expect(messageText(pushed(off)[0]!.message)).toContain('A payment came in after “Spring box” was turned off');
  });

  it('names a discount code used past its cap', async () => {
    const link = await seedLink(prisma, { productName: 'Sale tea' });
    const codeId = fixtureId('code');
    await prisma.discountCode.create({ data: { id: codeId, merchantId: link.merchantId, code: 'ONCE', codeKey: 'ONCE', amountOff: 100, currency: 'JPY', usageCap: 1 } });
    const start = new Date(Date.now() - 60 * MINUTE);
    await lastEdited(link, start);
    const first = await captured(link, new Date(start.getTime() + MINUTE), { codeId, code: 'ONCE' });
    const second = await captured(link, new Date(start.getTime() + 2 * MINUTE), { codeId, code: 'ONCE' });
    await handle(event(first, link));
    expect(pushed(link)).toHaveLength(0);
    await handle(event(second, link));
    expect(messageText(pushed(link)[0]!.message)).toContain('used code ONCE after it reached its cap (1 uses)');
  });

  it('decides the "usage limit reached" line by places, once: the capture that closed the link', async () => {
    const link = await seedLink(prisma, { usageLimit: 5, quantityMin: 1, quantityMax: 3 });
    const start = new Date(Date.now() - 60 * MINUTE);
    const a = await captured(link, new Date(start.getTime() + MINUTE), { quantity: 2 });
    const b = await captured(link, new Date(start.getTime() + 2 * MINUTE), { quantity: 3 });
    const c = await captured(link, new Date(start.getTime() + 3 * MINUTE));
    expect(await usageLimitReachedBy(prisma, a)).toBe(false);
    expect(await usageLimitReachedBy(prisma, b)).toBe(true);
    expect(await usageLimitReachedBy(prisma, c)).toBe(false);

    // A fixed set of 2 on a limit of 5: after two sets the one place left can never make a set.
    const sets = await seedLink(prisma, { usageLimit: 5, quantityMin: 2, quantityMax: 2 });
    await captured(sets, new Date(start.getTime() + MINUTE), { quantity: 2 });
    expect(await usageLimitReachedBy(prisma, await captured(sets, new Date(start.getTime() + 2 * MINUTE), { quantity: 2 }))).toBe(true);
  });
});
