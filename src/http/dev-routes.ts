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
const groupIdSchema = z.string().regex(/^C[0-9A-Za-z_-]{1,64}$/, 'groupId must look like a LINE group id (C followed by letters or digits)');
// Raster types only: the bytes are served back to the page, and SVG could carry script.
const imageContentTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif'] as const;

// A text or photo may be said in the simulated group chat (groupId); the other kinds are the 1:1 chat's.
// join / memberJoined / leave are the group's own events: the bot was added, `userId` joined, the bot was removed.
const sendSchemas = {
  text: z.strictObject({ userId: userIdSchema, groupId: groupIdSchema.optional(), text: z.string().min(1).max(5000) }),
  postbackData: z.strictObject({ userId: userIdSchema, postbackData: z.string().min(1).max(300), displayText: z.string().max(300).optional() }),
  imageBase64: z.strictObject({
    userId: userIdSchema,
    groupId: groupIdSchema.optional(),
    imageBase64: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'imageBase64 must be base64'),
    contentType: z.enum(imageContentTypes),
  }),
  follow: z.strictObject({ userId: userIdSchema, follow: z.literal(true) }),
  join: z.strictObject({ userId: userIdSchema, groupId: groupIdSchema, join: z.literal(true) }),
  memberJoined: z.strictObject({ userId: userIdSchema, groupId: groupIdSchema, memberJoined: z.literal(true) }),
  leave: z.strictObject({ userId: userIdSchema, groupId: groupIdSchema, leave: z.literal(true) }),
};
type SendRequest = z.infer<(typeof sendSchemas)[keyof typeof sendSchemas]>;
const SEND_KINDS = Object.keys(sendSchemas) as (keyof typeof sendSchemas)[];

/** Validates against the one shape the body's key selects, so errors name the actual mistake. */
function parseSend(body: unknown): { ok: true; request: SendRequest } | { ok: false; issues: string[] } {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const kinds = SEND_KINDS.filter((kind) => kind in record);
  const kind = kinds[0];
  if (kinds.length !== 1 || !kind) {
    return {
      ok: false,
      issues: ['body: give userId and exactly one of text, postbackData (+ displayText), imageBase64 (+ contentType), follow: true, or with a groupId join: true, memberJoined: true, leave: true'],
    };
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

// One chat: a user's 1:1 chat with the bot, or the simulated group chat.
const messagesQuerySchema = z.union([
  z.strictObject({ userId: userIdSchema, since: z.coerce.number().int().min(0).default(0) }),
  z.strictObject({ groupId: groupIdSchema, since: z.coerce.number().int().min(0).default(0) }),
]);

/** What the user did in the simulator, kept so a reloaded page shows both sides of the chat. */
interface SentEntry {
  id: number;
  at: number;
  kind: 'text' | 'postback' | 'image' | 'follow' | 'join' | 'memberJoined' | 'leave';
  /** Who said it (in the group chat, where several people speak). */
  userId: string;
  text?: string;
  messageId?: string;
}

/**
 * The webhook event LINE would send, as its Messaging API documents it (line/line-openapi
 * webhook.yml, as @line/bot-sdk's `webhook` types): every event has webhookEventId, timestamp,
 * mode, source and deliveryContext. In a group, `source` is GroupSource {type: 'group', groupId,
 * userId}, with userId "only included in message events"; JoinEvent (the bot was added) and
 * MemberJoinedEvent (joined.members: UserSource[]) carry a replyToken, LeaveEvent (the bot was
 * removed or left) none. A reply token of a group event answers into the group, so the stub
 * records those replies to the groupId, where pushes to the group go too.
 */
function buildEvent(request: SendRequest, stub: LineApiStub, messageId: string, now: number): Record<string, unknown> {
  const groupId = 'groupId' in request ? request.groupId : undefined;
  const isMessage = 'text' in request || 'imageBase64' in request;
  const common = { webhookEventId: newWebhookEventId(now), timestamp: now, mode: 'active', deliveryContext: { isRedelivery: false } };
  const source = groupId ? { type: 'group', groupId, ...(isMessage ? { userId: request.userId } : {}) } : { type: 'user', userId: request.userId };
  if ('leave' in request) return { ...common, type: 'leave', source };
  const base = { ...common, source, replyToken: stub.issueReplyToken(groupId ?? request.userId) };
  if ('join' in request) return { ...base, type: 'join' };
  if ('memberJoined' in request) return { ...base, type: 'memberJoined', joined: { members: [{ type: 'user', userId: request.userId }] } };
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
  const { userId } = request;
  if ('text' in request) return { id, at, userId, kind: 'text', text: request.text };
  if ('postbackData' in request) return { id, at, userId, kind: 'postback', ...(request.displayText ? { text: request.displayText } : {}) };
  if ('imageBase64' in request) return { id, at, userId, kind: 'image', messageId };
  if ('join' in request) return { id, at, userId, kind: 'join' };
  if ('memberJoined' in request) return { id, at, userId, kind: 'memberJoined' };
  if ('leave' in request) return { id, at, userId, kind: 'leave' };
  return { id, at, userId, kind: 'follow' };
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
  // Kept per chat: a user id (1:1) or a group id.
  const sentByChat = new Map<string, SentEntry[]>();
  let sentSequence = 0;
  // Groups the bot was added to (join); it is in one until it leaves (the stub records that) or is removed.
  const joinedGroups = new Set<string>();
  const botInGroup = (groupId: string) => joinedGroups.has(groupId) && !stub.left.includes(`group:${groupId}`);

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
    const chatId = 'groupId' in request && request.groupId ? request.groupId : request.userId;
    const sent = sentByChat.get(chatId) ?? [];
    sent.push(entry);
    if (sent.length > MAX_SENT_PER_USER) sent.splice(0, sent.length - MAX_SENT_PER_USER);
    sentByChat.set(chatId, sent);
    const forget = () => {
      const index = sent.indexOf(entry);
      if (index >= 0) sent.splice(index, 1);
    };

    if ('groupId' in request && request.groupId) {
      const { groupId } = request;
      // As in LINE, what members say in a group the bot is not in never reaches the bot.
      if (!('join' in request) && !botInGroup(groupId)) {
        res.json({ ok: true, webhookStatus: null, sent: entry });
        return;
      }
      if ('join' in request) {
        joinedGroups.add(groupId);
        stub.left.splice(0, stub.left.length, ...stub.left.filter((chat) => chat !== `group:${groupId}`));
      }
      if ('leave' in request) joinedGroups.delete(groupId);
    }

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
    const { since } = parsed.data;
    const chatId = 'groupId' in parsed.data ? parsed.data.groupId : parsed.data.userId;
    const messages = stub
      .messagesTo(chatId)
      .filter((entry) => entry.at > since)
      .map(({ via, message, at }) => ({ via, message, at }));
    const sent = (sentByChat.get(chatId) ?? []).filter((entry) => entry.at > since);
    res.json({ messages, sent, ...('groupId' in parsed.data ? { botInGroup: botInGroup(chatId) } : {}) });
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
