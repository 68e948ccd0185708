import express from 'express';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageProblems, type LimitProblem } from './line-limits.js';

/** One request LINE's API received, as recorded by the stub. */
export interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
}

export interface StubMessage {
  to: string;
  via: 'reply' | 'push';
  message: Record<string, unknown>;
  at: number;
  /** The reply token used (reply) or the X-Line-Retry-Key sent (push), if any. */
  key: string | undefined;
}

export interface LineApiStubOptions {
  channelAccessToken: string;
  /** Profiles by user id; users not listed get a profile without `language`. */
  profiles?: Map<string, { displayName: string; language?: string }>;
}

/**
 * A local server speaking the LINE Messaging API's wire format for the calls this bot makes
 * (reply, push with X-Line-Retry-Key, profile, loading animation, message content, rich menus),
 * refusing what LINE refuses (line-limits.ts).
 * Local mode runs it in-process behind the simulator; tests run it as "the other side" of the
 * wire and use its controls (issueReplyToken, failNext, content, requests).
 */
export class LineApiStub {
  readonly requests: StubRequest[] = [];
  readonly messages: StubMessage[] = [];
  readonly profiles: Map<string, { displayName: string; language?: string }>;
  readonly contents = new Map<string, { bytes: Buffer; contentType: string }>();
  /** What the stub refused for breaking LINE's limits (each a 400 to the bot). */
  readonly refusals: LimitProblem[][] = [];
  readonly richMenus = new Map<string, { menu: unknown; image?: Buffer; contentType?: string }>();
  defaultRichMenuId: string | null = null;
  /** Groups and rooms the bot left (`group:<id>` / `room:<id>`), in order. */
  readonly left: string[] = [];
  private readonly replyTokens = new Map<string, { userId: string; expiresAt: number }>();
  private readonly retryKeys = new Set<string>();
  private readonly failures: { path: RegExp; status: number; body: unknown; remaining: number }[] = [];
  private readonly delays: { path: RegExp; remaining: number; wait: (next: () => void) => void }[] = [];
  private readonly listeners = new Set<() => void>();
  private server: Server | undefined;
  origin = '';

  constructor(private readonly options: LineApiStubOptions) {
    this.profiles = options.profiles ?? new Map<string, { displayName: string; language?: string }>();
  }

  /** A reply token for an event of `userId`, valid for `ttlMs` (LINE: about a minute). */
  issueReplyToken(userId: string, ttlMs = 60_000): string {
    const token = randomUUID().replace(/-/g, '');
    this.replyTokens.set(token, { userId, expiresAt: Date.now() + ttlMs });
    return token;
  }

  /** The next `count` requests whose path matches answer with this status and body. */
  failNext(path: RegExp, status: number, body: unknown = { message: 'stub failure' }, count = 1): void {
    this.failures.push({ path, status, body, remaining: count });
  }

  /** The next `count` requests whose path matches are answered only after `ms` (a slow LINE). */
  delayNext(path: RegExp, ms: number, count = 1): void {
    this.delays.push({ path, remaining: count, wait: (next) => setTimeout(next, ms) });
  }

  /** The next `count` requests whose path matches are answered only once the returned function is called. */
  holdNext(path: RegExp, count = 1): () => void {
    let released = false;
    const held: (() => void)[] = [];
    this.delays.push({ path, remaining: count, wait: (next) => (released ? next() : held.push(next)) });
    return () => {
      released = true;
      for (const next of held.splice(0)) next();
    };
  }

  messagesTo(userId: string): StubMessage[] {
    return this.messages.filter((entry) => entry.to === userId);
  }

