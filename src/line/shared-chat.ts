// Group chats and multi-person rooms. Merchant commands work only in the 1:1 chat with the bot:
// anyone in a group could read what the bot says there (an invite code, a link's sales) or press
// its buttons. So an event from a group or room never reaches the conversation: the bot answers
// once, in all three languages (a group has no one language), that it works 1:1, and leaves — so
// the group gets that one message and nothing else, however many members write.
import { HTTPFetchError, type LineBotClient, type webhook } from '@line/bot-sdk';
import { LANGUAGES, translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';

type SharedSource = { type: 'group'; groupId: string } | { type: 'room'; roomId: string };

/** The group or room an event came from; null for the 1:1 chat. */
export function sharedChatOf(event: webhook.Event): SharedSource | null {
  const source = event.source;
  if (source?.type === 'group') return { type: 'group', groupId: source.groupId };
  if (source?.type === 'room') return { type: 'room', roomId: source.roomId };
  return null;
}

export function sharedChatText(): string {
  return LANGUAGES.map((language) => translator(language)('sharedChat')).join('\n\n');
}

// Events someone in the group caused and the bot may answer: being added, a message, a button.
const ANSWERED = new Set(['join', 'message', 'postback', 'memberJoined']);

function isGone(error: unknown): boolean {
  return error instanceof HTTPFetchError && (error.status === 400 || error.status === 404);
}

/**
 * Answers an event from a group or room with the 1:1 notice and leaves the chat. Safe to run
 * again for the same event (a retry): a used reply token and an already-left chat are not errors.
 */
export async function answerSharedChat(line: LineBotClient, event: webhook.Event, log: Logger): Promise<'reply' | 'none'> {
  const chat = sharedChatOf(event);
  if (!chat || !ANSWERED.has(event.type)) return 'none';
  const replyToken = 'replyToken' in event ? event.replyToken : undefined;
  if (replyToken) {
    try {
      await line.replyMessage({ replyToken, messages: [{ type: 'text', text: sharedChatText() }] });
    } catch (error) {
      if (!isGone(error)) throw error;
      log.info({ chat: chat.type }, 'group notice: reply token already used or expired');
    }
  }
  try {
    if (chat.type === 'group') await line.leaveGroup(chat.groupId);
    else await line.leaveRoom(chat.roomId);
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  log.info({ chat: chat.type, eventType: event.type }, 'answered a group or room with the 1:1 notice and left it');
  return replyToken ? 'reply' : 'none';
}
