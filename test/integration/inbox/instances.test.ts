// Two instances of the bot on one PostgreSQL database behind a round-robin balancer (one LINE),
// and what an operator reads of the loop at GET /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { isPostgresAvailable } from '../../support/databases.js';
import { ACCESS_TOKEN, startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { useLineHarness, useTestDatabase } from '../../support/suite-setup.js';

describe.runIf(await isPostgresAvailable())('two instances on one PostgreSQL', () => {
  const { database, prisma } = useTestDatabase('postgresql');
  let second: Database;
  let line: LineApiStub;
  let instances: LineHarness[];

  beforeAll(async () => {
    second = await openDatabase({ databaseUrl: database.url!, dataDir: '', poolSize: 5 });
    line = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    await line.listen();
    instances = [await startLineHarness({ db: database.db, line }), await startLineHarness({ db: second, line })];
  });
  afterAll(async () => {
    for (const instance of instances ?? []) await instance.stop();
    await line?.close();
    await second?.close();
  });

  it('answers every event once, each user in order, whichever instance LINE reaches', async () => {
    const users = ['Utwo1', 'Utwo2', 'Utwo3', 'Utwo4'];
    const events = users.flatMap((user) => Array.from({ length: 6 }, (_, index) => instances[0]!.textEvent(user, index % 2 === 0 ? 'help' : `hi ${index}`)));
    // Round robin, several requests in flight at once, as a balancer in front of two instances.
    // The workers wait until all is stored: LINE sends one user's events in order, which
    // concurrent test requests would not.
    await Promise.all(instances.map((instance) => instance.server.worker.stop()));
    const statuses = await Promise.all(events.map((event, index) => instances[index % 2]!.deliver([event]).then((response) => response.status)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // LINE redelivers a few to the other instance: still once.
    const again = await Promise.all(events.slice(0, 6).map((event, index) => instances[(index + 1) % 2]!.deliver([{ ...event, deliveryContext: { isRedelivery: true } }])));
    expect(again.every((response) => response.status === 200)).toBe(true);
    for (const instance of instances) instance.server.worker.start();

    for (const user of users) await line.waitForMessages(user, 6);
    await Promise.all(instances.map((instance) => instance.server.worker.idle()));
    for (const user of users) {
      const expected = events.filter((event) => (event.source as { userId: string }).userId === user).map((event) => event.replyToken);
      const answered = [...new Set(line.messagesTo(user).map((message) => message.key))];
      expect(answered).toEqual(expected);
    }
    const done = await prisma.lineEvent.count({ where: { webhookEventId: { in: events.map((event) => event.webhookEventId as string) }, status: 'done' } });
    expect(done).toBe(events.length);
    const processed = instances.map((instance) => instance.logs.entries().filter((entry) => entry.msg === 'event processed').length);
    expect(processed[0]! + processed[1]!).toBe(events.length);
  });

  it('shows the loop at /metrics to loopback callers', async () => {
    // Answered by the instance that stores it (its user is idle: the fast path).
    await instances[0]!.say('Umetrics', 'help');
    const response = await fetch(`${instances[0]!.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^line_events_received_total \d+/m);
    expect(text).toMatch(/^line_events_answered_total\{via="reply"\} [1-9]\d*/m);
    expect(text).toMatch(/^line_inbox_depth 0/m);
    expect(text).toMatch(/^line_inbox_oldest_pending_age_seconds 0/m);
    expect(text).toMatch(/^outbound_api_request_duration_seconds_count\{api="line",outcome="2xx"\} [1-9]/m);
    expect(text).toContain('process_resident_memory_bytes');
    // A request a local proxy forwarded from elsewhere is not a loopback caller.
    expect((await fetch(`${instances[0]!.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
  });
});

describe('metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef';
  const { harness } = useLineHarness('pglite', { env: { METRICS_TOKEN: token } });

  it('answers only the bearer of the token', async () => {
    expect((await fetch(`${harness.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${harness.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcd' } })).status).toBe(401);
    const response = await fetch(`${harness.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('line_events_received_total');
  });
});
