// The domain event worker on a real database: handlers run once per event, failures are retried
// and then parked with the error's first line, two instances on one database run an event once,
// a slow handler keeps its lease, a subject's events run in order, and scheduled ones wait.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { recordDomainEvents, type DomainEvent, type EventHandlers, type HandlerDeps, type NewDomainEvent } from '../../../src/events/domain-events.js';
import { EventWorker, type EventWorkerOptions } from '../../../src/events/event-worker.js';
import { createLineClient } from '../../../src/line/line-client.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics, type Metrics } from '../../../src/metrics.js';
import { databaseKinds } from '../../support/databases.js';
import { APP_SECRET, CHANNEL_SECRET, LogCapture } from '../../support/line-harness.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const config = loadConfig({
  PORT: '0',
  PUBLIC_BASE_URL: 'http://127.0.0.1:1',
  LINE_CHANNEL_SECRET: CHANNEL_SECRET,
  LINE_CHANNEL_ACCESS_TOKEN: 'token',
  LINE_API_BASE_URL: 'http://127.0.0.1:1',
  LINE_DATA_API_BASE_URL: 'http://127.0.0.1:1',
  APP_SECRET,
});

function captured(paymentId = `pay_${randomUUID()}`, extra: Partial<NewDomainEvent> = {}): NewDomainEvent {
  return { type: 'payments.captured', dedupeKey: `payments.captured:${paymentId}`, subjectId: paymentId, merchantId: null, payload: { paymentId, linkId: 'lnk_test' }, ...extra };
}

