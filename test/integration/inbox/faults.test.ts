// Faults the core loop must survive in one process: a webhook batch holding events PostgreSQL
// cannot store as sent, the same for KOMOJU, error logs that must not leak what users wrote, and
// a database that silently stops answering (packets dropped, sockets left open).
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { signKomojuBody } from '../../../src/payments/komoju/komoju-webhook.js';
import { createTestDatabase, databaseKinds, isPostgresAvailable } from '../../support/databases.js';
import { LogCapture, signLine, startLineHarness } from '../../support/line-harness.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { useLineHarness } from '../../support/suite-setup.js';

const KOMOJU_WEBHOOK_SECRET = 'whsec-faults-0123456789';
const MARKER = 'PRIVATE-WORDS-7f3a';

describe.each(await databaseKinds())('poisoned deliveries on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind, {
    env: { KOMOJU_SECRET_KEY: 'sk_test_faults', KOMOJU_WEBHOOK_SECRET, KOMOJU_API_BASE_URL: 'http://127.0.0.1:1' },
  });

  it('answers 200 to a batch with unstorable events, parks those with a reason and answers every other one', async () => {
    const good = harness.textEvent('Upoison-good', 'help');
    const nul = harness.textEvent('Upoison-nul', `${MARKER} \u0000 help`);
    const surrogate = harness.textEvent('Upoison-surrogate', `${MARKER} \ud800`);
    const fraction = harness.textEvent('Upoison-fraction', MARKER, { timestamp: 1.5 });
    const huge = harness.textEvent('Upoison-huge', MARKER, { timestamp: 1e20 });
    const objectUser = harness.textEvent('Upoison-object', MARKER, { source: { type: 'user', userId: { id: MARKER } } });
    const deep = harness.textEvent('Upoison-deep', MARKER);
    const last = harness.textEvent('Upoison-last', 'help');
    // JSON.stringify cannot write 20,000 levels; LINE's body is bytes, so write them directly.
    const nesting = 20_000;
    const deepJson = JSON.stringify(deep).replace(/}$/, `,"extra":${'['.repeat(nesting)}1${']'.repeat(nesting)}}`);
    const events = [good, nul, surrogate, fraction, huge, objectUser, last].map((event) => JSON.stringify(event));
    const body = `{"destination":"Udestination","events":[${[...events.slice(0, 6), deepJson, events[6]].join(',')}]}`;

    const response = await harness.deliver([], { rawBody: body, signature: signLine(body) });
    expect(response.status).toBe(200);
    for (const user of ['Upoison-good', 'Upoison-nul', 'Upoison-surrogate', 'Upoison-last']) await harness.line.waitForMessages(user, 1);
    await harness.server.worker.idle();

    const rows = await prisma.lineEvent.findMany({
      where: { webhookEventId: { in: [good, nul, surrogate, fraction, huge, objectUser, deep, last].map((event) => event.webhookEventId as string) } },
    });
    const byId = new Map(rows.map((row) => [row.webhookEventId, row]));
    expect(rows).toHaveLength(8);
    for (const event of [good, nul, surrogate, last]) expect(byId.get(event.webhookEventId as string)?.status).toBe('done');
    expect(byId.get(fraction.webhookEventId as string)).toMatchObject({ status: 'parked', lastError: expect.stringContaining('timestamp') });
    expect(byId.get(huge.webhookEventId as string)).toMatchObject({ status: 'parked', lastError: expect.stringContaining('timestamp') });
    expect(byId.get(objectUser.webhookEventId as string)).toMatchObject({ status: 'parked', lastError: expect.stringContaining('userId') });
    expect(byId.get(deep.webhookEventId as string)).toMatchObject({ status: 'parked', lastError: expect.stringContaining('nested deeper') });
    // Parked on arrival: nobody was answered for them.
    for (const user of ['Upoison-fraction', 'Upoison-huge', 'Upoison-deep']) expect(harness.line.messagesTo(user)).toHaveLength(0);

    // Redelivered, the same batch is a duplicate of what was stored.
    expect((await harness.deliver([], { rawBody: body, signature: signLine(body) })).status).toBe(200);
    await harness.server.worker.idle();
    expect(harness.line.messagesTo('Upoison-good')).toHaveLength(1);

    const logs = harness.logs.text();
    expect(logs).toContain('LINE event stored parked');
    expect(logs).not.toContain(MARKER);
    for (const event of [good, nul, surrogate, fraction, last]) expect(logs).not.toContain(event.replyToken as string);
  });

  it('records a signed KOMOJU payment.captured whose metadata holds a NUL, instead of failing every retry', async () => {
    const now = new Date().toISOString();
    const event = {
      id: `evt_poison_${kind}`,
      type: 'payment.captured',
      resource: 'event',
      created_at: now,
      reason: null,
      data: {
        id: `pay_poison_${kind}`,
        resource: 'payment',
        status: 'captured',
        amount: 1500,
        tax: 0,
        customer: null,
        payment_deadline: null,
        payment_details: { type: 'credit_card' },
        payment_method_fee: 0,
        total: 1500,
        currency: 'JPY',
        description: null,
        captured_at: now,
        external_order_num: null,
        metadata: { note: `gift \u0000 wrap \ud800`, linkId: 'no-such-link' },
        created_at: now,
        amount_refunded: 0,
        locale: 'ja',
        session: null,
        refunds: [],
        refund_requests: [],
      },
    };
    const raw = JSON.stringify(event);
    const post = () =>
      fetch(`${harness.url}/webhooks/komoju`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-komoju-signature': signKomojuBody(raw, KOMOJU_WEBHOOK_SECRET) },
        body: raw,
      });
    expect((await post()).status).toBe(200);
    const payment = await prisma.payment.findUnique({ where: { id: `pay_poison_${kind}` } });
    expect(payment).toMatchObject({ status: 'captured', amount: 1500 });
    const stored = await prisma.providerEvent.findUniqueOrThrow({ where: { id: `evt_poison_${kind}` } });
    expect(JSON.stringify(stored.payload)).toContain('gift \ufffd wrap \ufffd');
    expect((await post()).status).toBe(200);
  });

  it('logs a Prisma argument error without the values it was given', async () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const failure = await prisma.lineEvent
      .create({ data: { webhookEventId: 'x', payload: { text: MARKER, replyToken: token }, eventTimestamp: { not: 'a number' } as never } })
      .catch((error: unknown) => error);
    expect(String(failure)).toContain(MARKER);
    log.error({ err: failure }, 'storing failed');
    expect(capture.text()).toContain('storing failed');
    expect(capture.text()).not.toContain(MARKER);
    expect(capture.text()).not.toContain(token);
  });
});

