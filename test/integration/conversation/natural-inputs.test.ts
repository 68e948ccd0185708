import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedMember } from '../links/links-support.js';
import { useLineHarness } from '../../support/suite-setup.js';

const kinds = await databaseKinds();

// The natural inputs through the real path (signed webhook, inbox, worker, LINE API), so the
// buttons they add are also checked against what LINE accepts (the fake LINE API refuses the rest).
describe.each(kinds)('natural inputs through LINE on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);

  beforeAll(async () => {
    await seedMember(prisma, 'shop-natural', 'Unatural', 'ja');
  });

  async function tap(userId: string, data: string): Promise<Record<string, unknown>[]> {
    const before = harness.line.messagesTo(userId).length;
    expect((await harness.deliver([harness.postbackEvent(userId, data)])).status).toBe(200);
    const all = await harness.line.waitForMessages(userId, before + 1);
    await harness.server.worker.idle();
    return all.slice(before).map((entry) => entry.message);
  }

  it('a slip gets "did you mean" buttons that send the command as the user’s message', async () => {
    const [answer] = await harness.say('Unatural', 'くいっく');
    expect(messageText(answer!)).toContain('もしかして');
    expect(actionsOf(answer!).get('クイック')).toMatchObject({ type: 'message', text: 'クイック' });
    expect(harness.line.refusals).toEqual([]);
  });

  it('a bare amount offers a Quick link whose button starts it with the price filled in', async () => {
    const offer = await harness.say('Unatural', '¥1,500');
    expect(messageText(offer[0]!)).toContain('¥1,500の支払いリンクを作成しますか');
    const asked = await tap('Unatural', postbackData(offer, 'クイックリンク ¥1,500'));
    expect(messageText(asked[0]!)).toContain('商品名');
    const conversation = await prisma.conversation.findUnique({ where: { userId: 'Unatural' } });
    expect(conversation?.slots).toMatchObject({ step: 'name', draft: { amount: 1500, currency: 'JPY' } });
    await harness.say('Unatural', 'キャンセル');
  });

  it('greets back with the help buttons', async () => {
    const [answer] = await harness.say('Unatural', 'こんにちは！');
    expect(messageText(answer!)).toContain('こんにちは！何をしましょうか');
    expect([...actionsOf(answer!).keys()]).toContain('クイックリンク');
  });
});
