import { describe, expect, it } from 'vitest';
import { decodePostback, encodePostback } from '../../../src/line/postback-data.js';
import { messageProblems } from '../../../src/line/line-limits.js';
import { renderReplies } from '../../../src/line/render.js';
import { graphemeCount } from '../../../src/line/text-units.js';

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
  it('clips text by UTF-16 units, as LINE counts, without splitting an emoji', () => {
    const [japanese, emoji] = renderReplies(
      [
        { kind: 'text', text: 'あ'.repeat(6000) },
        { kind: 'text', text: '😀'.repeat(5000) },
      ],
      SECRET,
    );
    expect((japanese as { text: string }).text).toHaveLength(5000);
    const clipped = (emoji as { text: string }).text;
    expect(clipped.length).toBeLessThanOrEqual(5000);
    expect(clipped.endsWith('😀…')).toBe(true);
    expect(messageProblems([japanese, emoji])).toEqual([]);
  });

  it('drops nothing past five messages or twelve cards: texts are joined, carousels split', () => {
    const texts = Array.from({ length: 7 }, (_, index) => ({ kind: 'text' as const, text: `part ${index}` }));
    const joined = renderReplies(texts, SECRET);
    expect(joined.length).toBeLessThanOrEqual(5);
    const all = joined.map((message) => (message as { text: string }).text).join('\n');
    for (let index = 0; index < 7; index++) expect(all).toContain(`part ${index}`);

    const cards = Array.from({ length: 15 }, (_, index) => ({ title: `Card ${index}`, rows: [], buttons: [] }));
    const carousels = renderReplies([{ kind: 'carousel', altText: 'links', cards, quickReplies: [{ label: 'More', action: { type: 'text', text: 'more' } }] }], SECRET);
    const bubbles = carousels.map((message) => (message as { contents: { contents: unknown[] } }).contents.contents.length);
    expect(bubbles).toEqual([12, 3]);
    expect(carousels.map((message) => 'quickReply' in message)).toEqual([false, true]);
    expect(messageProblems(carousels)).toEqual([]);

    const images = Array.from({ length: 6 }, () => ({ kind: 'image' as const, url: 'https://x/qr.png' }));
    expect(() => renderReplies(images, SECRET)).toThrow(RangeError);
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
    const actions = (message as { contents: { footer: { contents: { action: Record<string, string> }[] } } }).contents.footer.contents.map((button) => button.action);
    expect(actions[0]).toEqual({ type: 'uri', label: 'Share', uri: 'https://line.me/R/share?text=Pay%20here%20https%3A%2F%2Fx%2Fl%2Fabc' });
    expect(actions[1]).toEqual({ type: 'clipboard', label: 'Copy link', clipboardText: 'https://x/l/abc' });
    expect(actions[2]).toEqual({ type: 'uri', label: 'Open', uri: 'https://x/l/abc' });
    expect(actions[3]!.type).toBe('postback');
    expect(decodePostback(actions[3]!.data!, SECRET)).toEqual({ action: 'summary', args: ['l1'], dialogId: null });
  });

  it('sends up to 13 quick replies with labels of at most 20 graphemes, and refuses to drop more', () => {
    const buttons = Array.from({ length: 13 }, (_, index) => ({ label: `👍 Button number ${index} with a long label`, action: { type: 'text' as const, text: 'x' } }));
    const [message] = renderReplies([{ kind: 'text', text: 'pick', quickReplies: buttons }], SECRET);
    const items = (message as { quickReply: { items: { action: { label: string } }[] } }).quickReply.items;
    expect(items).toHaveLength(13);
    expect(items.every((item) => graphemeCount(item.action.label) <= 20)).toBe(true);
    expect(messageProblems([message])).toEqual([]);
    expect(() => renderReplies([{ kind: 'text', text: 'pick', quickReplies: [...buttons, buttons[0]!] }], SECRET)).toThrow(RangeError);
  });

  it('keeps a share URI within 1,000 characters whatever the text', () => {
    const [message] = renderReplies([{ kind: 'card', altText: 'card', card: { title: 'T', rows: [], buttons: [{ label: 'Share', action: { type: 'share', text: 'お'.repeat(500) } }] } }], SECRET);
    const uri = (message as { contents: { footer: { contents: { action: { uri: string } }[] } } }).contents.footer.contents[0]!.action.uri;
    expect(uri.length).toBeLessThanOrEqual(1000);
    expect(decodeURIComponent(uri.split('text=')[1]!)).toMatch(/^お+$/);
  });
});