describe.runIf(await isPostgresAvailable())('silent database partition', () => {
  it('answers 503 within 2 s, is not ready, and recovers by itself within 5 s after the network heals', async () => {
    const database = await createTestDatabase('postgresql');
    const target = new URL(database.url!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(database.url!);
    viaProxy.port = String(port);
    const db = await openDatabase({ databaseUrl: viaProxy.toString(), dataDir: '', poolSize: 4, statementTimeoutMs: 2_000 });
    const harness = await startLineHarness({ db, worker: { pollIntervalMs: 200 } });
    try {
      await harness.say('Upartition-before', 'help');

      proxy.partition();
      const event = harness.textEvent('Upartition', 'help');
      const started = Date.now();
      const during = await harness.deliver([event]);
      expect(during.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await fetch(`${harness.url}/readyz`)).status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      proxy.heal();
      const healedAt = Date.now();
      // LINE redelivers until it gets a 2xx.
      let status = 0;
      while (status !== 200 && Date.now() - healedAt < 5_000) {
        status = (await harness.deliver([{ ...event, deliveryContext: { isRedelivery: true } }])).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
      await harness.line.waitForMessages('Upartition', 1, 5_000 - (Date.now() - healedAt));
      expect(Date.now() - healedAt).toBeLessThan(5_000);
      let ready = 0;
      while (ready !== 200 && Date.now() - healedAt < 8_000) ready = (await fetch(`${harness.url}/readyz`)).status;
      expect(ready).toBe(200);
    } finally {
      await harness.stop();
      await db.close();
      await proxy.stop();
      await database.drop();
    }
  });
});
