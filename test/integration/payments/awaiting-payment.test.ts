// Payments that await payment (konbini and the like), testable with no account: the sandbox's
// "Pay later (konbini)", the creator's notices (awaiting until <deadline>, then paid or expired,
// each once), the admin CLI's sandbox:capture / sandbox:expire, and cancelling one.
import { beforeEach, describe, expect, it } from 'vitest';
import { adminCommands } from '../../../src/cli/command-list.js';
import { createLogger } from '../../../src/logger.js';
import { formatDateTime } from '../../../src/i18n/format.js';
import { cancelPayment } from '../../../src/payments/refund-payment.js';
import { postSandboxEvent, sandboxEvent } from '../../../src/payments/sandbox/sandbox-events.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { listTransactions } from '../../../src/payments/list-transactions.js';
import { databaseKinds } from '../../support/databases.js';
import { formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { LogCapture } from '../../support/line-harness.js';
import { useLineHarness } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('awaiting payments through the sandbox on %s', (kind) => {
  const { database, prisma, harness } = useLineHarness(kind);
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });

  async function get(target: string): Promise<string> {
    return (await fetch(`${harness.url}${target}`)).text();
  }

  async function post(target: string, fields: Record<string, string>): Promise<Response> {
    return fetch(`${harness.url}${target}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Link page → Pay → the sandbox page → "Pay later (konbini)". */
  async function payLater(link: SeededLink): Promise<{ paymentId: string; returnPath: string }> {
    const checkout = await post(`/l/${link.slug}/checkout`, { token: formTokenIn(await get(`/l/${link.slug}`)) });
    const checkoutPath = new URL(checkout.headers.get('location') ?? '').pathname;
    const page = await get(checkoutPath);
    expect(page).toContain('value="later"');
    const later = await post(checkoutPath, { token: formTokenIn(page), action: 'later' });
    expect(later.status).toBe(303);
    const returned = new URL(later.headers.get('location') ?? '');
    const payment = await prisma.payment.findFirstOrThrow({ where: { linkId: link.linkId } });
    return { paymentId: payment.id, returnPath: `${returned.pathname}${returned.search}` };
  }

  function run(name: string, flags: Record<string, string>) {
    const command = adminCommands.find((candidate) => candidate.name === name);
    if (!command) throw new Error(`no command ${name}`);
    return command.run({ config: harness.config, db: database.db, log: createLogger('silent', new LogCapture()), flags: new Map(Object.entries(flags)), stdin: process.stdin });
  }

  it('offers a card-only link no konbini payment, on the page or by a forged button', async () => {
    const link = await seedLink(prisma, { productName: 'Card only', language: 'ja', amount: 900, paymentTypes: ['credit_card'] });
    const checkout = await post(`/l/${link.slug}/checkout`, { token: formTokenIn(await get(`/l/${link.slug}`)) });
    const checkoutPath = new URL(checkout.headers.get('location') ?? '').pathname;
    const page = await get(checkoutPath);
    expect(page).toContain('value="pay"');
    expect(page).not.toContain('value="later"');
    const forged = await post(checkoutPath, { token: formTokenIn(page), action: 'later' });
    expect(forged.status).toBe(303);
    expect(await prisma.payment.count({ where: { linkId: link.linkId } })).toBe(0);
    // A konbini-only link has no card button either.
    const konbini = await seedLink(prisma, { productName: 'Konbini only', language: 'ja', amount: 900, paymentTypes: ['konbini'] });
    const konbiniCheckout = await post(`/l/${konbini.slug}/checkout`, { token: formTokenIn(await get(`/l/${konbini.slug}`)) });
    const konbiniPage = await get(new URL(konbiniCheckout.headers.get('location') ?? '').pathname);
    expect(konbiniPage).toContain('value="later"');
    expect(konbiniPage).not.toContain('value="pay"');
  });

  it('tells the creator it awaits payment until the deadline, then once that it was paid', async () => {
    const link = await seedLink(prisma, { productName: 'Hojicha', language: 'en', amount: 1800 });
    const { paymentId, returnPath } = await payLater(link);
    const stored = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(stored).toMatchObject({ status: 'authorized', paymentMethod: 'konbini', capturedAt: null });
    expect(stored.paymentDeadline?.getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);
    expect(await get(returnPath)).toContain('Your payment is awaiting completion');
    const [awaiting] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(String(awaiting?.message.text)).toMatch(
      /^Awaiting payment \(Convenience store\)\nHojicha: ¥1,800\nThe buyer chose to pay by Convenience store\. Paid by \w{3} \d{1,2}, 2026.*; do not ship before it is paid\./,
    );
    expect((await listTransactions(prisma, link.linkId)).items[0]).toMatchObject({ state: 'awaiting', paymentDeadline: stored.paymentDeadline });

    const captured = await run('sandbox:capture', { payment: paymentId, url: harness.url });
    expect(captured.json).toMatchObject({ paymentId, status: 'captured', delivered: 'server' });
    const [, paid] = await harness.line.waitForMessages(link.creatorId, 2);
    expect(String(paid?.message.text)).toContain('Payment received\nHojicha: ¥1,800');
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1800, capturedPayments: 1, pendingPayments: 0 });
    await expect(run('sandbox:capture', { payment: paymentId, url: harness.url })).rejects.toThrow(/is captured; only authorized/);
    await harness.server.worker.idle();
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(2);
  });

  it('tells the creator once when it expires unpaid', async () => {
    const link = await seedLink(prisma, { productName: 'Kabuse', language: 'ja', amount: 2400 });
    const { paymentId } = await payLater(link);
    await harness.line.waitForMessages(link.creatorId, 1);
    const expired = await run('sandbox:expire', { payment: paymentId, url: harness.url });
    expect(expired.json).toMatchObject({ status: 'expired', delivered: 'server' });
    const [, notice] = await harness.line.waitForMessages(link.creatorId, 2);
    expect(String(notice?.message.text)).toMatch(/^Not paid in time\nKabuse: ¥2,400\nThe payment awaiting payment expired on \w{3} \d{1,2}, 2026, \d{1,2}:\d{2} [AP]M without being paid\.$/);
    // The day it expired (today), not its deadline days later.
    const today = formatDateTime(new Date().toISOString(), 'en').replace(/, \d{1,2}:\d{2} [AP]M$/, '');
    expect(String(notice?.message.text)).toContain(`expired on ${today}, `);
    // KOMOJU redelivering the news does not tell the creator again.
    const row = await prisma.sandboxPayment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(await postSandboxEvent(`${harness.url}/webhooks/komoju`, sandboxEvent('payment.expired', row), harness.config.appSecret)).toBe(200);
    await harness.server.events.idle();
    expect(harness.line.messagesTo(link.creatorId)).toHaveLength(2);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedPayments: 0, pendingPayments: 1 });
  });

  it('records in the ledger alone when no server answers, and cancels an awaiting payment through the sandbox', async () => {
    const link = await seedLink(prisma, { amount: 900, notices: false });
    const first = await payLater(link);
    const offline = await run('sandbox:capture', { payment: first.paymentId, url: 'http://127.0.0.1:9' });
    expect(offline.json).toMatchObject({ status: 'captured', delivered: 'ledger_only' });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: first.paymentId } })).toMatchObject({ status: 'captured' });

    await prisma.rateLimit.deleteMany();
    const link2 = await seedLink(prisma, { amount: 900, notices: false });
    const second = await payLater(link2);
    const cancelled = await cancelPayment({ prisma, config: harness.config, log: createLogger('silent') }, { paymentId: second.paymentId });
    expect(cancelled).toMatchObject({ ok: true, payment: { status: 'cancelled' } });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: second.paymentId } })).toMatchObject({ status: 'cancelled' });
    await expect(run('sandbox:expire', { payment: second.paymentId })).rejects.toThrow(/is cancelled/);
  });
});
