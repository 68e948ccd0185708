// The service as a process (node dist/main.js, what npm start runs) on PostgreSQL:
// killed with SIGKILL in the middle of a burst while LINE redelivers, and stopped with SIGTERM
// while its database is cut off by a silent partition.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { retryKeyFor } from '../../../src/line/line-client.js';
import { createTestDatabase, isPostgresAvailable } from '../../support/databases.js';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET, signLine } from '../../support/line-harness.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { freePort } from '../../support/free-port.js';

interface App {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startApp(databaseUrl: string, lineOrigin: string): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
      LINE_API_BASE_URL: lineOrigin,
      LINE_DATA_API_BASE_URL: lineOrigin,
      APP_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 40_000;
  while (
    !(await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url, exited, output: () => output };
}

function textEvent(line: LineApiStub, userId: string, index: number) {
  return {
    type: 'message',
    webhookEventId: `01CRASH${userId.toUpperCase().padEnd(8, 'X')}${String(index).padStart(11, '0')}`,
    timestamp: Date.now() + index,
    mode: 'active',
    source: { type: 'user', userId },
    deliveryContext: { isRedelivery: false },
    replyToken: line.issueReplyToken(userId),
    message: { type: 'text', id: String(index), quoteToken: 'q', text: 'help' },
  };
}

async function deliver(url: string, events: object[]): Promise<number> {
  const body = JSON.stringify({ destination: 'U0', events });
  try {
    const response = await fetch(`${url}/webhooks/line`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signLine(body) },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    return response.status;
  } catch {
    return 0;
  }
}

describe.runIf(await isPostgresAvailable())('the service killed or stopped in the middle of work', () => {
  it('answers every event exactly once after kill -9 mid-burst, even one whose reply LINE accepted just before the kill', async () => {
    const database = await createTestDatabase('postgresql');
    await database.db.close();
    const line = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    const lineApp = line.app();
    // LINE accepts the 5th reply (it reaches the user) but the bot never hears back: the process
    // is killed between LINE accepting the reply and writing `done`.
    let replies = 0;
    let onHeld: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (onHeld = resolve));
    const lineServer = http.createServer((req, res) => {
      if (req.url === '/v2/bot/message/reply' && ++replies === 5) {
        res.end = (() => {
          onHeld();
          return res;
        }) as typeof res.end;
      }
      lineApp(req, res);
    });
    await new Promise<void>((resolve) => lineServer.listen(0, '127.0.0.1', resolve));
    const lineOrigin = `http://127.0.0.1:${(lineServer.address() as AddressInfo).port}`;
    const users = ['Ucrash1', 'Ucrash2', 'Ucrash3', 'Ucrash4', 'Ucrash5', 'Ucrash6'];
    const events = users.flatMap((user) => Array.from({ length: 5 }, (_, index) => textEvent(line, user, users.indexOf(user) * 10 + index)));
    let first: App | undefined;
    let second: App | undefined;
    try {
      first = await startApp(database.url!, lineOrigin);
      const firstUrl = first.url;
      const sending = Promise.all(
        [0, 1, 2].map(async (lane) => {
          for (let index = lane; index < events.length; index += 3) await deliver(firstUrl, [events[index]!]);
        }),
      );
      await held;
      first.child.kill('SIGKILL');
      await first.exited;
      await sending;

      // LINE redelivers whatever it has no 200 for; redelivering everything is the harder case.
      second = await startApp(database.url!, lineOrigin);
      for (const event of events) {
        let status = 0;
        for (let attempt = 0; status !== 200 && attempt < 20; attempt++) {
          status = await deliver(second.url, [{ ...event, deliveryContext: { isRedelivery: true } }]);
        }
        expect(status).toBe(200);
      }
      const answersTo = (event: (typeof events)[number]) => {
        const pushKey = retryKeyFor('reply', event.webhookEventId);
        return new Set(
          line.messages
            .filter((message) => (message.via === 'reply' && message.key === event.replyToken) || (message.via === 'push' && message.key === pushKey))
            .map((message) => `${message.via}:${message.key}`),
        ).size;
      };
      // The events the killed process held are taken over when their lease (10 s) runs out.
      const deadline = Date.now() + 30_000;
      while (events.some((event) => answersTo(event) === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(events.map(answersTo)).toEqual(events.map(() => 1));
      expect(second.output()).toContain('reply token already used by an earlier attempt');
    } finally {
      first?.child.kill('SIGKILL');
      if (second) {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      await new Promise((resolve) => lineServer.close(resolve));
      lineServer.closeAllConnections();
      await database.drop();
    }
  }, 90_000);

  it('exits within 5 s of SIGTERM while a silent partition holds its database connections', async () => {
    const database = await createTestDatabase('postgresql');
    await database.db.close();
    const target = new URL(database.url!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url!);
    viaProxy.port = String(await proxy.start());
    const line = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    const lineOrigin = await line.listen();
    let app: App | undefined;
    try {
      app = await startApp(viaProxy.toString(), lineOrigin);
      expect(await deliver(app.url, [textEvent(line, 'Uterm', 1)])).toBe(200);
      await line.waitForMessages('Uterm', 1, 15_000);
      proxy.partition();
      const webhook = deliver(app.url, [textEvent(line, 'Uterm', 2)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      app.child.kill('SIGTERM');
      await app.exited;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect([0, 503]).toContain(await webhook);
    } finally {
      app?.child.kill('SIGKILL');
      await line.close();
      await proxy.stop();
      await database.drop();
    }
  }, 60_000);
});
