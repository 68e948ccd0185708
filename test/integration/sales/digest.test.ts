// The opt-in daily digest: `digest 21:00` schedules a `sales.digestDue` domain event at the next
// 21:00 shop time; its handler (run here directly, as the worker would, with a fixed clock) pushes
// the today card to the fake LINE API once, skips a day with nothing to say, and records the next
// day's event; `digest off` ends it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { DomainEvent } from '../../../src/events/domain-events.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { createLineClient } from '../../../src/line/line-client.js';
import { createLogger } from '../../../src/logger.js';
import { salesEventHandlers } from '../../../src/sales/event-handlers.js';
import { salesPerformers } from '../../../src/sales/perform-effects.js';
import { databaseKinds } from '../../support/databases.js';
import { ACCESS_TOKEN, APP_SECRET, LogCapture, messageText } from '../../support/line-harness.js';
import { useTestDatabase } from '../../support/suite-setup.js';
import { seedLink, seedMerchant } from './sales-fixtures.js';

const kinds = await databaseKinds();

// Saturday 2026-11-28, 10:00 in Japan.
const MORNING = new Date('2026-11-28T01:00:00Z');
const NINE_PM = new Date('2026-11-28T12:00:00Z');

describe.each(kinds)('daily digest on %s (fixed clock)', (kind) => {
  const { prisma } = useTestDatabase(kind);
  const stub = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
  let origin = '';
  let beans = '';

  beforeAll(async () => {
    origin = await stub.listen();
    await seedMerchant(prisma, 'cafe', [
      { userId: 'Uowner', role: 'owner', language: 'ja' },
      { userId: 'Uquiet', role: 'staff', language: 'ko' },
    ]);
    beans = await seedLink(prisma, 'cafe', { productName: 'コーヒー豆' });
  });
  afterAll(() => stub.close());

  function deps(now: Date) {
    const config = loadConfig({
      PUBLIC_BASE_URL: 'http://127.0.0.1:1',
      LINE_CHANNEL_SECRET: 'secret',
      LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
      LINE_API_BASE_URL: origin,
      LINE_DATA_API_BASE_URL: origin,
      APP_SECRET,
    });
    const line = createLineClient({ channelAccessToken: ACCESS_TOKEN, apiBaseUrl: origin, dataApiBaseUrl: origin });
    return { prisma, line, config, log: createLogger('debug', new LogCapture()), now: () => now };
  }

  async function setDigest(userId: string, minutes: number | null, at: Date) {
    const { line, config, log } = deps(at);
    return salesPerformers['sales.setDigest'](
      { type: 'sales.setDigest', merchantId: 'cafe', minutes, at: at.toISOString() },
      { prisma, line, config, log, userId, idempotencyKey: randomUUID(), paymentMethods: async () => null },
    );
  }

  const digestEvents = (userId: string) => prisma.domainEvent.findMany({ where: { type: 'sales.digestDue', subjectId: userId }, orderBy: { nextAttemptAt: 'asc' } });

  /** The stored event as the worker hands it to a handler. */
  async function run(eventId: string, now: Date): Promise<void> {
    const row = await prisma.domainEvent.findUniqueOrThrow({ where: { id: eventId } });
    const event = {
      id: row.id,
      type: 'sales.digestDue',
      subjectId: row.subjectId,
      merchantId: row.merchantId,
      payload: row.payload,
      attempts: 1,
      createdAt: row.createdAt,
    } as DomainEvent<'sales.digestDue'>;
    await salesEventHandlers.on['sales.digestDue']!(event, deps(now));
  }

  it('digest 21:00 schedules one event at the next 21:00 shop time, however often it is set', async () => {
    expect(await setDigest('Uowner', 21 * 60, MORNING)).toEqual({ type: 'sales.digestSet', minutes: 1260, nextAt: NINE_PM.toISOString() });
    await setDigest('Uowner', 21 * 60, MORNING);
    const events = await digestEvents('Uowner');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      dedupeKey: 'sales.digestDue:cafe:Uowner:2026-11-28',
      nextAttemptAt: NINE_PM,
      status: 'pending',
      payload: { merchantId: 'cafe', userId: 'Uowner', day: '2026-11-28' },
    });
    // Set after 21:00: tomorrow's.
    await setDigest('Uquiet', 20 * 60, NINE_PM);
    expect((await digestEvents('Uquiet'))[0]).toMatchObject({ dedupeKey: 'sales.digestDue:cafe:Uquiet:2026-11-29', nextAttemptAt: new Date('2026-11-29T11:00:00Z') });
  });

  it('pushes the day card once (retry key from the event id) and records the next day', async () => {
    await prisma.payment.create({
      data: { id: `pay_${randomUUID()}`, provider: 'sandbox', linkId: beans, status: 'captured', amount: 2500, total: 2500, currency: 'JPY', capturedAt: new Date('2026-11-28T03:00:00Z') },
    });
    const [event] = await digestEvents('Uowner');
    await run(event!.id, new Date(NINE_PM.getTime() + 5_000));
    // The worker retried after a crash past the push: LINE takes the same retry key once.
    await run(event!.id, new Date(NINE_PM.getTime() + 65_000));
    const pushes = stub.messagesTo('Uowner');
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.via).toBe('push');
    expect(messageText(pushes[0]!.message)).toContain('今日の売上 11/28（土）');
    expect(messageText(pushes[0]!.message)).toContain('¥2,500');
    const next = (await digestEvents('Uowner')).map((row) => row.dedupeKey);
    expect(next).toEqual(['sales.digestDue:cafe:Uowner:2026-11-28', 'sales.digestDue:cafe:Uowner:2026-11-29']);
  });

  it('skips a day with nothing to say, and a day already over, but keeps the schedule', async () => {
    const [event] = await digestEvents('Uquiet');
    // Sunday 20:00 in Seoul: nothing captured that day.
    await run(event!.id, new Date('2026-11-29T11:00:00Z'));
    expect(stub.messagesTo('Uquiet')).toHaveLength(0);
    expect((await digestEvents('Uquiet')).map((row) => row.dedupeKey)).toContain('sales.digestDue:cafe:Uquiet:2026-11-30');
    const tomorrow = (await digestEvents('Uowner')).find((row) => row.dedupeKey.endsWith('2026-11-29'))!;
    // Run a day late (the service was down): no stale card.
    await run(tomorrow.id, new Date('2026-11-30T12:00:00Z'));
    expect(stub.messagesTo('Uowner')).toHaveLength(1);
    expect((await digestEvents('Uowner')).map((row) => row.dedupeKey)).toContain('sales.digestDue:cafe:Uowner:2026-12-01');
  });

  it('digest off drops what is waiting, and one a worker already holds sends nothing', async () => {
    const events = await digestEvents('Uowner');
    const waiting = events.find((row) => row.dedupeKey.endsWith('2026-12-01'))!;
    const held = events.find((row) => row.dedupeKey.endsWith('2026-11-29'))!;
    const off = new Date('2026-11-30T13:00:00Z');
    await prisma.domainEvent.update({ where: { id: held.id }, data: { lockedUntil: new Date(off.getTime() + 60_000) } });
    expect(await setDigest('Uowner', null, off)).toEqual({ type: 'sales.digestSet', minutes: null, nextAt: null });
    expect(await prisma.domainEvent.findUnique({ where: { id: waiting.id } })).toBeNull();
    expect((await prisma.member.findUniqueOrThrow({ where: { merchantId_userId: { merchantId: 'cafe', userId: 'Uowner' } } })).digestMinutes).toBeNull();
    await run(held.id, new Date('2026-11-29T12:00:00Z'));
    expect(stub.messagesTo('Uowner')).toHaveLength(1);
    expect((await digestEvents('Uowner')).map((row) => row.dedupeKey)).not.toContain('sales.digestDue:cafe:Uowner:2026-11-30');
  });
});
