import express, { type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LineApiStub } from '../line/line-api-stub.js';
import { newMessageId, newWebhookEventId, postSignedWebhook } from '../line/webhook-event.js';
import { STATIC_ASSETS, richMenuPng, simulatorScript, simulatorSetup, staticAsset, type StaticAsset } from './dev-simulator-assets.js';
import type { RouteFactory } from './route-deps.js';
import { findDemoOwner } from '../merchants/membership.js';

// A phone photo can be a few MB; the bot itself enforces the product-image limit and says so.
const MAX_SEND_BODY = '8mb';
// What the simulator keeps of each user's own messages (only for showing the chat again).
const MAX_SENT_PER_USER = 500;

const userIdSchema = z.string().regex(/^U[0-9A-Za-z_-]{1,64}$/, 'userId must look like a LINE user id (U followed by letters or digits)');
// Raster types only: the bytes are served back to the page, and SVG could carry script.
const imageContentTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif'] as const;

const sendSchemas = {
  text: z.strictObject({ userId: userIdSchema, text: z.string().min(1).max(5000) }),
  postbackData: z.strictObject({ userId: userIdSchema, postbackData: z.string().min(1).max(300), displayText: z.string().max(300).optional() }),
  imageBase64: z.strictObject({
    userId: userIdSchema,
    imageBase64: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'imageBase64 must be base64'),
    contentType: z.enum(imageContentTypes),
  }),
  follow: z.strictObject({ userId: userIdSchema, follow: z.literal(true) }),
};
type SendRequest = z.infer<(typeof sendSchemas)[keyof typeof sendSchemas]>;
const SEND_KINDS = Object.keys(sendSchemas) as (keyof typeof sendSchemas)[];

