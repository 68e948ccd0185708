import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { translator } from '../../../src/i18n/i18n.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { createTestDatabase, databaseKinds } from '../../support/databases.js';
import { LogCapture, messageText, startLineHarness } from '../../support/line-harness.js';
import { useTestDatabase } from '../../support/suite-setup.js';

interface SimulatorMessage {
  via: 'reply' | 'push';
  message: Record<string, unknown>;
  at: number;
}

const kinds = await databaseKinds();
const ja = translator('ja');

describe.each(kinds)('local-mode LINE simulator on %s', (kind) => {
  const { database, prisma } = useTestDatabase(kind);
  let server: RunningServer;
  let dataDir: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'simulator-'));
    server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' }), {
      db: database.db,
      log: createLogger('info', logs),
      worker: { pollIntervalMs: 50, backoffMs: () => 50 },
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function send(body: Record<string, unknown>): Promise<Response> {
    return fetch(`${server.url}/dev/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  async function messages(userId: string, since = 0): Promise<SimulatorMessage[]> {
    const response = await fetch(`${server.url}/dev/api/messages?userId=${encodeURIComponent(userId)}&since=${since}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: SimulatorMessage[] }).messages;
  }

  /** Sends through the simulator and waits until the bot has answered with `expected` more messages. */
  async function converse(body: Record<string, unknown> & { userId: string }, expected = 1): Promise<SimulatorMessage[]> {
    const before = (await messages(body.userId)).length;
    const response = await send(body);
    expect(response.status).toBe(200);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const all = await messages(body.userId);
      if (all.length >= before + expected) {
        await server.worker.idle();
        return all.slice(before);
      }
      if (Date.now() > deadline) throw new Error(`no answer to ${JSON.stringify(body).slice(0, 80)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('serves the simulator as static files from this origin only, under a strict CSP', async () => {
    const response = await fetch(`${server.url}/dev/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('LINE simulator');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script>|<style>|style="/);
    for (const [asset, type] of [
      ['/dev/simulator.js', /^text\/javascript/],
      ['/dev/simulator.css', /^text\/css/],
      ['/dev/favicon.svg', /^image\/svg\+xml/],
      ['/dev/rich-menu.png', /^image\/png/],
    ] as const) {
      const file = await fetch(`${server.url}${asset}`);
      expect(file.status, asset).toBe(200);
      expect(file.headers.get('content-type'), asset).toMatch(type);
    }
    // The script is the TypeScript source compiled for the browser: no types, no imports left.
    const script = await (await fetch(`${server.url}/dev/simulator.js`)).text();
    expect(script).toContain('/dev/api/send');
    expect(script).not.toMatch(/^import /m);
    expect(script).not.toContain('innerHTML');
  });

  it('redirects / to the simulator', async () => {
    const response = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/dev/');
  });

  it('gives the page its texts in ja/en/ko and the rich menu richmenu:setup draws', async () => {
    const setup = (await (await fetch(`${server.url}/dev/api/setup`)).json()) as {
      labels: Record<string, Record<string, string>>;
      richMenu: { width: number; areas: { text: string; labels: Record<string, string> }[] };
    };
    expect(setup.labels.ja?.send).toBe('送信');
    expect(setup.labels.en?.send).toBe('Send');
    expect(setup.labels.ko?.send).toBe('보내기');
    expect(setup.richMenu.width).toBe(2500);
    expect(setup.richMenu.areas.map((area) => area.text)).toEqual(['quick', 'create', 'links', 'summary', 'help', 'language']);
    expect(setup.richMenu.areas[0]?.labels.ja).toBe('クイックリンク');
  });

  it('delivers "help" through the signed webhook and shows the reply', async () => {
    const [reply] = await converse({ userId: 'Ulocalalice', text: 'help' });
    expect(reply!.via).toBe('reply');
    expect(reply!.message.type).toBe('text');
    // Local mode makes the first user owner of the demo shop, so help is the member's version.
    expect(messageText(reply!.message)).toContain('Demo shop');
    const items = (reply!.message.quickReply as { items: { action: { type: string } }[] }).items;
    expect(items.length).toBeGreaterThan(0);

    const stored = await prisma.lineEvent.findMany({ where: { userId: 'Ulocalalice' } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(stored[0]!.status).toBe('done');
    expect(logs.text()).not.toContain('"help"');
  });

  it('filters messages by `since` and keeps users apart', async () => {
    const all = await messages('Ulocalalice');
    const newest = all.at(-1)!.at;
    expect(await messages('Ulocalalice', newest)).toHaveLength(0);
    expect(await messages('Ulocalalice', newest - 1)).toHaveLength(all.filter((entry) => entry.at === newest).length);

    // A second user is not the demo shop's member: the guest help, and none of Alice's messages.
    const [guestHelp] = await converse({ userId: 'Ulocalbob', text: 'help' });
    expect(messageText(guestHelp!.message)).not.toContain('Demo shop');
    expect(await messages('Ulocalbob')).toHaveLength(1);
  });

  it('sends a tapped postback button as a postback event', async () => {
    const [help] = await converse({ userId: 'Ulocalalice', text: 'help' });
    const items = (help!.message.quickReply as { items: { action: { type: string; label: string; data: string; displayText?: string } }[] }).items;
    const language = items.find((item) => item.action.label === ja('buttons.language'))!.action;
    expect(language.type).toBe('postback');
    const [chooser] = await converse({ userId: 'Ulocalalice', postbackData: language.data, displayText: language.displayText });
    expect(messageText(chooser!.message)).toContain(ja('language.choose'));
  });

  it('stores a sent photo as LINE message content and sends an image event', async () => {
    const png = new PNG({ width: 4, height: 4 });
    png.data.fill(200);
    const bytes = PNG.sync.write(png);
    const response = await send({ userId: 'Ulocalcarol', imageBase64: bytes.toString('base64'), contentType: 'image/png' });
    expect(response.status).toBe(200);
    const { sent, webhookEventId } = (await response.json()) as { webhookEventId: string; sent: { kind: string; messageId: string } };
    expect(sent.kind).toBe('image');
    expect(server.lineStub!.contents.get(sent.messageId)?.bytes.equals(bytes)).toBe(true);

    const event = await prisma.lineEvent.findUnique({ where: { webhookEventId } });
    expect(event?.payload).toMatchObject({ type: 'message', source: { userId: 'Ulocalcarol' }, message: { type: 'image', id: sent.messageId } });

    const content = await fetch(`${server.url}/dev/api/content/${sent.messageId}`);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('sends a follow event and shows the welcome', async () => {
    const [welcome] = await converse({ userId: 'Ulocaldave', follow: true });
    expect(messageText(welcome!.message)).toContain(ja('welcome').split('\n')[0]!);
  });

  it('names simulated users (after the first user took the demo shop): the bot reads the name and language from their LINE profile', async () => {
    const register = (body: unknown) => fetch(`${server.url}/dev/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await register({ userId: 'Unamed1', displayName: '山田花子', language: 'en' })).status).toBe(200);
    expect(server.lineStub!.profiles.get('Unamed1')).toEqual({ displayName: '山田花子', language: 'en' });
    const [welcome] = await converse({ userId: 'Unamed1', follow: true });
    expect(messageText(welcome!.message)).toContain('Thanks for adding me');
    expect((await register({ userId: 'Unamed2', displayName: '', language: 'en' })).status).toBe(400);
    expect((await register({ userId: 'Unamed2', displayName: 'x'.repeat(21), language: 'en' })).status).toBe(400);
    expect((await register({ userId: 'not-an-id', displayName: 'A', language: 'en' })).status).toBe(400);
  });

  it('plays a group chat: join, members talking, memberJoined and leave shaped as LINE sends them, the answer in the group', async () => {
    const groupId = 'Clocalgroup1';
    const stub = server.lineStub!;
    const groupChat = async (since = 0) => {
      const response = await fetch(`${server.url}/dev/api/messages?groupId=${groupId}&since=${since}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { messages: SimulatorMessage[]; sent: { kind: string; userId: string; text?: string }[]; botInGroup: boolean };
    };
    const eventOf = async (response: Response) => {
      expect(response.status).toBe(200);
      const { webhookEventId } = (await response.json()) as { webhookEventId: string };
      // The webhook keeps the event before it answers 200.
      return prisma.lineEvent.findUniqueOrThrow({ where: { webhookEventId } });
    };
    // Slow the bot's leaves (it answers and leaves on each of the three events), so the group still
    // has it while the next member joins and talks, however fast the bot answers the events.
    stub.delayNext(/\/group\/Clocalgroup1\/leave$/, 1500, 3);
    const join = send({ userId: 'Ulocalalice', groupId, join: true });
    const joined = await eventOf(await join);
    expect(joined.payload).toMatchObject({ type: 'join', mode: 'active', source: { type: 'group', groupId }, replyToken: expect.any(String) });
    // GroupSource carries userId only in message events.
    expect((joined.payload as { source: object }).source).not.toHaveProperty('userId');

    const member = await eventOf(await send({ userId: 'Ulocalbob', groupId, memberJoined: true }));
    expect(member.payload).toMatchObject({ type: 'memberJoined', source: { type: 'group', groupId }, joined: { members: [{ type: 'user', userId: 'Ulocalbob' }] }, replyToken: expect.any(String) });
    const said = await eventOf(await send({ userId: 'Ulocalbob', groupId, text: 'こんにちは' }));
    expect(said.payload).toMatchObject({ type: 'message', source: { type: 'group', groupId, userId: 'Ulocalbob' }, message: { type: 'text', text: 'こんにちは' } });

    await server.worker.idle();
    // The bot's answers were replies with the group events' tokens, so they are in the group's chat, not a member's.
    const chat = await groupChat();
    expect(chat.messages.length).toBeGreaterThan(0);
    expect(chat.messages.every((entry) => entry.via === 'reply' && messageText(entry.message).includes(ja('sharedChat')))).toBe(true);
    expect((await messages('Ulocalbob')).some((entry) => messageText(entry.message).includes(ja('sharedChat')))).toBe(false);
    expect(chat.sent.map((entry) => [entry.kind, entry.userId])).toEqual([
      ['join', 'Ulocalalice'],
      ['memberJoined', 'Ulocalbob'],
      ['text', 'Ulocalbob'],
    ]);
    await expect.poll(() => stub.left, { timeout: 10_000, interval: 50 }).toContain(`group:${groupId}`);
    expect((await groupChat()).botInGroup).toBe(false);

    // With the bot gone, what members say reaches nobody, as in LINE: shown, never sent to the webhook.
    const unheard = await send({ userId: 'Ulocalalice', groupId, text: 'まだいる？' });
    expect(await unheard.json()).toMatchObject({ ok: true, webhookStatus: null, sent: { kind: 'text', userId: 'Ulocalalice' } });
    const events = await prisma.lineEvent.findMany();
    expect(events.filter((event) => (event.payload as { source?: { groupId?: string } }).source?.groupId === groupId)).toHaveLength(3);

    // Added again, then removed by a member before it left by itself (a leave event: no reply token).
    stub.delayNext(/\/group\/Clocalgroup1\/leave$/, 1500);
    await eventOf(await send({ userId: 'Ulocalalice', groupId, join: true }));
    const left = await eventOf(await send({ userId: 'Ulocalalice', groupId, leave: true }));
    expect(left.payload).toMatchObject({ type: 'leave', source: { type: 'group', groupId } });
    expect(left.payload).not.toHaveProperty('replyToken');
    expect((await groupChat()).botInGroup).toBe(false);
    await server.worker.idle();
    expect((await groupChat()).messages.length).toBeGreaterThan(chat.messages.length);
  });

  it('rejects malformed requests with the reason', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ userId: 'alice', text: 'hi' }, /userId/],
      [{ userId: 'Ulocalalice' }, /exactly one of/],
      [{ userId: 'Ulocalalice', text: 'hi', follow: true }, /exactly one of/],
      [{ userId: 'Ulocalalice', text: '' }, /text/],
      [{ userId: 'Ulocalalice', imageBase64: 'PHN2Zz4=', contentType: 'image/svg+xml' }, /contentType/],
      [{ userId: 'Ulocalalice', imageBase64: 'not base64!', contentType: 'image/png' }, /base64/],
      [{ userId: 'Ulocalalice', postbackData: 'x'.repeat(301) }, /postbackData/],
      [{ userId: 'Ulocalalice', join: true }, /groupId/],
      [{ userId: 'Ulocalalice', groupId: 'Unot-a-group', text: 'hi' }, /groupId/],
      [{ userId: 'Ulocalalice', groupId: 'Clocalgroup2', follow: true }, /groupId/],
    ];
    for (const [body, reason] of cases) {
      const response = await send(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { issues: string[] }).issues.join(' ')).toMatch(reason);
    }
    const huge = await send({ userId: 'Ulocalalice', imageBase64: 'A'.repeat(9 * 1024 * 1024), contentType: 'image/png' });
    expect(huge.status).toBe(413);
    expect((await fetch(`${server.url}/dev/api/messages?userId=nope`)).status).toBe(400);
  });
});

describe('LINE simulator outside local mode', () => {
  it('does not exist (404)', async () => {
    const database = await createTestDatabase('pglite');
    const harness = await startLineHarness({ db: database.db });
    try {
      expect(harness.config.localMode).toBe(false);
      for (const route of ['/dev/', '/dev/simulator.js', '/dev/api/setup', '/dev/rich-menu.png', '/']) {
        expect((await fetch(`${harness.url}${route}`, { redirect: 'manual' })).status, route).toBe(404);
      }
      expect((await fetch(`${harness.url}/dev/api/messages?userId=Ux`)).status).toBe(404);
      const send = await fetch(`${harness.url}/dev/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'Ux', text: 'help' }),
      });
      expect(send.status).toBe(404);
      expect(await database.db.prisma.lineEvent.count()).toBe(0);
    } finally {
      await harness.stop();
      await database.drop();
    }
  });
});
