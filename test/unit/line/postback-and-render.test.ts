import { describe, expect, it } from 'vitest';
import { decodePostback, encodePostback } from '../../../src/line/postback-data.js';
import { renderReplies } from '../../../src/line/render.js';

const SECRET = 'x'.repeat(40);

describe('signed postback data', () => {
  it('round-trips action, dialog id and arguments with separators in them', () => {
    const data = encodePostback({ action: 'edit', args: ['a|b', 'Tシャツ', ''], dialogId: 'd1' }, SECRET);
    expect(data.length).toBeLessThanOrEqual(300);
    expect(decodePostback(data, SECRET)).toEqual({ action: 'edit', args: ['a|b', 'Tシャツ', ''], dialogId: 'd1' });
  });

  it('rejects tampering, another key, and garbage', () => {
    const data = encodePostback({ action: 'summary', args: ['link_1'], dialogId: null }, SECRET);
    expect(decodePostback(data.replace('link_1', 'link_2'), SECRET)).toBeNull();
    expect(decodePostback(data, 'y'.repeat(40))).toBeNull();
    expect(decodePostback('summary|link_1', SECRET)).toBeNull();
    expect(decodePostback('', SECRET)).toBeNull();
    expect(decodePostback('%E0%A4%A|x', SECRET)).toBeNull();
  });

  it('refuses to build data LINE would reject (over 300 characters)', () => {
    expect(() => encodePostback({ action: 'x', args: ['y'.repeat(300)], dialogId: null }, SECRET)).toThrow(/300/);
  });
});

describe('rendering replies as LINE messages', () => {
  it('sends at most five messages and clips text to LINE limits', () => {
    const replies = Array.from({ length: 7 }, () => ({ kind: 'text' as const, text: 'あ'.repeat(6000) }));
    const messages = renderReplies(replies, SECRET);
    expect(messages).toHaveLength(5);
    expect(Array.from((messages[0] as { text: string }).text)).toHaveLength(5000);
  });

  it('renders share, copy, url and command buttons with LINE action types', () => {
    const [message] = renderReplies(
      [
        {
          kind: 'card',
          altText: 'card',
          card: {
            title: 'T',
            rows: [],
            buttons: [
              { label: 'Share', action: { type: 'share', text: 'Pay here https://x/l/abc' } },
              { label: 'Copy link', action: { type: 'copy', text: 'https://x/l/abc' } },
              { label: 'Open', action: { type: 'url', url: 'https://x/l/abc' } },
              { label: 'Summary', action: { type: 'command', action: 'summary', args: ['l1'] } },
            ],
          },
        },
      ],
      SECRET,
    );
    const actions = ((message as { contents: { footer: { contents: { action: Record<string, string> }[] } } }).contents.footer.contents).map((button) => button.action);
    expect(actions[0]).toEqual({ type: 'uri', label: 'Share', uri: 'https://line.me/R/share?text=Pay%20here%20https%3A%2F%2Fx%2Fl%2Fabc' });
    expect(actions[1]).toEqual({ type: 'clipboard', label: 'Copy link', clipboardText: 'https://x/l/abc' });
    expect(actions[2]).toEqual({ type: 'uri', label: 'Open', uri: 'https://x/l/abc' });
    expect(actions[3]!.type).toBe('postback');
    expect(decodePostback(actions[3]!.data!, SECRET)).toEqual({ action: 'summary', args: ['l1'], dialogId: null });
  });

  it('keeps at most 13 quick replies with labels of at most 20 characters', () => {
    const buttons = Array.from({ length: 20 }, (_, index) => ({ label: `Button number ${index} with a long label`, action: { type: 'text' as const, text: 'x' } }));
    const [message] = renderReplies([{ kind: 'text', text: 'pick', quickReplies: buttons }], SECRET);
    const items = (message as { quickReply: { items: { action: { label: string } }[] } }).quickReply.items;
    expect(items).toHaveLength(13);
    expect(items.every((item) => Array.from(item.action.label).length <= 20)).toBe(true);
  });
});
