// Subscription links on the sandbox provider (no KOMOJU key): the link page states the terms in
// the link's language, the TEST checkout saves a card and reports customer.updated, the first
// payment is captured at once, and the operator's `sandbox:renew` makes a period pass through the
// same webhook path (captured: one more captured payment and a notice; --fail: none, and a notice).
// `subscription:list` and `subscription:cancel` print one JSON object each.
import { beforeEach, describe, expect, it } from 'vitest';
import { adminCommands } from '../../../src/cli/command-list.js';
import { createDiscountCode } from '../../../src/discounts/create-code.js';
import type { CliContext } from '../../../src/cli/commands.js';
import { createLogger } from '../../../src/logger.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { databaseKinds } from '../../support/databases.js';
import { useLineHarness } from '../../support/suite-setup.js';
import { LogCapture } from '../../support/line-harness.js';
import { formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';

describe.each(await databaseKinds())('sandbox subscriptions on %s', (kind) => {
  const { database, prisma, harness } = useLineHarness(kind);
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });

  async function get(target: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${harness.url}${target}`, { redirect: 'manual' });
    return { status: response.status, body: await response.text() };
  }

  async function postForm(target: string, fields: Record<string, string>): Promise<Response> {
    return fetch(`${harness.url}${target}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async function runCommand(name: string, flags: Record<string, string | true>) {
    const command = adminCommands.find((candidate) => candidate.name === name);
    if (!command) throw new Error(`no command ${name}`);
    const context: CliContext = { config: harness.config, db: database.db, log: createLogger('debug', new LogCapture()), flags: new Map(Object.entries(flags)), stdin: process.stdin };
    return command.run(context);
  }

  /** Link page → Subscribe → the sandbox's Save card → back on the return page. */
  async function subscribe(link: SeededLink): Promise<string> {
    const token = formTokenIn((await get(`/l/${link.slug}`)).body);
    const pressed = await postForm(`/l/${link.slug}/checkout`, { token });
    expect(pressed.status).toBe(303);
    const checkoutPath = new URL(pressed.headers.get('location') ?? '').pathname;
    const checkout = await get(checkoutPath);
    expect(checkout.body).toContain('value="save"');
    expect(checkout.body).not.toContain('value="later"');
    const saved = await postForm(checkoutPath, { token: formTokenIn(checkout.body), action: 'save' });
    expect(saved.status).toBe(303);
    const back = new URL(saved.headers.get('location') ?? '');
    return (await get(`${back.pathname}${back.search}`)).body;
  }

  it('states the terms plainly on the link page in ja, en and ko', async () => {
    const expected = {
      ja: '毎月 ¥1,000・カード払いのみ・解約するまで自動で更新',
      en: '¥1,000 every month, card only, until cancelled',
      ko: '매월 ¥1,000, 카드 결제만 가능, 해지할 때까지 자동 결제',
    } as const;
    for (const language of ['ja', 'en', 'ko'] as const) {
      const link = await seedLink(prisma, { amount: 1000, language, billingInterval: 'month' });
      const page = await get(`/l/${link.slug}`);
      expect(page.body).toContain(`data-testid="subscription-terms"><strong>${expected[language]}</strong>`);
    }
    const weekly = await seedLink(prisma, { amount: 500, language: 'en', billingInterval: 'week' });
    expect((await get(`/l/${weekly.slug}`)).body).toContain('Subscribe: ¥500 every week');
    const yearly = await seedLink(prisma, { amount: 12000, language: 'en', billingInterval: 'year' });
    expect((await get(`/l/${yearly.slug}`)).body).toContain('¥12,000 every year, card only, until cancelled');
  });

  it('subscribes on the TEST checkout, then sandbox:renew adds a captured payment (and --fail none), each told to the merchant', async () => {
    const link = await seedLink(prisma, { productName: '朝摘みいちごの定期便'.repeat(8), amount: 1000, language: 'ja', billingInterval: 'month' });
    const back = await subscribe(link);
    expect(back).toContain('data-testid="paid"');
    expect(back).toContain('毎月 ¥1,000・カード払いのみ');
    const subscription = await prisma.subscription.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(subscription).toMatchObject({ provider: 'sandbox', status: 'active', interval: 'month', amount: 1000 });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1000, capturedPayments: 1, pendingPayments: 0 });
    await harness.line.waitForMessages(link.creatorId, 1);

    const renewed = await runCommand('sandbox:renew', { subscription: subscription.id, url: harness.url });
    expect(renewed.json).toMatchObject({ subscriptionId: subscription.id, status: 'captured', delivered: 'server' });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 2000, capturedPayments: 2, pendingPayments: 0 });
    const notices = await harness.line.waitForMessages(link.creatorId, 2);
    expect(String(notices[1]?.message.text)).toContain('Subscription renewed');

    const failed = await runCommand('sandbox:renew', { subscription: subscription.id, fail: true, url: harness.url });
    expect(failed.json).toMatchObject({ status: 'failed', delivered: 'server' });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 2000, capturedPayments: 2, pendingPayments: 0 });
    const afterFail = await harness.line.waitForMessages(link.creatorId, 3);
    expect(String(afterFail[2]?.message.text)).toContain('Subscription renewal failed');

    const listed = await runCommand('subscription:list', { link: link.slug });
    expect(listed.json).toMatchObject({
      linkId: link.linkId,
      billingInterval: 'month',
      subscriptions: [{ subscriptionId: subscription.id, status: 'active', capturedPayments: 2, interval: 'month' }],
    });
    const cancelled = await runCommand('subscription:cancel', { subscription: subscription.id });
    expect(cancelled.json).toMatchObject({ subscriptionId: subscription.id, status: 'cancelled', already: false });
    expect(await prisma.sandboxSubscription.findUniqueOrThrow({ where: { id: subscription.providerSubscriptionId ?? '' } })).toMatchObject({ status: 'deleted' });
    expect((await runCommand('subscription:cancel', { subscription: subscription.id })).json).toMatchObject({ already: true });
    await expect(runCommand('sandbox:renew', { subscription: subscription.id, url: harness.url })).rejects.toThrow(/only active subscriptions renew/);
  });

  it('a subscription link takes no discount code: the page offers none, and a code posted anyway is refused at its field', async () => {
    const link = await seedLink(prisma, { productName: 'Tea club', amount: 1000, language: 'en', billingInterval: 'month' });
    const created = await createDiscountCode(prisma, { merchantId: link.merchantId, code: 'SPRING10', off: { kind: 'percent', percent: 10 }, usageCap: null, expiresAt: null, linkIds: [] });
    expect(created.kind).toBe('created');
    const page = await get(`/l/${link.slug}`);
    expect(page.body).not.toContain('data-testid="code"');
    // The checkout accepts exactly what the page offers (links/offer-rule.ts): no code field, no code.
    const sessionsBefore = await prisma.sandboxSession.count();
    const forged = await postForm(`/l/${link.slug}/checkout`, { token: formTokenIn(page.body), code: 'SPRING10' });
    expect(forged.status).toBe(422);
    expect(await prisma.sandboxSession.count()).toBe(sessionsBefore);
    const pressed = await postForm(`/l/${link.slug}/checkout`, { token: formTokenIn(page.body) });
    expect(pressed.status).toBe(303);
    const session = await prisma.sandboxSession.findUniqueOrThrow({ where: { id: new URL(pressed.headers.get('location') ?? '').pathname.split('/').pop() ?? '' } });
    expect(session).toMatchObject({ mode: 'customer', amount: 1000 });
  });
});
