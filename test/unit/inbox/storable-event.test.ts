import { describe, expect, it } from 'vitest';
import { storableJson, storableText } from '../../../src/db/storable-json.js';
import { toStorableEvent } from '../../../src/inbox/storable-event.js';

const event = (overrides: Record<string, unknown> = {}) => ({
  type: 'message',
  webhookEventId: '01ABCDEF',
  timestamp: 1_700_000_000_000,
  source: { type: 'user', userId: 'U1' },
  message: { type: 'text', text: 'hi' },
  ...overrides,
});

describe('what the inbox stores', () => {
  it('replaces NUL and unpaired surrogates, keeps paired ones', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('x\ud800')).toBe('x\ufffd');
    expect(storableText('\udc00y')).toBe('\ufffdy');
    expect(storableText('😀')).toBe('😀');
    expect(storableJson({ 'k\u0000': ['\ud800'] })).toEqual({ ok: true, value: { 'k\ufffd': ['\ufffd'] } });
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 40; level++) deep = [deep];
    expect(storableJson(deep, 32)).toEqual({ ok: false, reason: 'nested deeper than 32 levels' });
  });

  it('stores a normal event as it came', () => {
    expect(toStorableEvent(event())).toEqual({ webhookEventId: '01ABCDEF', userId: 'U1', payload: event(), eventTimestamp: 1_700_000_000_000, parkReason: null });
  });

  it('parks events it cannot process, with the reason, and drops only those without an id', () => {
    expect(toStorableEvent(event({ timestamp: 1.5 }))?.parkReason).toContain('timestamp');
    expect(toStorableEvent(event({ timestamp: 1e20 }))?.parkReason).toContain('timestamp');
    expect(toStorableEvent(event({ source: { type: 'user', userId: { id: 'x' } } }))).toMatchObject({ userId: null, parkReason: expect.stringContaining('userId') });
    expect(toStorableEvent(event({ webhookEventId: 42 }))).toBeNull();
    expect(toStorableEvent('not an event')).toBeNull();
  });
});
