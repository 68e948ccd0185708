import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../../src/line/line-limits.js';

const text = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: value, ...extra });
const quick = (...labels: string[]) => ({ items: labels.map((label) => ({ type: 'action', action: { type: 'message', label, text: label } })) });
const bubble = (footer: Record<string, unknown>[] = [], hero?: string) => ({
  type: 'bubble',
  ...(hero ? { hero: { type: 'image', url: hero } } : {}),
  body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x' }] },
  footer: { type: 'box', layout: 'vertical', contents: footer },
});
const button = (action: Record<string, unknown>) => ({ type: 'button', action });
const flex = (contents: unknown, altText = 'alt') => ({ type: 'flex', altText, contents });
const properties = (messages: unknown) => messageProblems(messages).map((problem) => problem.property);

describe("LINE's content limits, counted as LINE counts", () => {
  it('accepts what LINE accepts, at the limits', () => {
    expect(
      messageProblems([
        text('😀'.repeat(2500), { quickReply: quick(...Array.from({ length: 13 }, () => '👍'.repeat(20))) }),
        flex(
          bubble(
            [
              button({ type: 'uri', label: 'あ'.repeat(40), uri: `https://x.example/${'a'.repeat(980)}` }),
              button({ type: 'postback', label: 'p', data: 'd'.repeat(300), displayText: '😀'.repeat(300) }),
            ],
            'https://x.example/i.png',
          ),
          'a'.repeat(1500),
        ),
        { type: 'image', originalContentUrl: 'https://x.example/q.png', previewImageUrl: 'http://127.0.0.1:3000/q.png' },
        flex({ type: 'carousel', contents: Array.from({ length: 12 }, () => bubble()) }),
        flex(bubble([button({ type: 'clipboard', label: 'Copy', clipboardText: '😀'.repeat(500) })])),
      ]),
    ).toEqual([]);
  });

  it('refuses text over 5,000 UTF-16 units (2,501 emoji), empty text, and alt text over 1,500', () => {
    expect(properties([text('😀'.repeat(2501)), text(''), flex(bubble(), 'a'.repeat(1501))])).toEqual(['messages[0].text', 'messages[1].text', 'messages[2].altText']);
  });

  it('refuses 0 or 6 messages', () => {
    expect(properties([])).toEqual(['messages']);
    expect(properties(Array.from({ length: 6 }, () => text('x')))).toEqual(['messages']);
  });

  it('counts labels in graphemes: 21 on a quick reply, 41 on a button; 14 quick replies', () => {
    expect(properties([text('x', { quickReply: quick('👍'.repeat(21)) })])).toEqual(['messages[0].quickReply.items[0].action.label']);
    expect(properties([flex(bubble([button({ type: 'message', label: 'a'.repeat(41), text: 'x' })]))])).toEqual(['messages[0].contents.footer.contents[0].action.label']);
    expect(properties([text('x', { quickReply: quick(...Array.from({ length: 14 }, () => 'a')) })])).toEqual(['messages[0].quickReply.items']);
  });

  it('refuses URIs over 1,000 units or of other schemes, postback data over 300, clipboard text over 1,000', () => {
    const share = `https://line.me/R/share?text=${encodeURIComponent('お'.repeat(120))}`;
    expect(share.length).toBeGreaterThan(1000);
    expect(
      properties([
        flex(
          bubble([
            button({ type: 'uri', label: 'Share', uri: share }),
            button({ type: 'uri', label: 'JS', uri: 'javascript:alert(1)' }),
            button({ type: 'postback', label: 'p', data: 'd'.repeat(301) }),
            button({ type: 'clipboard', label: 'c', clipboardText: '😀'.repeat(501) }),
          ]),
        ),
      ]),
    ).toEqual([
      'messages[0].contents.footer.contents[0].action.uri',
      'messages[0].contents.footer.contents[1].action.uri',
      'messages[0].contents.footer.contents[2].action.data',
      'messages[0].contents.footer.contents[3].action.clipboardText',
    ]);
  });

  it('refuses images not on https (loopback http aside), 13 bubbles, and a bubble over 30 KB', () => {
    expect(properties([{ type: 'image', originalContentUrl: 'http://shop.example/q.png', previewImageUrl: 'https://x.example/q.png' }])).toEqual(['messages[0].originalContentUrl']);
    expect(properties([flex(bubble([], 'http://shop.example/hero.png'))])).toEqual(['messages[0].contents.hero.url']);
    expect(properties([flex({ type: 'carousel', contents: Array.from({ length: 13 }, () => bubble()) })])).toEqual(['messages[0].contents.contents']);
    const big = bubble();
    (big.body.contents as unknown[]).push(...Array.from({ length: 400 }, () => ({ type: 'text', text: 'y'.repeat(80) })));
    expect(properties([flex(big)])).toEqual(['messages[0].contents']);
  });
});
