import type { messagingApi } from '@line/bot-sdk';
import type { Button, ButtonAction, Card, Reply } from '../conversation/types.js';
import { clip } from '../i18n/format.js';
import { encodePostback } from './postback-data.js';

type Message = messagingApi.Message;
type Action = messagingApi.Action;

const MAX_MESSAGES = 5;
const MAX_QUICK_REPLIES = 13;
const MAX_TEXT = 5000;
const MAX_ALT_TEXT = 400;
const MAX_LABEL = 20;

export function shareUrl(text: string): string {
  return `https://line.me/R/share?text=${encodeURIComponent(text)}`;
}

function toAction(label: string, action: ButtonAction, secret: string): Action {
  const shortLabel = clip(label, MAX_LABEL);
  switch (action.type) {
    case 'command':
      return {
        type: 'postback',
        label: shortLabel,
        data: encodePostback({ action: action.action, args: action.args ?? [], dialogId: action.dialogId ?? null }, secret),
        displayText: label,
      };
    case 'text':
      return { type: 'message', label: shortLabel, text: action.text };
    case 'url':
      return { type: 'uri', label: shortLabel, uri: action.url };
    case 'share':
      return { type: 'uri', label: shortLabel, uri: shareUrl(action.text) };
    case 'copy':
      return { type: 'clipboard', label: shortLabel, clipboardText: clip(action.text, 1000) } as Action;
  }
}

function quickReply(buttons: Button[] | undefined, secret: string): messagingApi.QuickReply | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  return {
    items: buttons.slice(0, MAX_QUICK_REPLIES).map((button) => ({ type: 'action', action: toAction(button.label, button.action, secret) })),
  };
}

function bubble(card: Card, secret: string): messagingApi.FlexBubble {
  const body: messagingApi.FlexComponent[] = [];
  if (card.badge) {
    body.push({ type: 'text', text: card.badge, size: 'xs', color: '#B00020', weight: 'bold' });
  }
  body.push({ type: 'text', text: clip(card.title, 200), weight: 'bold', size: 'lg', wrap: true });
  if (card.subtitle) body.push({ type: 'text', text: clip(card.subtitle, 200), size: 'xl', weight: 'bold', color: '#06C755', wrap: true });
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
          { type: 'text', text: clip(row.label, 60), color: '#888888', size: 'sm', flex: 2, wrap: true },
          { type: 'text', text: clip(row.value || '-', 300), size: 'sm', flex: 3, wrap: true },
        ],
      })),
    });
  }
  if (card.footnote) body.push({ type: 'text', text: clip(card.footnote, 300), size: 'xxs', color: '#888888', wrap: true, margin: 'md' });

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

/** Renders replies as LINE messages (at most five per reply; text and alt text clipped to LINE's limits). */
export function renderReplies(replies: Reply[], secret: string): Message[] {
  return replies.slice(0, MAX_MESSAGES).map((reply): Message => {
    switch (reply.kind) {
      case 'text': {
        const message: messagingApi.TextMessage = { type: 'text', text: clip(reply.text, MAX_TEXT) };
        const quick = quickReply(reply.quickReplies, secret);
        if (quick) message.quickReply = quick;
        return message;
      }
      case 'card':
      case 'carousel': {
        const contents: messagingApi.FlexContainer =
          reply.kind === 'card'
            ? bubble(reply.card, secret)
            : { type: 'carousel', contents: reply.cards.slice(0, 12).map((card) => bubble(card, secret)) };
        const message: messagingApi.FlexMessage = { type: 'flex', altText: clip(reply.altText, MAX_ALT_TEXT), contents };
        const quick = quickReply(reply.quickReplies, secret);
        if (quick) message.quickReply = quick;
        return message;
      }
      case 'image':
        return { type: 'image', originalContentUrl: reply.url, previewImageUrl: reply.url };
    }
  });
}
