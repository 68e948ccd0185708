// Merchant commands work only in the 1:1 chat: in a group or room the bot says so once and leaves,
// never showing merchant data, invite codes or link actions there (not even to the shop's owner).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePostback } from '../../../src/line/postback-data.js';
import { sharedChatText } from '../../../src/line/shared-chat.js';
import { databaseKinds } from '../../support/databases.js';
import { APP_SECRET, messageText } from '../../support/line-harness.js';
import { useLineHarness } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('group and room chats on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  const owner = `U${randomUUID().replace(/-/g, '')}`;
  const merchantId = `m_${randomUUID().slice(0, 8)}`;
  const slug = `s${randomUUID().replace(/-/g, '').slice(0, 16)}`;

  beforeAll(async () => {
    await prisma.merchant.create({ data: { id: merchantId, name: 'Group test shop' } });
    await prisma.lineUser.create({ data: { id: owner, language: 'en', activeMerchantId: merchantId } });
    await prisma.member.create({ data: { merchantId, userId: owner, role: 'owner' } });
    await prisma.link.create({
      data: { id: `lnk_${randomUUID().slice(0, 8)}`, slug, merchantId, createdByUserId: owner, productName: 'Secret tea', productNameKey: 'secret tea', amount: 4321, currency: 'JPY' },
    });
  });

  /** An event from `chat` (a group or room) sent by the shop's owner; replies are recorded under the chat id. */
  function fromChat(chat: { type: 'group'; groupId: string } | { type: 'room'; roomId: string }, event: Record<string, unknown>): Record<string, unknown> {
    const chatId = chat.type === 'group' ? chat.groupId : chat.roomId;
    return { ...event, source: { ...chat, userId: owner }, replyToken: harness.line.issueReplyToken(chatId) };
  }

  async function deliverAndSettle(events: Record<string, unknown>[]): Promise<void> {
    expect((await harness.deliver(events)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await harness.server.worker.idle();
  }

  it.each([
    ['invite', 'an invite code'],
    ['summary Secret tea', "a link's sales"],
    ['links', 'the shop’s links'],
  ])('answers "%s" in a group with the 1:1 notice only — never %s — and leaves', async (command) => {
    const groupId = `C${randomUUID().replace(/-/g, '')}`;
    const invitesBefore = await prisma.invite.count();
    await deliverAndSettle([fromChat({ type: 'group', groupId }, harness.textEvent(owner, command))]);

    const said = harness.line.messagesTo(groupId).map((entry) => messageText(entry.message));
    expect(said).toEqual([sharedChatText()]);
    expect(said.join('\n')).not.toMatch(/Secret tea|4,321|[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/);
    expect(harness.line.messagesTo(owner)).toHaveLength(0);
    expect(await prisma.invite.count()).toBe(invitesBefore);
    expect(harness.line.left).toContain(`group:${groupId}`);
  });

  it('refuses a shop button pressed in a group the same way, performing nothing', async () => {
    const groupId = `C${randomUUID().replace(/-/g, '')}`;
    const invitesBefore = await prisma.invite.count();
    const data = encodePostback({ action: 'invite', args: [], dialogId: null }, APP_SECRET);
    await deliverAndSettle([fromChat({ type: 'group', groupId }, harness.postbackEvent(owner, data))]);
    expect(harness.line.messagesTo(groupId).map((entry) => messageText(entry.message))).toEqual([sharedChatText()]);
    expect(await prisma.invite.count()).toBe(invitesBefore);
    expect(harness.line.left).toContain(`group:${groupId}`);
  });

  it('greets a group it is added to with the notice and leaves; says it in a room too', async () => {
    const groupId = `C${randomUUID().replace(/-/g, '')}`;
    const join = {
      type: 'join',
      webhookEventId: `01JOIN${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`,
      timestamp: Date.now(),
      mode: 'active',
      deliveryContext: { isRedelivery: false },
    };
    await deliverAndSettle([{ ...join, source: { type: 'group', groupId }, replyToken: harness.line.issueReplyToken(groupId) }]);
    expect(harness.line.messagesTo(groupId)).toHaveLength(1);
    expect(harness.line.left).toContain(`group:${groupId}`);

    const roomId = `R${randomUUID().replace(/-/g, '')}`;
    await deliverAndSettle([fromChat({ type: 'room', roomId }, harness.textEvent(owner, 'summary Secret tea'))]);
    expect(harness.line.messagesTo(roomId).map((entry) => messageText(entry.message))).toEqual([sharedChatText()]);
    expect(harness.line.left).toContain(`room:${roomId}`);
  });

  it('still serves the owner in the 1:1 chat', async () => {
    const answer = (await harness.say(owner, 'summary Secret tea')).map(messageText).join('\n');
    expect(answer).toContain('Secret tea');
  });
});
