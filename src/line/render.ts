import type { messagingApi } from '@line/bot-sdk';
import type { Button, ButtonAction, Card, Reply } from '../conversation/types.js';
import { LINE_LIMITS } from './line-limits.js';
import { encodePostback } from './postback-data.js';
import { clipGraphemes, clipUnits, truncateUnits } from './text-units.js';

type Message = messagingApi.Message;
type Action = messagingApi.Action;

// Quick reply labels are capped at 20 graphemes; Flex buttons get the same, so a button reads
// the same wherever it appears.
const MAX_LABEL = LINE_LIMITS.quickReplyLabel;

export function shareUrl(text: string): string {
  return `https://line.me/R/share?text=${encodeURIComponent(text)}`;
}

/**
 * The text a Share button forwards: `full`, or `fallback` when `full`, percent-encoded into the
 * share URI, would pass LINE's 1,000-character limit (a long Japanese or Korean name grows 9
 * characters per character there).
 */
export function fitShareText(full: string, fallback: string): string {
  return shareUrl(full).length <= LINE_LIMITS.uri ? full : fallback;
}

/** A share URI within LINE's limit whatever the text: cut at a character boundary if need be. */
function shareUri(text: string): string {
  if (shareUrl(text).length <= LINE_LIMITS.uri) return shareUrl(text);
  // The longest prefix (in UTF-16 units, cut between characters) whose URI fits.
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (shareUrl(truncateUnits(text, middle)).length <= LINE_LIMITS.uri) low = middle;
    else high = middle - 1;
  }
  return shareUrl(truncateUnits(text, low));
}

function toAction(label: string, action: ButtonAction, secret: string): Action {
  const shortLabel = clipGraphemes(label, MAX_LABEL);
  switch (action.type) {
    case 'command':
      return {
        type: 'postback',
        label: shortLabel,
        data: encodePostback({ action: action.action, args: action.args ?? [], dialogId: action.dialogId ?? null }, secret),
        displayText: clipGraphemes(label, LINE_LIMITS.displayText),
      };
    case 'text':
      return { type: 'message', label: shortLabel, text: clipUnits(action.text, LINE_LIMITS.messageActionText) };
    case 'url':
      return { type: 'uri', label: shortLabel, uri: action.url };
    case 'share':
      return { type: 'uri', label: shortLabel, uri: shareUri(action.text) };
    case 'copy':
      return { type: 'clipboard', label: shortLabel, clipboardText: clipUnits(action.text, LINE_LIMITS.clipboardText) };
  }
}

function quickReply(buttons: Button[] | undefined, secret: string): messagingApi.QuickReply | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  if (buttons.length > LINE_LIMITS.quickReplyItems) throw new RangeError(`${buttons.length} quick replies; LINE shows at most ${LINE_LIMITS.quickReplyItems}`);
  return {
    items: buttons.map((button) => ({ type: 'action', action: toAction(button.label, button.action, secret) })),
  };
}

function bubble(card: Card, secret: string): messagingApi.FlexBubble {
  const body: messagingApi.FlexComponent[] = [];
  if (card.badge) {
    body.push({ type: 'text', text: card.badge, size: 'xs', color: '#B00020', weight: 'bold' });
  }
  body.push({ type: 'text', text: clipUnits(card.title, 200), weight: 'bold', size: 'lg', wrap: true });
  if (card.subtitle) body.push({ type: 'text', text: clipUnits(card.subtitle, 200), size: 'xl', weight: 'bold', color: '#06C755', wrap: true });
  if (card.rows.length > 0) {
    body.push({
      type: 'box',
      layout: 'vertical',
      margin: 'lg',
      spacing: 'sm',
      contents: card.rows.map((row) => ({
        type: 'box',
        layout: 'baseline',
        spacing: 'sm',
        contents: [
          { type: 'text', text: clipUnits(row.label || '-', 60), color: '#888888', size: 'sm', flex: 2, wrap: true },
          { type: 'text', text: clipUnits(row.value || '-', 300), size: 'sm', flex: 3, wrap: true },
        ],
      })),
    });
  }
  if (card.footnote) body.push({ type: 'text', text: clipUnits(card.footnote, 300), size: 'xxs', color: '#888888', wrap: true, margin: 'md' });

  const result: messagingApi.FlexBubble = {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: body },
  };
  if (card.imageUrl) {
    result.hero = { type: 'image', url: card.imageUrl, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' };
  }
  if (card.buttons.length > 0) {
    result.footer = {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: card.buttons.map((button, index) => ({
        type: 'button',
        style: button.style ?? (index === 0 ? 'primary' : 'secondary'),
        height: 'sm',
        action: toAction(button.label, button.action, secret),
      })),
    };
  }
  return result;
}

/**
 * Replies LINE can take whole: a carousel of more than 12 cards becomes several carousels, and
 * when that makes more than 5 messages, neighbouring texts are joined. Nothing is dropped; a
 * step that still needs more than 5 messages is a bug and throws.
 */
function fitReplies(replies: Reply[]): Reply[] {
  const split = replies.flatMap((reply): Reply[] => {
    if (reply.kind !== 'carousel' || reply.cards.length <= LINE_LIMITS.carouselBubbles) return [reply];
    const chunks: Reply[] = [];
    for (let start = 0; start < reply.cards.length; start += LINE_LIMITS.carouselBubbles) {
      const last = start + LINE_LIMITS.carouselBubbles >= reply.cards.length;
      chunks.push({
        kind: 'carousel',
        altText: reply.altText,
        cards: reply.cards.slice(start, start + LINE_LIMITS.carouselBubbles),
        ...(last && reply.quickReplies ? { quickReplies: reply.quickReplies } : {}),
      });
    }
    return chunks;
  });
  if (split.length <= LINE_LIMITS.messages) return split;
  const joined: Reply[] = [];
  for (const reply of split) {
    const previous = joined.at(-1);
    if (reply.kind === 'text' && previous?.kind === 'text' && !previous.quickReplies) {
      joined[joined.length - 1] = { ...reply, text: `${previous.text}\n\n${reply.text}` };
    } else {
      joined.push(reply);
    }
  }
  if (joined.length > LINE_LIMITS.messages) throw new RangeError(`${joined.length} messages in one answer; LINE takes at most ${LINE_LIMITS.messages}`);
  return joined;
}

/** Renders replies as LINE messages within LINE's limits (see line-limits.ts). */
export function renderReplies(replies: Reply[], secret: string): Message[] {
  return fitReplies(replies).map((reply): Message => {
    switch (reply.kind) {
      case 'text': {
        const message: messagingApi.TextMessage = { type: 'text', text: clipUnits(reply.text || '-', LINE_LIMITS.text) };
        const quick = quickReply(reply.quickReplies, secret);
        if (quick) message.quickReply = quick;
        return message;
      }
      case 'card':
      case 'carousel': {
        const contents: messagingApi.FlexContainer = reply.kind === 'card' ? bubble(reply.card, secret) : { type: 'carousel', contents: reply.cards.map((card) => bubble(card, secret)) };
        const message: messagingApi.FlexMessage = { type: 'flex', altText: clipUnits(reply.altText || '-', LINE_LIMITS.altText), contents };
        const quick = quickReply(reply.quickReplies, secret);
        if (quick) message.quickReply = quick;
        return message;
      }
      case 'image':
        return { type: 'image', originalContentUrl: reply.url, previewImageUrl: reply.url };
    }
  });
}
