import type { webhook } from '@line/bot-sdk';
import type { Input } from '../conversation/types.js';
import { decodePostback } from './postback-data.js';
import { truncateUnits } from './text-units.js';

const MAX_TEXT_INPUT = 2000;

/** A LINE webhook event as conversation input; null when the event needs no answer. */
export function toInput(event: webhook.Event, secret: string): Input | null {
  switch (event.type) {
    case 'follow':
      return { kind: 'follow' };
    case 'message': {
      const message = event.message;
      // Cut between characters: half an emoji would be echoed back as a broken character.
      if (message.type === 'text') return { kind: 'text', text: truncateUnits(message.text, MAX_TEXT_INPUT) };
      if (message.type === 'image') return { kind: 'image', messageId: message.id };
      return { kind: 'unsupported' };
    }
    case 'postback': {
      const decoded = decodePostback(event.postback.data, secret);
      // A forged or mangled button is answered like any unknown input.
      if (!decoded) return { kind: 'unsupported' };
      return { kind: 'postback', ...decoded };
    }
    default:
      return null;
  }
}
