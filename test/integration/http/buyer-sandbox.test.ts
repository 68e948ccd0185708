// The sandbox provider (no KOMOJU key configured): its TEST checkout page, Pay / Decline / Leave,
// its signed KOMOJU-format events through our own /webhooks/komoju, and the operator's refund and
// chargeback commands.
import { beforeEach, describe, expect, it } from 'vitest';
// Through the registry, as the admin CLI finds them (commands.ts and the list import each other).
import { adminCommands } from '../../../src/cli/command-list.js';
import type { CliContext } from '../../../src/cli/commands.js';
import { formToken } from '../../../src/pages/form-token.js';
import { createLogger } from '../../../src/logger.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { signKomojuBody } from '../../../src/payments/komoju/komoju-webhook.js';
import { databaseKinds } from '../../support/databases.js';
import { LogCapture } from '../../support/line-harness.js';
import { formTokenIn, noticeRetryKey, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('sandbox checkout on %s', (kind) => {
  const { database, prisma, harness } = useLineHarness(kind);
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });

  const path = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };

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

  /** Link page → Pay: the sandbox checkout page's path. */
  async function openSandboxCheckout(link: SeededLink): Promise<string> {
    const token = formTokenIn((await get(`/l/${link.slug}`)).body);
    const response = await postForm(`/l/${link.slug}/checkout`, { token });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:1\/sandbox\/sessions\/sbs_[0-9a-f]{24}$/);
    return path(location);
  }

  async function pressSandbox(checkoutPath: string, action: 'pay' | 'decline' | 'leave'): Promise<Response> {
    const token = formTokenIn((await get(checkoutPath)).body);
    return postForm(checkoutPath, { token, action });
  }

  function cliContext(flags: Record<string, string>): CliContext {
    return {
      config: harness.config,
      db: database.db,
      log: createLogger('debug', new LogCapture()),
      flags: new Map(Object.entries(flags)),
      stdin: process.stdin,
    };
  }

  async function runCommand(name: string, flags: Record<string, string>) {
    const command = adminCommands.find((candidate) => candidate.name === name);
    if (!command) throw new Error(`no command ${name}`);
    return command.run(cliContext(flags));
  }

  async function paidSandboxPayment(amount: number): Promise<{ link: SeededLink; paymentId: string }> {
    const link = await seedLink(prisma, { amount });
    const checkoutPath = await openSandboxCheckout(link);
    expect((await pressSandbox(checkoutPath, 'pay')).status).toBe(303);
    const payment = await prisma.payment.findFirstOrThrow({ where: { linkId: link.linkId } });
    return { link, paymentId: payment.id };
  }

  it('marks the link page TEST and serves a TEST checkout in the link language', async () => {
    const link = await seedLink(prisma, { productName: 'Yuzu jam', language: 'ko', amount: 12000, currency: 'KRW' });
    const page = await get(`/l/${link.slug}`);
    expect(page.body).toContain('data-testid="test-badge"');
    expect(page.body).toContain('테스트용 결제 페이지입니다');
    const checkout = await get(await openSandboxCheckout(link));
    expect(checkout.status).toBe(200);
    expect(checkout.body).toContain('<html lang="ko">');
    expect(checkout.body).toContain('테스트 — 샌드박스 결제');
    expect(checkout.body).toContain('Yuzu jam');
    expect(checkout.body).toContain('12,000원');
    for (const action of ['pay', 'decline', 'leave']) expect(checkout.body).toContain(`value="${action}"`);
  });

  it('names the shop and the quantity on the sandbox checkout, charging unit price × quantity', async () => {
    const link = await seedLink(prisma, { productName: 'Yuzu jam', language: 'en', amount: 700, quantityMin: 1, quantityMax: 4 });
    await prisma.merchant.update({ where: { id: link.merchantId }, data: { displayName: 'Yuzu Farm' } });
    const token = formTokenIn((await get(`/l/${link.slug}`)).body);
    const response = await postForm(`/l/${link.slug}/checkout`, { token, quantity: '3' });
    expect(response.status).toBe(303);
    const checkout = await get(path(response.headers.get('location') ?? ''));
    expect(checkout.body).toContain('<p data-testid="sandbox-item">Yuzu jam × 3</p>');
    expect(checkout.body).toContain('¥2,100');
    expect(checkout.body).toContain('<span data-testid="shop-name">Yuzu Farm</span>');
    expect(checkout.body).toContain('data-testid="legal-link"');
  });

  it('never takes a sandbox payment for a link made for real payments', async () => {
    const link = await seedLink(prisma, { language: 'ko', testMode: false });
    const page = await get(`/l/${link.slug}`);
    expect(page.status).toBe(410);
    expect(page.body).toContain('판매자에게 새 결제 링크를 문의해 주세요');
    expect(page.body).not.toContain('name="token"');
    const press = await postForm(`/l/${link.slug}/checkout`, { token: formToken(harness.config.appSecret, 'checkout', link.slug) });
    expect(press.status).toBe(410);
    expect(await prisma.checkout.count({ where: { linkId: link.linkId } })).toBe(0);
    expect(await prisma.sandboxSession.count({ where: { metadata: { path: ['linkId'], equals: link.linkId } } })).toBe(0);
  });

  it('Pay records a captured payment through the signed webhook, notifies the creator and shows paid', async () => {
    const link = await seedLink(prisma, { productName: 'Yuzu jam', language: 'en', amount: 1200 });
    const checkoutPath = await openSandboxCheckout(link);
    const sandboxToken = formTokenIn((await get(checkoutPath)).body);
    const response = await postForm(checkoutPath, { token: sandboxToken, action: 'pay' });
    expect(response.status).toBe(303);
    const back = response.headers.get('location') ?? '';
    const sessionId = checkoutPath.split('/').pop() ?? '';
    expect(back).toBe(`http://127.0.0.1:1/l/${link.slug}/return?session_id=${sessionId}`);

    // The ledger heard of it as a KOMOJU-format event POSTed to /webhooks/komoju, before the redirect.
    const payment = await prisma.payment.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(payment).toMatchObject({ provider: 'sandbox', status: 'captured', amount: 1200, currency: 'JPY', sessionId });
    const event = await prisma.providerEvent.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(event).toMatchObject({ type: 'payment.captured' });
    expect(event.id).toMatch(/^evt_sandbox_/);

    const [notice] = await harness.line.waitForMessages(link.creatorId, 1);
    expect(notice?.key).toBe(await noticeRetryKey(prisma, 'payments.captured', payment.id));
    expect(String(notice?.message.text)).toContain('Yuzu jam: ¥1,200');

    const paid = await get(path(back));
    expect(paid.body).toContain('Thank you! Your payment is complete.');
    // A second press (another tab, a double tap) cannot pay the session twice.
    const again = await postForm(checkoutPath, { token: sandboxToken, action: 'pay' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(checkoutPath);
    const closed = await get(checkoutPath);
    expect(closed.body).toContain('This test checkout is no longer open.');
    expect(closed.body).toContain(`href="${back.replace(/&/g, '&amp;')}"`);
    expect(await prisma.payment.count({ where: { linkId: link.linkId } })).toBe(1);
  });

  it('Decline records a failed payment and lets the buyer try again', async () => {
    const link = await seedLink(prisma, { language: 'ja' });
    const checkoutPath = await openSandboxCheckout(link);
    const declined = await pressSandbox(checkoutPath, 'decline');
    expect(declined.status).toBe(303);
    expect(declined.headers.get('location')).toBe(`${checkoutPath}?declined=1`);
    expect(await prisma.payment.findFirstOrThrow({ where: { linkId: link.linkId } })).toMatchObject({ status: 'failed' });
    expect((await get(`${checkoutPath}?declined=1`)).body).toContain('テスト決済は拒否されました');
    expect((await pressSandbox(checkoutPath, 'pay')).status).toBe(303);
    expect(await prisma.payment.count({ where: { linkId: link.linkId, status: 'captured' } })).toBe(1);
    expect((await getLinkSummary(prisma, link.linkId)).capturedPayments).toBe(1);
  });

  it('Leave goes back to the return page, which says not completed; the attempt counts as pending', async () => {
    const link = await seedLink(prisma, { language: 'en' });
    const checkoutPath = await openSandboxCheckout(link);
    const left = await pressSandbox(checkoutPath, 'leave');
    expect(left.status).toBe(303);
    const page = await get(path(left.headers.get('location') ?? ''));
    expect(page.body).toContain('Payment not completed');
    expect(page.body).toContain(`href="/l/${link.slug}"`);
    expect(await prisma.checkout.findFirstOrThrow({ where: { linkId: link.linkId } })).toMatchObject({ status: 'cancelled' });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedPayments: 0, pendingPayments: 1 });
    expect((await get(checkoutPath)).body).toContain('This test checkout is no longer open.');
  });

  it('refuses sandbox posts without a valid token, and sandbox events signed with another secret', async () => {
    const link = await seedLink(prisma);
    const checkoutPath = await openSandboxCheckout(link);
    expect((await postForm(checkoutPath, { token: 'forged', action: 'pay' })).status).toBe(403);
    const body = JSON.stringify({ id: 'evt_forged', type: 'payment.captured', resource: 'event', data: {} });
    const forged = await fetch(`${harness.url}/webhooks/komoju`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Komoju-Signature': signKomojuBody(body, 'some-other-secret') },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await prisma.payment.count({ where: { linkId: link.linkId } })).toBe(0);
  });

  it('refunds partly, then fully, through the admin command and the ledger follows', async () => {
    const { link, paymentId } = await paidSandboxPayment(1000);
    const partial = await runCommand('sandbox:refund', { payment: paymentId, amount: '300' });
    expect(partial.json).toMatchObject({ paymentId, amount: 300, amountRefunded: 300, status: 'captured', chargeback: false });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 700, capturedPayments: 1, refundedPayments: 0 });

    const rest = await runCommand('sandbox:refund', { payment: paymentId });
    expect(rest.json).toMatchObject({ amount: 700, amountRefunded: 1000, status: 'refunded' });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 1 });
    expect(await prisma.providerEvent.findMany({ where: { paymentId }, select: { type: true }, orderBy: { receivedAt: 'asc' } })).toEqual([
      { type: 'payment.captured' },
      { type: 'payment.refund.created' },
      { type: 'payment.refunded' },
    ]);
    await expect(runCommand('sandbox:refund', { payment: paymentId })).rejects.toThrow(/only captured payments/);
  });

  it('charges a payment back through the admin command', async () => {
    const { link, paymentId } = await paidSandboxPayment(2000);
    const result = await runCommand('sandbox:chargeback', { payment: paymentId });
    expect(result.json).toMatchObject({ amount: 2000, chargeback: true });
    const refunds = await prisma.refund.findMany({ where: { paymentId } });
    expect(refunds).toEqual([expect.objectContaining({ amount: 2000, chargeback: true })]);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 0 });
  });

  it('rejects bad operator input clearly', async () => {
    const { paymentId } = await paidSandboxPayment(500);
    await expect(runCommand('sandbox:refund', { payment: paymentId, amount: '501' })).rejects.toThrow(/from 1 to 500/);
    await expect(runCommand('sandbox:refund', { payment: paymentId, amount: '1.5' })).rejects.toThrow(/positive whole number/);
    await expect(runCommand('sandbox:refund', { payment: 'sbp_nope' })).rejects.toThrow(/no sandbox payment/);
    await expect(runCommand('sandbox:refund', {})).rejects.toThrow(/--payment/);
  });
});
