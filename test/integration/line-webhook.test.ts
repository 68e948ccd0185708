import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { messageText, signLine, startLineHarness, type LineHarness } from '../support/line-harness.js';

const kinds = await databaseKinds();

describe.each(kinds)('LINE webhook on %s', (kind) => {
  let database: TestDatabase;
  let harness: LineHarness;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    harness = await startLineHarness({ db: database.db });
  });
  afterAll(async () => {
    await harness?.stop();
    await database?.drop();
  });

  it('answers help in the language of the LINE profile', async () => {
    harness.line.profiles.set('Uen', { displayName: 'Ann', language: 'en' });
    harness.line.profiles.set('Uko', { displayName: 'Min', language: 'ko-KR' });
    harness.line.profiles.set('Unone', { displayName: 'No language' });
    const [en] = await harness.say('Uen', 'help');
    const [ko] = await harness.say('Uko', '도움말');
    const [ja] = await harness.say('Unone', 'ヘルプ');
    expect(messageText(en!)).toContain('invite code');
    expect(messageText(ko!)).toContain('초대 코드');
    expect(messageText(ja!)).toContain('招待コード');
    expect(en!.quickReply).toBeDefined();
  });

  it('rejects a missing or wrong signature with 401 and stores nothing', async () => {
    const event = harness.textEvent('Ux', 'help');
    const before = await database.db.prisma.lineEvent.count();
    expect((await harness.deliver([event], { signature: null })).status).toBe(401);
    expect((await harness.deliver([event], { signature: signLine('other body') })).status).toBe(401);
    expect((await harness.deliver([event], { signature: signLine('x', 'wrong-secret') })).status).toBe(401);
    expect(await database.db.prisma.lineEvent.count()).toBe(before);
  });

  it('verifies the signature on the exact bytes (non-ASCII, emoji, odd whitespace)', async () => {
    const event = harness.textEvent('Ubytes', 'ヘルプ 🙂');
    const compact = JSON.stringify({ destination: 'U1', events: [event] });
    const spaced = JSON.stringify({ destination: 'U1', events: [{ ...event, webhookEventId: event.webhookEventId + 'b' }] }, null, 3).replace(/\n/g, '\r\n');
    expect((await harness.deliver([], { rawBody: compact })).status).toBe(200);
    expect((await harness.deliver([], { rawBody: spaced })).status).toBe(200);
    // The same bytes re-encoded (escaped non-ASCII) no longer match the signature computed over the original.
    const escaped = compact.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect((await harness.deliver([], { rawBody: escaped, signature: signLine(compact) })).status).toBe(401);
  });

  it('answers the console Verify (empty events) with 200', async () => {
    const response = await harness.deliver([]);
    expect(response.status).toBe(200);
  });
});
