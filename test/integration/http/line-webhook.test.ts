import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { messageText, signLine } from '../../support/line-harness.js';
import { useLineHarness } from '../../support/suite-setup.js';

const kinds = await databaseKinds();

describe.each(kinds)('LINE webhook on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);

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
    const before = await prisma.lineEvent.count();
    expect((await harness.deliver([event], { signature: null })).status).toBe(401);
    expect((await harness.deliver([event], { signature: signLine('other body') })).status).toBe(401);
    expect((await harness.deliver([event], { signature: signLine('x', 'wrong-secret') })).status).toBe(401);
    expect(await prisma.lineEvent.count()).toBe(before);
  });

  it('verifies the signature on the exact bytes (non-ASCII, emoji, odd whitespace)', async () => {
    const event = harness.textEvent('Ubytes', 'ヘルプ 🙂');
    const compact = JSON.stringify({ destination: 'U1', events: [event] });
    const spaced = JSON.stringify({ destination: 'U1', events: [{ ...event, webhookEventId: `${String(event.webhookEventId)}b` }] }, null, 3).replace(/\n/g, '\r\n');
    expect((await harness.deliver([], { rawBody: compact })).status).toBe(200);
    expect((await harness.deliver([], { rawBody: spaced })).status).toBe(200);
    // The same bytes re-encoded (escaped non-ASCII) no longer match the signature computed over the original.
    const escaped = compact.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect((await harness.deliver([], { rawBody: escaped, signature: signLine(compact) })).status).toBe(401);
  });

  it('welcomes a new friend in their language', async () => {
    harness.line.profiles.set('Ufollow', { displayName: 'F', language: 'ko' });
    await harness.deliver([harness.followEvent('Ufollow')]);
    const [welcome] = await harness.line.waitForMessages('Ufollow', 1);
    expect(messageText(welcome!.message)).toContain('친구 추가 감사해요');
  });

  it('switches language from the buttons it sent, and keeps it per user while others run concurrently', async () => {
    const [chooser] = await harness.say('Uswitch', 'language');
    const items = (chooser!.quickReply as { items: { action: { label: string; data: string } }[] }).items;
    expect(items.map((item) => item.action.label)).toEqual(['日本語', 'English', '한국어']);
    const english = items.find((item) => item.action.label === 'English')!;
    await harness.deliver([harness.postbackEvent('Uswitch', english.action.data)]);
    const [changed] = (await harness.line.waitForMessages('Uswitch', 2)).slice(1);
    expect(messageText(changed!.message)).toContain("I'll speak English");

    harness.line.profiles.set('Ukorean', { displayName: 'K', language: 'ko' });
    const before = { en: harness.line.messagesTo('Uswitch').length, ko: harness.line.messagesTo('Ukorean').length };
    await Promise.all([harness.deliver([harness.textEvent('Uswitch', 'help')]), harness.deliver([harness.textEvent('Ukorean', 'help')])]);
    const [en] = (await harness.line.waitForMessages('Uswitch', before.en + 1)).slice(before.en);
    const [ko] = (await harness.line.waitForMessages('Ukorean', before.ko + 1)).slice(before.ko);
    expect(messageText(en!.message)).toContain('invite code');
    expect(messageText(ko!.message)).toContain('초대 코드');
  });

  it('refuses a forged postback like any unknown input', async () => {
    const [answer] = await (async () => {
      await harness.deliver([harness.postbackEvent('Uforger', 'setLanguage||en|AAAAAAAAAAAAAAAAAAAAAA')]);
      return (await harness.line.waitForMessages('Uforger', 1)).map((entry) => entry.message);
    })();
    expect(messageText(answer!)).toContain('ヘルプ');
    const user = await prisma.lineUser.findUniqueOrThrow({ where: { id: 'Uforger' } });
    expect(user.language).toBe('ja');
  });

  it('limits the body size', async () => {
    const huge = JSON.stringify({ destination: 'U', events: [], padding: 'x'.repeat(2 * 1024 * 1024) });
    const response = await harness.deliver([], { rawBody: huge });
    expect(response.status).toBe(413);
  });

  it('keeps message bodies and secrets out of info-level logs', async () => {
    await harness.say('Uprivate', 'my secret shipping address 東京都千代田区');
    const infoAndAbove = harness.logs
      .entries()
      .filter((entry) => Number(entry.level) >= 30)
      .map((entry) => JSON.stringify(entry))
      .join('\n');
    expect(infoAndAbove).not.toContain('東京都千代田区');
    expect(harness.logs.text()).not.toContain(harness.config.line.channelSecret);
    expect(harness.logs.text()).not.toContain(harness.config.line.channelAccessToken);
    expect(harness.logs.text()).not.toContain(harness.config.appSecret);
  });

  it('answers the console Verify (empty events) with 200', async () => {
    const response = await harness.deliver([]);
    expect(response.status).toBe(200);
  });
});