describe.each(await databaseKinds())('the domain event worker on %s', (kind) => {
  const { database, prisma } = useTestDatabase(kind);
  const workers: EventWorker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    await prisma.domainEvent.deleteMany();
  });

  function startWorker(handlers: EventHandlers[], options: EventWorkerOptions = {}, logs = new LogCapture()): { worker: EventWorker; metrics: Metrics } {
    const metrics = createMetrics();
    const deps: HandlerDeps = {
      prisma,
      line: createLineClient(config.line),
      config,
      log: createLogger('debug', logs),
      now: () => new Date(),
    };
    const worker = new EventWorker(database.db, handlers, deps, metrics, { pollIntervalMs: 20, backoffMs: () => 20, ...options });
    workers.push(worker);
    worker.start();
    return { worker, metrics };
  }

  async function record(events: NewDomainEvent[]): Promise<void> {
    await prisma.$transaction((tx) => recordDomainEvents(tx, events));
  }

  async function counter(metrics: Metrics, name: string, type: string): Promise<number> {
    const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
    return metric?.values.find((value) => value.labels.type === type)?.value ?? 0;
  }

  it('runs every handler registered for the type once and marks the event done', async () => {
    const seen: string[] = [];
    const first: EventHandlers = { name: 'first', on: { 'payments.captured': async (event) => void seen.push(`first:${event.payload.paymentId}:${event.attempts}`) } };
    const second: EventHandlers = { name: 'second', on: { 'payments.captured': async (event) => void seen.push(`second:${event.payload.paymentId}`) } };
    const { worker, metrics } = startWorker([first, second]);
    await record([captured('pay_a'), captured('pay_a')]);
    await worker.idle();
    expect(seen.sort()).toEqual(['first:pay_a:1', 'second:pay_a']);
    expect(await prisma.domainEvent.findUniqueOrThrow({ where: { dedupeKey: 'payments.captured:pay_a' } })).toMatchObject({ status: 'done', attempts: 1, lockedUntil: null });
    expect(await counter(metrics, 'domain_events_handled_total', 'payments.captured')).toBe(1);
  });

  it('refuses two handler sets of one name (their retry keys would collide)', () => {
    const set: EventHandlers = { name: 'same', on: {} };
    expect(() => startWorker([set, { ...set }])).toThrow(/two event handler sets are named same/);
  });

  it('retries a throwing handler with backoff, then parks the event with the first line of the error only', async () => {
    const attempts: number[] = [];
    const failing: EventHandlers = {
      name: 'failing',
      on: {
        'payments.captured': async (event) => {
          attempts.push(event.attempts);
          // The second line stands for detail a real error can carry (a buyer's address).
          throw new Error('LINE push refused\nbuyer: taro@example.com');
        },
      },
    };
    const logs = new LogCapture();
    const { worker, metrics } = startWorker([failing], { maxAttempts: 3 }, logs);
    await record([captured('pay_fail')]);
    await worker.idle();
    expect(attempts).toEqual([1, 2, 3]);
    const parked = await prisma.domainEvent.findUniqueOrThrow({ where: { dedupeKey: 'payments.captured:pay_fail' } });
    expect(parked).toMatchObject({ status: 'parked', attempts: 3, lastError: 'Error: LINE push refused', lockedUntil: null });
    expect(await counter(metrics, 'domain_event_attempts_failed_total', 'payments.captured')).toBe(2);
    expect(await counter(metrics, 'domain_events_parked_total', 'payments.captured')).toBe(1);
    expect(await counter(metrics, 'domain_events_handled_total', 'payments.captured')).toBe(0);
    expect(logs.entries().some((entry) => entry.msg === 'domain event failed too often; parked' && entry.reason === 'Error: LINE push refused')).toBe(true);
  });

  it('a handler that fails once succeeds on its retry; the other handlers of the event run again (their effects are keyed)', async () => {
    let calls = 0;
    const flaky: EventHandlers = {
      name: 'flaky',
      on: {
        'payments.captured': async () => {
          calls += 1;
          if (calls === 1) throw new Error('once');
        },
      },
    };
    const steady: string[] = [];
    const other: EventHandlers = { name: 'other', on: { 'payments.captured': async (event) => void steady.push(event.id) } };
    const { worker } = startWorker([flaky, other]);
    await record([captured('pay_flaky')]);
    await worker.idle();
    const event = await prisma.domainEvent.findUniqueOrThrow({ where: { dedupeKey: 'payments.captured:pay_flaky' } });
    expect(event).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    expect(steady).toEqual([event.id, event.id]);
  });

  it('two instances on one database run each event once', async () => {
    const handled: { worker: string; id: string }[] = [];
    const handlersFor = (worker: string): EventHandlers => ({
      name: 'count',
      on: {
        'payments.captured': async (event) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          handled.push({ worker, id: event.id });
        },
      },
    });
    await record(Array.from({ length: 40 }, () => captured()));
    const a = startWorker([handlersFor('a')], { concurrency: 4 });
    const b = startWorker([handlersFor('b')], { concurrency: 4 });
    await Promise.all([a.worker.idle(), b.worker.idle()]);
    expect(handled).toHaveLength(40);
    expect(new Set(handled.map((entry) => entry.id)).size).toBe(40);
    expect(await prisma.domainEvent.count({ where: { status: 'done', attempts: 1 } })).toBe(40);
  });

  it('keeps the lease of a handler slower than the lease, so the other instance does not run it too', async () => {
    const runs: number[] = [];
    const slow: EventHandlers = {
      name: 'slow',
      on: {
        'payments.captured': async (event) => {
          runs.push(event.attempts);
          await new Promise((resolve) => setTimeout(resolve, 900));
        },
      },
    };
    await record([captured('pay_slow')]);
    const a = startWorker([slow], { leaseMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const b = startWorker([slow], { leaseMs: 300 });
    await Promise.all([a.worker.idle(), b.worker.idle()]);
    expect(runs).toEqual([1]);
  });

  it("takes over an event whose instance died mid-run once its lease ran out, and runs a subject's events in order", async () => {
    const order: string[] = [];
    const handlers: EventHandlers = {
      name: 'order',
      on: {
        'payments.awaiting': async (event) => void order.push(`awaiting:${event.attempts}`),
        'payments.expired': async () => void order.push('expired'),
      },
    };
    const paymentId = 'pay_order';
    await record([{ type: 'payments.awaiting', dedupeKey: `payments.awaiting:${paymentId}`, subjectId: paymentId, merchantId: null, payload: { paymentId, linkId: 'lnk', deadline: null } }]);
    await record([{ type: 'payments.expired', dedupeKey: `payments.expired:${paymentId}`, subjectId: paymentId, merchantId: null, payload: { paymentId, linkId: 'lnk' } }]);
    // An instance claimed the older event and died: its lease still runs for a moment.
    await prisma.domainEvent.update({ where: { dedupeKey: `payments.awaiting:${paymentId}` }, data: { attempts: 1, lockedUntil: new Date(Date.now() + 400) } });
    const { worker } = startWorker([handlers]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The newer event of the same payment waits behind the leased one.
    expect(order).toEqual([]);
    await worker.idle();
    expect(order).toEqual(['awaiting:2', 'expired']);
  });

  it('runs a scheduled event no earlier than its notBefore, and prunes done events after the retention (parked ones stay)', async () => {
    const ran: DomainEvent[] = [];
    const handlers: EventHandlers = { name: 'later', on: { 'payments.captured': async (event) => void ran.push(event) } };
    const { worker } = startWorker([handlers]);
    await record([captured('pay_later', { notBefore: new Date(Date.now() + 600) })]);
    await worker.idle();
    expect(ran).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await worker.idle();
    expect(ran.map((event) => event.payload)).toEqual([{ paymentId: 'pay_later', linkId: 'lnk_test' }]);

    // Stopped first: a running worker could claim the next event and mark it done after it is parked here.
    await worker.stop();
    await record([captured('pay_parked')]);
    await prisma.domainEvent.update({ where: { dedupeKey: 'payments.captured:pay_parked' }, data: { status: 'parked', lastError: 'Error: x' } });
    await prisma.domainEvent.updateMany({ data: { processedAt: new Date(Date.now() - 31 * 86_400_000) } });
    expect(await worker.prune()).toBe(1);
    expect(await prisma.domainEvent.findMany({ select: { dedupeKey: true } })).toEqual([{ dedupeKey: 'payments.captured:pay_parked' }]);
  });
});