  /** Resolves when at least `count` messages have been sent to `userId`. */
  async waitForMessages(userId: string, count: number, timeoutMs = 10_000): Promise<StubMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messagesTo(userId).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} messages to ${userId}, got ${this.messagesTo(userId).length}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.listeners.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messagesTo(userId);
  }

  /** Answers 400 as LINE does when the messages break one of LINE's content limits. */
  private refused(res: express.Response, messages: unknown): boolean {
    const problems = messageProblems(messages);
    if (problems.length === 0) return false;
    this.refusals.push(problems);
    res.status(400).json({ message: `The request body has ${problems.length} error(s)`, details: problems });
    return true;
  }

  private record(to: string, via: 'reply' | 'push', messages: Record<string, unknown>[], key: string | undefined): void {
    for (const message of messages) this.messages.push({ to, via, message, at: Date.now(), key });
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  app(): express.Express {
    const app = express();
    app.use(express.json({ limit: '2mb' }));
    app.use(express.raw({ type: ['image/*', 'application/octet-stream'], limit: '2mb' }));
    app.use((req, _res, next) => {
      const delay = this.delays.find((entry) => entry.remaining > 0 && entry.path.test(req.path));
      if (!delay) return next();
      delay.remaining -= 1;
      delay.wait(next);
    });
    app.use((req, res, next) => {
      this.requests.push({ method: req.method, path: req.path, headers: req.headers, body: req.body, at: Date.now() });
      if (req.headers.authorization !== `Bearer ${this.options.channelAccessToken}`) {
        res.status(401).json({ message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
        return;
      }
      const failure = this.failures.find((entry) => entry.remaining > 0 && entry.path.test(req.path));
      if (failure) {
        failure.remaining -= 1;
        res.status(failure.status).json(failure.body);
        return;
      }
      next();
    });

    app.post('/v2/bot/message/reply', (req, res) => {
      const { replyToken, messages } = req.body as { replyToken?: string; messages?: Record<string, unknown>[] };
      const entry = replyToken ? this.replyTokens.get(replyToken) : undefined;
      if (!entry || entry.expiresAt < Date.now()) {
        res.status(400).json({ message: 'Invalid reply token' });
        return;
      }
      if (this.refused(res, messages) || !messages) return;
      this.replyTokens.delete(replyToken!);
      this.record(entry.userId, 'reply', messages, replyToken);
      res.json({ sentMessages: messages.map(() => ({ id: randomUUID(), quoteToken: randomUUID() })) });
    });

    app.post('/v2/bot/message/push', (req, res) => {
      const retryKey = req.headers['x-line-retry-key'];
      if (typeof retryKey === 'string') {
        if (this.retryKeys.has(retryKey)) {
          res.status(409).json({ message: 'The retry key is already accepted' });
          return;
        }
        this.retryKeys.add(retryKey);
      }
      const { to, messages } = req.body as { to?: string; messages?: Record<string, unknown>[] };
      if (!to) {
        res.status(400).json({ message: 'The request body has 1 error(s)', details: [{ message: 'must be specified', property: 'to' }] });
        return;
      }
      if (this.refused(res, messages) || !messages) return;
      this.record(to, 'push', messages, typeof retryKey === 'string' ? retryKey : undefined);
      res.json({ sentMessages: messages.map(() => ({ id: randomUUID() })) });
    });

    app.get('/v2/bot/profile/:userId', (req, res) => {
      const profile = this.profiles.get(req.params.userId);
      res.json({ userId: req.params.userId, displayName: profile?.displayName ?? 'Local user', ...(profile?.language ? { language: profile.language } : {}) });
    });

    app.post('/v2/bot/chat/loading/start', (_req, res) => {
      res.status(202).json({});
    });

    for (const kind of ['group', 'room'] as const) {
      app.post(`/v2/bot/${kind}/:chatId/leave`, (req, res) => {
        const chat = `${kind}:${req.params.chatId}`;
        if (this.left.includes(chat)) {
          res.status(404).json({ message: 'Not found' });
          return;
        }
        this.left.push(chat);
        res.json({});
      });
    }

    app.get('/v2/bot/message/:messageId/content', (req, res) => {
      const content = this.contents.get(req.params.messageId);
      if (!content) {
        res.status(404).json({ message: 'Not found' });
        return;
      }
      res.type(content.contentType).send(content.bytes);
    });

    app.post('/v2/bot/richmenu', (req, res) => {
      const richMenuId = `richmenu-${randomUUID().replace(/-/g, '')}`;
      this.richMenus.set(richMenuId, { menu: req.body });
      res.json({ richMenuId });
    });
    app.post('/v2/bot/richmenu/:id/content', (req, res) => {
      const menu = this.richMenus.get(req.params.id);
      if (!menu) {
        res.status(404).json({ message: 'Not found' });
        return;
      }
      menu.image = req.body as Buffer;
      menu.contentType = req.headers['content-type'];
      res.json({});
    });
    app.post('/v2/bot/user/all/richmenu/:id', (req, res) => {
      if (!this.richMenus.has(req.params.id)) {
        res.status(404).json({ message: 'Not found' });
        return;
      }
      this.defaultRichMenuId = req.params.id;
      res.json({});
    });
    return app;
  }

  async listen(port = 0): Promise<string> {
    const server = createServer(this.app());
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
