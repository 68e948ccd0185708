// `payment:refund` through the payment's own provider: KOMOJU (the fake server, speaking the
// documented refund endpoint with an idempotency key) and the sandbox. The ledger follows the
// provider's webhooks, never the command's answer.
import { describe, expect, it } from 'vitest';
import { adminCommands } from '../../../src/cli/command-list.js';
import type { CliContext } from '../../../src/cli/commands.js';
import { createLogger } from '../../../src/logger.js';
import { createKomojuProvider } from '../../../src/payments/komoju/komoju-client.js';
import { paySandboxSession } from '../../../src/payments/sandbox/sandbox-actions.js';
import { createSandboxProvider } from '../../../src/payments/sandbox/sandbox-provider.js';
import { refundIdempotencyKey, refundPayment } from '../../../src/payments/refund-payment.js';
import { receiveKomojuWebhook } from '../../../src/payments/receive-komoju-webhook.js';
import { sandboxEvent, signedSandboxEvent } from '../../../src/payments/sandbox/sandbox-events.js';
import { getLinkSummary } from '../../../src/payments/summary.js';
import { loadConfig } from '../../../src/config.js';
import { databaseKinds } from '../../support/databases.js';
import type { CompleteOptions } from '../../support/fake-komoju.js';
import { fixtureId, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { APP_SECRET, LogCapture } from '../../support/line-harness.js';
import { useFakeKomoju, useLineHarness, useTestDatabase } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_refund_0123456789';
const WEBHOOK_SECRET = 'whsec_refund_0123456789abcdef';

describe.each(await databaseKinds())('payment:refund through KOMOJU on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { database, prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url },
  }));

  const webhookUrl = () => `${harness.url}/webhooks/komoju`;

  function run(flags: Record<string, string>) {
    const command = adminCommands.find((candidate) => candidate.name === 'payment:refund');
    if (!command) throw new Error('no payment:refund command');
    const context: CliContext = {
      config: harness.config,
      db: database.db,
      log: createLogger('debug', new LogCapture()),
      flags: new Map(Object.entries(flags)),
      stdin: process.stdin,
    };
    return command.run(context);
  }

  /** A buyer paid at KOMOJU and its `payment.captured` reached the ledger. */
  async function paid(link: SeededLink, options: CompleteOptions = {}): Promise<string> {
    const session = await createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url }).createSession({
      amount: 1000,
      currency: 'JPY',
      locale: 'en',
      returnUrl: 'http://127.0.0.1:1/return',
      lineItem: { description: 'Tea', amount: 1000, quantity: 1 },
      metadata: { linkId: link.linkId },
      idempotencyKey: fixtureId('chk'),
    });
    const payment = fake.completeSession(session.id, options.paymentMethod === 'konbini' ? 'authorized' : 'captured', options);
    if (payment.status === 'authorized') fake.capture(payment.id);
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.captured', payment.id), WEBHOOK_SECRET)).toBe(200);
    return payment.id;
  }

  const refundCalls = (paymentId: string) => fake.requests.filter((request) => request.method === 'POST' && request.path === `/api/v1/payments/${paymentId}/refund`);

  it('refunds part, then the rest, at KOMOJU with an idempotency key; the summary follows the webhooks', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);

    const partial = await run({ payment: paymentId, amount: '400' });
    expect(partial.json).toEqual({ paymentId, amount: 400, currency: 'JPY', amountRefunded: 400, total: 1000, status: 'captured', full: false, repeated: false });
    const [call] = refundCalls(paymentId);
    expect(call?.body).toEqual({ amount: 400 });
    expect(call?.headers['x-komoju-idempotency']).toMatch(/^refund-[0-9a-f]{40}$/);
    // Not recorded from the command's answer: the ledger waits for KOMOJU's event.
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 1000 });
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.refund.created', paymentId), WEBHOOK_SECRET)).toBe(200);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 600, capturedPayments: 1, refundedPayments: 0 });

    const rest = await run({ payment: paymentId });
    expect(rest.json).toMatchObject({ amount: 600, amountRefunded: 1000, status: 'refunded', full: true });
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.refunded', paymentId), WEBHOOK_SECRET)).toBe(200);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 0, capturedPayments: 0, refundedPayments: 1 });
    expect(refundCalls(paymentId)).toHaveLength(2);

    // The same command again is the same refund: reported as made, not made again.
    expect((await run({ payment: paymentId })).json).toMatchObject({ amount: 600, status: 'refunded', repeated: true });
    await expect(run({ payment: paymentId, 'request-id': 'another' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/already refunded in full/) });
    expect(refundCalls(paymentId)).toHaveLength(2);
  });

  it('never asks for more than is left, and says how much is', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);
    await expect(run({ payment: paymentId, amount: '1001' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/from 1 to 1000/) });
    await expect(run({ payment: paymentId, amount: '-5' })).rejects.toThrow(/positive whole number/);
    await expect(run({ payment: 'nosuchpayment' })).rejects.toMatchObject({ exitCode: 3 });
    expect(refundCalls(paymentId)).toHaveLength(0);
  });

  it('the same refund decision carries the same key, never one from what was refunded since', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);
    const key = refundIdempotencyKey({ paymentId, amount: 300, confirmation: 'dialog-1' });
    expect(key).toBe(refundIdempotencyKey({ paymentId, amount: 300, confirmation: 'dialog-1' }));
    expect(key).not.toBe(refundIdempotencyKey({ paymentId, amount: 300, confirmation: 'dialog-2' }));
    expect(key).not.toBe(refundIdempotencyKey({ paymentId, amount: 400, confirmation: 'dialog-1' }));
    const provider = createKomojuProvider({ secretKey: SECRET_KEY, apiBaseUrl: fake.url });
    await provider.refundPayment(paymentId, { amount: 300, idempotencyKey: key });
    const again = await provider.refundPayment(paymentId, { amount: 300, idempotencyKey: key });
    expect(again).toMatchObject({ amountRefunded: 300, refunds: [expect.objectContaining({ amount: 300 })] });
    expect(fake.payment(paymentId).amount_refunded).toBe(300);
  });

  it('a partial refund retried after a crash (KOMOJU’s webhook landed first) is paid once', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);
    const deps = { prisma, config: harness.config, log: createLogger('silent') };
    const confirmed = { paymentId, amount: 300, confirmation: 'dialog-crash' };
    expect(await refundPayment(deps, confirmed)).toMatchObject({ ok: true, amount: 300, repeated: false });
    // The answer was slow: KOMOJU's webhook recorded the refund, then the process died before the
    // step was saved. The redelivered event runs the same confirmation again.
    expect(await fake.sendWebhook(webhookUrl(), fake.event('payment.refund.created', paymentId), WEBHOOK_SECRET)).toBe(200);
    expect(await refundPayment(deps, confirmed)).toMatchObject({ ok: true, amount: 300, repeated: true });
    expect(fake.payment(paymentId).amount_refunded).toBe(300);
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 700 });
  });

  it('the same command again refunds once; a new --request-id refunds the same amount again', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);
    expect((await run({ payment: paymentId, amount: '300' })).json).toMatchObject({ amount: 300, amountRefunded: 300, repeated: false });
    const again = await run({ payment: paymentId, amount: '300' });
    expect(again.json).toMatchObject({ amount: 300, amountRefunded: 300, repeated: true });
    expect(again.text).toContain('nothing new was refunded');
    expect(fake.payment(paymentId).amount_refunded).toBe(300);
    expect((await run({ payment: paymentId, amount: '300', 'request-id': 'second-300' })).json).toMatchObject({ amountRefunded: 600, repeated: false });
    expect(refundCalls(paymentId)).toHaveLength(2);
    const keys = refundCalls(paymentId).map((call) => call.headers['x-komoju-idempotency']);
    expect(new Set(keys).size).toBe(2);
  });

  it('a refund whose answer is lost is decided by reading the payment: made → done, once', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);
    // KOMOJU makes the refund; the answer to it and to both retries never arrives.
    fake.loseAnswer({ method: 'POST', path: /^\/api\/v1\/payments\/[^/]+\/refund$/, count: 3 });
    const outcome = await run({ payment: paymentId, amount: '250' });
    expect(outcome.json).toMatchObject({ amount: 250, amountRefunded: 250, repeated: false });
    expect(fake.payment(paymentId).refunds).toHaveLength(1);
    const reads = fake.requests.filter((request) => request.method === 'GET' && request.path === `/api/v1/payments/${paymentId}`);
    expect(reads.length).toBeGreaterThanOrEqual(2);
  });

  it('a refund KOMOJU answers with a 5xx is unknown until read: checked later, never repeated under a new key', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link);
    // KOMOJU fails the call and both retries (it did nothing); a 5xx alone does not say so.
    fake.failNext(3, 503, undefined, 'POST');
    await expect(run({ payment: paymentId, amount: '200' })).rejects.toMatchObject({ exitCode: 4, message: expect.stringMatching(/answer was lost.*never refunds twice/) });
    expect(fake.payment(paymentId).amount_refunded).toBe(0);
    const attempt = await prisma.moneyBackAttempt.findFirstOrThrow({ where: { paymentId } });
    expect(attempt).toMatchObject({ kind: 'refund', amount: 200, outcome: 'unknown' });
    const check = await prisma.domainEvent.findFirstOrThrow({ where: { type: 'refunds.outcomeCheckDue', subjectId: paymentId } });
    expect(check.payload).toEqual({ attemptId: attempt.id });
    expect(check.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
    // The same command again: the read shows nothing, so it asks under the same key, once.
    expect((await run({ payment: paymentId, amount: '200' })).json).toMatchObject({ amountRefunded: 200, repeated: false });
    expect(new Set(refundCalls(paymentId).map((call) => call.headers['x-komoju-idempotency'])).size).toBe(1);
    expect(fake.payment(paymentId).refunds).toHaveLength(1);
  });

  it('refunds the tax and fee too: what is left is the total the buyer paid', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const paymentId = await paid(link, { tax: 100, paymentMethodFee: 0 });
    const result = await run({ payment: paymentId });
    expect(result.json).toMatchObject({ amount: 1100, total: 1100, full: true });
  });

  it('sends konbini payments to the refund request instead, and reports KOMOJU refusals', async () => {
    const link = await seedLink(prisma, { amount: 1000 });
    const konbini = await paid(link, { paymentMethod: 'konbini', paymentMethodFee: 190 });
    await expect(run({ payment: konbini })).rejects.toThrow(/paid by konbini.*refund request/);
    expect(refundCalls(konbini)).toHaveLength(0);

    const card = await paid(link);
    fake.failNext(1, 422, { error: { code: 'invalid_payment_status', message: 'Payment cannot be refunded' } });
    await expect(run({ payment: card, amount: '100' })).rejects.toThrow(/provider refused the refund: KOMOJU GET .* failed: HTTP 422 invalid_payment_status/);
  });
});

