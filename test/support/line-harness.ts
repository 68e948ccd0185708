import { createHmac, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { LineApiStub } from '../../src/line/line-api-stub.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const CHANNEL_SECRET = 'test-channel-secret-0123456789abcdef';
export const ACCESS_TOKEN = 'test-access-token';
export const APP_SECRET = 'test-app-secret-0123456789abcdef0123456789';

export function signLine(body: string | Buffer, secret = CHANNEL_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** Captures every log line the server writes, so tests can assert on (and scan) them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface LineHarness {
  server: RunningServer;
  line: LineApiStub;
  logs: LogCapture;
  config: Config;
  url: string;
  /** Posts a signed webhook body with the given events; returns the HTTP status. */
  deliver(events: object[], options?: { signature?: string | null; rawBody?: string }): Promise<Response>;
  /** A text message event from `userId` (with a fresh reply token issued by the fake LINE API). */
  textEvent(userId: string, text: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  postbackEvent(userId: string, data: string): Record<string, unknown>;
  imageEvent(userId: string, messageId: string): Record<string, unknown>;
  followEvent(userId: string): Record<string, unknown>;
  /** Sends text and waits until the bot has sent `expected` more messages to that user. */
  say(userId: string, text: string, expected?: number): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  db: Database;
  env?: Record<string, string>;
  worker?: Parameters<typeof startServer>[1]['worker'];
  events?: Parameters<typeof startServer>[1]['events'];
  /** A fake LINE API shared with other harnesses (several instances of the bot, one LINE); stopped by its owner. */
  line?: LineApiStub;
}

/**
 * Starts the real server (not local mode) against a fake LINE API on loopback, the way
 * production talks to api.line.me.
 */
export async function startLineHarness(options: HarnessOptions): Promise<LineHarness> {
  const line = options.line ?? new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
  const origin = options.line ? options.line.origin : await line.listen();
  const logs = new LogCapture();
  const config = loadConfig({
    PORT: '0',
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    LINE_CHANNEL_SECRET: CHANNEL_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
    LINE_API_BASE_URL: origin,
    LINE_DATA_API_BASE_URL: origin,
    APP_SECRET,
    LOG_LEVEL: 'debug',
    // The harness is not in local mode (it has a channel secret), and the suites pay in the sandbox.
    SANDBOX_IN_PRODUCTION: '1',
    ...options.env,
  });
  const server = await startServer(config, {
    db: options.db,
    log: createLogger('debug', logs),
    worker: { pollIntervalMs: 50, backoffMs: () => 50, ...options.worker },
    events: { pollIntervalMs: 50, backoffMs: () => 50, ...options.events },
  });

  let sequence = 0;
  const base = (userId: string) => ({
    webhookEventId: `01TEST${Date.now().toString(36).toUpperCase()}${(sequence++).toString().padStart(6, '0')}${randomUUID().slice(0, 6)}`,
    timestamp: Date.now() + sequence,
    mode: 'active',
    source: { type: 'user', userId },
    deliveryContext: { isRedelivery: false },
  });

  const harness: LineHarness = {
    server,
    line,
    logs,
    config: server.config,
    url: server.url,
    async deliver(events, deliverOptions = {}) {
      const body = deliverOptions.rawBody ?? JSON.stringify({ destination: 'Udestination', events });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const signature = deliverOptions.signature === undefined ? signLine(body) : deliverOptions.signature;
      if (signature !== null) headers['x-line-signature'] = signature;
      return fetch(`${server.url}/webhooks/line`, { method: 'POST', headers, body });
    },
    textEvent(userId, text, overrides = {}) {
      return {
        type: 'message',
        ...base(userId),
        replyToken: line.issueReplyToken(userId),
        message: { type: 'text', id: randomUUID(), quoteToken: 'q', text },
        ...overrides,
      };
    },
    postbackEvent(userId, data) {
      return { type: 'postback', ...base(userId), replyToken: line.issueReplyToken(userId), postback: { data } };
    },
    imageEvent(userId, messageId) {
      return {
        type: 'message',
        ...base(userId),
        replyToken: line.issueReplyToken(userId),
        message: { type: 'image', id: messageId, quoteToken: 'q', contentProvider: { type: 'line' } },
      };
    },
    followEvent(userId) {
      return { type: 'follow', ...base(userId), replyToken: line.issueReplyToken(userId), follow: { isUnblocked: false } };
    },
    async say(userId, text, expected = 1) {
      const before = line.messagesTo(userId).length;
      const response = await harness.deliver([harness.textEvent(userId, text)]);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      const all = await line.waitForMessages(userId, before + expected);
      await server.worker.idle();
      return all.slice(before).map((entry) => entry.message);
    },
    async stop() {
      await server.stop();
      if (!options.line) await line.close();
    },
  };
  return harness;
}

/** All text of a LINE message (text, Flex alt text and every text component), for assertions. */
export function messageText(message: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if ((key === 'text' || key === 'altText' || key === 'label') && typeof inner === 'string') parts.push(inner);
        else walk(inner);
      }
    }
  };
  walk(message);
  return parts.join('\n');
}
