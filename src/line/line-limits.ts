// What LINE's Messaging API refuses in a reply or push body (developers.line.biz message reference
// and the line-openapi spec), checked the way LINE counts: text, alt text, URIs, postback data and
// clipboard text in UTF-16 units, labels and displayText in grapheme clusters. The LINE API stub
// (local mode and every test) answers 400 with these details, as LINE does, so a message LINE
// would refuse fails in tests instead of in production.
import { graphemeCount } from './text-units.js';

export const LINE_LIMITS = {
  messages: 5,
  text: 5000,
  altText: 1500,
  quickReplyItems: 13,
  quickReplyLabel: 20,
  buttonLabel: 40,
  displayText: 300,
  messageActionText: 300,
  postbackData: 300,
  uri: 1000,
  clipboardText: 1000,
  imageUrl: 2000,
  carouselBubbles: 12,
  bubbleBytes: 30 * 1024,
  carouselBytes: 50 * 1024,
} as const;

export interface LimitProblem {
  message: string;
  property: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function checker(problems: LimitProblem[]) {
  const text = (value: unknown, property: string, max: number, count: (text: string) => number = (s) => s.length) => {
    if (typeof value !== 'string' || value.length === 0) problems.push({ message: 'must be specified', property });
    else if (count(value) > max) problems.push({ message: `Length must be between 1 and ${max}`, property });
  };
  const uri = (value: unknown, property: string, max: number, schemes: string[]) => {
    text(value, property, max);
    if (typeof value !== 'string') return;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      problems.push({ message: 'invalid uri', property });
      return;
    }
    const scheme = parsed.protocol.replace(/:$/, '');
    // Plain http is allowed to loopback only: local mode and tests serve images from there.
    if (!schemes.includes(scheme) && !(scheme === 'http' && schemes.includes('https') && LOOPBACK.has(parsed.hostname))) {
      problems.push({ message: `invalid uri scheme (${schemes.join(', ')})`, property });
    }
  };
  const image = (value: unknown, property: string) => uri(value, property, LINE_LIMITS.imageUrl, ['https']);

  const action = (value: unknown, property: string, labelMax: number | null) => {
    if (!isObject(value)) {
      problems.push({ message: 'must be specified', property });
      return;
    }
    if (labelMax !== null) text(value.label, `${property}.label`, labelMax, graphemeCount);
    switch (value.type) {
      case 'postback':
        text(value.data, `${property}.data`, LINE_LIMITS.postbackData);
        if (value.displayText !== undefined) text(value.displayText, `${property}.displayText`, LINE_LIMITS.displayText, graphemeCount);
        break;
      case 'message':
        text(value.text, `${property}.text`, LINE_LIMITS.messageActionText);
        break;
      case 'uri':
        uri(value.uri, `${property}.uri`, LINE_LIMITS.uri, ['http', 'https', 'line', 'tel']);
        break;
      case 'clipboard':
        text(value.clipboardText, `${property}.clipboardText`, LINE_LIMITS.clipboardText);
        break;
      default:
        problems.push({ message: `unsupported action type ${String(value.type)}`, property: `${property}.type` });
    }
  };

  const component = (value: unknown, property: string): void => {
    if (!isObject(value)) {
      problems.push({ message: 'must be specified', property });
      return;
    }
    switch (value.type) {
      case 'box':
        if (!Array.isArray(value.contents)) problems.push({ message: 'must be specified', property: `${property}.contents` });
        else value.contents.forEach((inner, index) => component(inner, `${property}.contents[${index}]`));
        break;
      case 'text':
        if (typeof value.text !== 'string' || value.text.length === 0) problems.push({ message: 'must be specified', property: `${property}.text` });
        break;
      case 'image':
        image(value.url, `${property}.url`);
        break;
      case 'button':
        action(value.action, `${property}.action`, LINE_LIMITS.buttonLabel);
        break;
      case 'separator':
      case 'filler':
        break;
      default:
        problems.push({ message: `unsupported component type ${String(value.type)}`, property: `${property}.type` });
    }
  };

  const bubble = (value: unknown, property: string) => {
    if (!isObject(value) || value.type !== 'bubble') {
      problems.push({ message: 'must be a bubble', property });
      return;
    }
    if (Buffer.byteLength(JSON.stringify(value)) > LINE_LIMITS.bubbleBytes) problems.push({ message: `bubble must be at most ${LINE_LIMITS.bubbleBytes} bytes`, property });
    for (const block of ['header', 'hero', 'body', 'footer'] as const) {
      if (value[block] !== undefined) component(value[block], `${property}.${block}`);
    }
  };

  const message = (value: unknown, property: string) => {
    if (!isObject(value)) {
      problems.push({ message: 'must be specified', property });
      return;
    }
    switch (value.type) {
      case 'text':
        text(value.text, `${property}.text`, LINE_LIMITS.text);
        break;
      case 'image':
        image(value.originalContentUrl, `${property}.originalContentUrl`);
        image(value.previewImageUrl, `${property}.previewImageUrl`);
        break;
      case 'flex': {
        text(value.altText, `${property}.altText`, LINE_LIMITS.altText);
        const contents = value.contents;
        if (isObject(contents) && contents.type === 'carousel') {
          const bubbles = Array.isArray(contents.contents) ? contents.contents : [];
          if (bubbles.length < 1 || bubbles.length > LINE_LIMITS.carouselBubbles) {
            problems.push({ message: `Size must be between 1 and ${LINE_LIMITS.carouselBubbles}`, property: `${property}.contents.contents` });
          }
          if (Buffer.byteLength(JSON.stringify(contents)) > LINE_LIMITS.carouselBytes)
            problems.push({ message: `carousel must be at most ${LINE_LIMITS.carouselBytes} bytes`, property: `${property}.contents` });
          bubbles.forEach((inner, index) => bubble(inner, `${property}.contents.contents[${index}]`));
        } else {
          bubble(contents, `${property}.contents`);
        }
        break;
      }
      default:
        problems.push({ message: `unsupported message type ${String(value.type)}`, property: `${property}.type` });
    }
    if (value.quickReply !== undefined) {
      const items = isObject(value.quickReply) && Array.isArray(value.quickReply.items) ? value.quickReply.items : [];
      if (items.length < 1 || items.length > LINE_LIMITS.quickReplyItems) {
        problems.push({ message: `Size must be between 1 and ${LINE_LIMITS.quickReplyItems}`, property: `${property}.quickReply.items` });
      }
      items.forEach((item, index) => action(isObject(item) ? item.action : undefined, `${property}.quickReply.items[${index}].action`, LINE_LIMITS.quickReplyLabel));
    }
  };
  return { message };
}

/** Everything LINE would refuse in a reply/push `messages` array (empty when LINE would accept it). */
export function messageProblems(messages: unknown): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > LINE_LIMITS.messages) {
    return [{ message: `Size must be between 1 and ${LINE_LIMITS.messages}`, property: 'messages' }];
  }
  const { message } = checker(problems);
  messages.forEach((value, index) => message(value, `messages[${index}]`));
  return problems;
}