describe.each(await databaseKinds())('payment:refund through the sandbox on %s', (kind) => {
  const { database, prisma } = useTestDatabase(kind);

  const config = () => loadConfig({ DATA_DIR: '/nonexistent', APP_SECRET, PUBLIC_BASE_URL: 'http://127.0.0.1:1' });

  function run(flags: Record<string, string>) {
    const command = adminCommands.find((candidate) => candidate.name === 'payment:refund');
    if (!command) throw new Error('no payment:refund command');
    return command.run({ config: config(), db: database.db, log: createLogger('silent'), flags: new Map(Object.entries(flags)), stdin: process.stdin });
  }

  it('refunds through the sandbox, which reports the change to the ledger as KOMOJU would', async () => {
    const link = await seedLink(prisma, { amount: 800 });
    const sandbox = createSandboxProvider({ prisma, publicBaseUrl: 'http://127.0.0.1:1' });
    const session = await sandbox.createSession({
      amount: 800,
      currency: 'JPY',
      locale: 'en',
      returnUrl: 'http://127.0.0.1:1/return',
      lineItem: { description: 'Tea', amount: 800, quantity: 1 },
      metadata: { linkId: link.linkId },
      idempotencyKey: fixtureId('chk'),
    });
    const payment = await paySandboxSession(prisma, session.id, 'captured');
    if (payment.kind !== 'captured') throw new Error('not captured');
    const { body, headers } = signedSandboxEvent(sandboxEvent('payment.captured', payment.payment), APP_SECRET);
    const deps = { prisma, config: config(), log: createLogger('silent') };
    expect((await receiveKomojuWebhook(deps, Buffer.from(body), headers['X-Komoju-Signature'])).status).toBe(200);

    expect((await run({ payment: payment.payment.id, amount: '300' })).json).toMatchObject({ amount: 300, amountRefunded: 300, full: false });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 500, capturedPayments: 1 });
    await expect(run({ payment: payment.payment.id, amount: '501' })).rejects.toThrow(/from 1 to 500/);
    expect((await run({ payment: payment.payment.id })).json).toMatchObject({ amount: 500, status: 'refunded', full: true });
    expect(await getLinkSummary(prisma, link.linkId)).toMatchObject({ capturedAmount: 0, refundedPayments: 1 });
  });
});