/** Validates against the one shape the body's key selects, so errors name the actual mistake. */
function parseSend(body: unknown): { ok: true; request: SendRequest } | { ok: false; issues: string[] } {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const kinds = SEND_KINDS.filter((kind) => kind in record);
  const kind = kinds[0];
  if (kinds.length !== 1 || !kind) {
    return { ok: false, issues: ['body: give userId and exactly one of text, postbackData (+ displayText), imageBase64 (+ contentType), follow: true'] };
  }
  const parsed = sendSchemas[kind].safeParse(record);
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`) };
}

// What the simulator tells the LINE API stub about a simulated user (LINE limits display names to 20 characters).
const userSchema = z.strictObject({
  userId: userIdSchema,
  displayName: z.string().trim().min(1).max(20),
  language: z.enum(['ja', 'en', 'ko']),
});

// The page, its style and script come only from this origin; message images may come from anywhere.
const SIMULATOR_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' http: https: data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const messagesQuerySchema = z.object({
  userId: userIdSchema,
  since: z.coerce.number().int().min(0).default(0),
});

/** What the user did in the simulator, kept so a reloaded page shows both sides of the chat. */
interface SentEntry {
  id: number;
  at: number;
  kind: 'text' | 'postback' | 'image' | 'follow';
  text?: string;
  messageId?: string;
}

function buildEvent(request: SendRequest, stub: LineApiStub, messageId: string, now: number): Record<string, unknown> {
  const base = {
    webhookEventId: newWebhookEventId(now),
    timestamp: now,
    mode: 'active',
    source: { type: 'user', userId: request.userId },
    deliveryContext: { isRedelivery: false },
    replyToken: stub.issueReplyToken(request.userId),
  };
  if ('text' in request) {
    return { ...base, type: 'message', message: { type: 'text', id: messageId, quoteToken: randomBytes(16).toString('hex'), text: request.text } };
  }
  if ('postbackData' in request) return { ...base, type: 'postback', postback: { data: request.postbackData } };
  if ('imageBase64' in request) {
    return { ...base, type: 'message', message: { type: 'image', id: messageId, quoteToken: randomBytes(16).toString('hex'), contentProvider: { type: 'line' } } };
  }
  return { ...base, type: 'follow', follow: { isUnblocked: false } };
}

function sentEntry(request: SendRequest, id: number, at: number, messageId: string): SentEntry {
  if ('text' in request) return { id, at, kind: 'text', text: request.text };
  if ('postbackData' in request) return { id, at, kind: 'postback', ...(request.displayText ? { text: request.displayText } : {}) };
  if ('imageBase64' in request) return { id, at, kind: 'image', messageId };
  return { id, at, kind: 'follow' };
}

function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

/**
 * Local mode's LINE simulator: a chat page at /dev/ and its API. Sends go through the real
 * webhook path (signed body → /webhooks/line → inbox → worker), and the bot's answers are read
 * from the in-process LINE API stub. Outside local mode none of these routes exist (404).
 */
export const devRoutes: RouteFactory = ({ db, config, lineStub, log }) => {
  const router = express.Router();
  if (!config.localMode || !lineStub) return router;
  const stub = lineStub;
  const sentByUser = new Map<string, SentEntry[]>();
  let sentSequence = 0;

  // Local mode's front door is the simulator.
  router.get('/', (_req, res) => {
    res.redirect(302, '/dev/');
  });

  const serveStatic = (name: StaticAsset) => async (_req: Request, res: Response) => {
    noStore(res);
    res.set('X-Content-Type-Options', 'nosniff');
    if (name === 'index.html') res.set('Content-Security-Policy', SIMULATOR_CSP);
    res.type(STATIC_ASSETS[name]).send(await staticAsset(name));
  };
  router.get('/dev/', serveStatic('index.html'));
  router.get('/dev/simulator.css', serveStatic('simulator.css'));
  router.get('/dev/favicon.svg', serveStatic('favicon.svg'));
  router.get('/dev/simulator.js', async (_req, res) => {
    noStore(res);
    res.set('X-Content-Type-Options', 'nosniff');
    res.type('text/javascript; charset=utf-8').send(await simulatorScript());
  });
  router.get('/dev/rich-menu.png', async (_req, res) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600' });
    res.type('image/png').send(await richMenuPng());
  });
  router.get('/dev/api/setup', async (_req, res) => {
    noStore(res);
    const ownerId = await findDemoOwner(db.prisma);
    res.json(await simulatorSetup(ownerId ? { id: ownerId, name: stub.profiles.get(ownerId)?.displayName ?? null } : null));
  });

  // A simulated user's LINE profile, which the bot reads like a real one (display name, language).
  router.post('/dev/api/users', express.json({ limit: '4kb' }), (req: Request, res: Response) => {
    noStore(res);
    const parsed = userSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid request', issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`) });
      return;
    }
    const { userId, displayName, language } = parsed.data;
    stub.profiles.set(userId, { displayName, language });
    res.json({ ok: true });
  });

  router.post('/dev/api/send', express.json({ limit: MAX_SEND_BODY }), async (req: Request, res: Response) => {
    noStore(res);
    const parsed = parseSend(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: 'invalid request', issues: parsed.issues });
      return;
    }
    const { request } = parsed;
    const now = Date.now();
    const messageId = newMessageId(now);
    if ('imageBase64' in request) {
      const bytes = Buffer.from(request.imageBase64, 'base64');
      if (bytes.length === 0) {
        res.status(400).json({ error: 'invalid request', issues: ['imageBase64: empty image'] });
        return;
      }
      // The bot downloads it from the stub's content endpoint, as it would from LINE.
      stub.contents.set(messageId, { bytes, contentType: request.contentType });
    }

    // Recorded before posting: the bot may answer before this request returns, and a poll
    // must then see the user's message too.
    const entry = sentEntry(request, ++sentSequence, now, messageId);
    const sent = sentByUser.get(request.userId) ?? [];
    sent.push(entry);
    if (sent.length > MAX_SENT_PER_USER) sent.splice(0, sent.length - MAX_SENT_PER_USER);
    sentByUser.set(request.userId, sent);
    const forget = () => {
      const index = sent.indexOf(entry);
      if (index >= 0) sent.splice(index, 1);
    };

    const event = buildEvent(request, stub, messageId, now);
    let webhookStatus: number;
    try {
      webhookStatus = await postSignedWebhook(`http://127.0.0.1:${req.socket.localPort}/webhooks/line`, config.line.channelSecret, 'Ulocalbotdestination', [event]);
    } catch (error) {
      forget();
      log.warn({ err: error }, 'simulator could not reach the webhook');
      res.status(502).json({ error: 'the webhook did not answer' });
      return;
    }
    log.debug({ webhookEventId: event.webhookEventId, eventType: event.type, webhookStatus }, 'simulator sent an event');
    if (webhookStatus !== 200) {
      forget();
      res.status(502).json({ error: `the webhook answered ${webhookStatus}`, webhookStatus });
      return;
    }

    res.json({ ok: true, webhookStatus, webhookEventId: event.webhookEventId, sent: entry });
  });

  router.get('/dev/api/messages', (req, res) => {
    noStore(res);
    const parsed = messagesQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid request', issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      return;
    }
    const { userId, since } = parsed.data;
    const messages = stub
      .messagesTo(userId)
      .filter((entry) => entry.at > since)
      .map(({ via, message, at }) => ({ via, message, at }));
    const sent = (sentByUser.get(userId) ?? []).filter((entry) => entry.at > since);
    res.json({ messages, sent });
  });

  // The user's own photos, so the chat can show what was sent.
  router.get('/dev/api/content/:messageId', (req, res) => {
    const content = stub.contents.get(req.params.messageId);
    if (!content) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'; sandbox", 'Cache-Control': 'private, max-age=3600' });
    res.type(content.contentType).send(content.bytes);
  });

  return router;
};
