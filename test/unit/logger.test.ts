import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { childOnFirstLog, createLogger } from '../../src/logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger(level, destination), lines };
}

describe('a child logger made on first log', () => {
  it('is not made while only levels that are off are called', () => {
    const { log, lines } = capture('info');
    const child = vi.spyOn(log, 'child');
    const event = childOnFirstLog(log, { webhookEventId: 'e1' });
    event.debug({ ms: 3 }, 'event processed');
    event.trace('nothing');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('logs with its bindings once a level that is on is used, making the child once', async () => {
    const { log, lines } = capture('info');
    const child = vi.spyOn(log, 'child');
    const event = childOnFirstLog(log, { webhookEventId: 'e1', attempt: 2 });
    event.warn({ retryInMs: 500 }, 'event failed; will retry');
    event.error('parked');
    await new Promise((resolve) => setImmediate(resolve));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map(({ webhookEventId, attempt, msg }) => ({ webhookEventId, attempt, msg }))).toEqual([
      { webhookEventId: 'e1', attempt: 2, msg: 'event failed; will retry' },
      { webhookEventId: 'e1', attempt: 2, msg: 'parked' },
    ]);
    expect(lines[0]!.retryInMs).toBe(500);
  });

  it('still redacts secrets, in its bindings and in what it logs', async () => {
    const { log, lines } = capture('debug');
    const event = childOnFirstLog(log, { webhookEventId: 'e1', replyToken: 'token-in-bindings' });
    event.debug({ request: { authorization: 'Bearer secret-value' } }, 'sent');
    event.child({ step: 'reply' }).info({ replyToken: 'token-in-line' }, 'replied');
    await new Promise((resolve) => setImmediate(resolve));
    const text = JSON.stringify(lines);
    expect(text).not.toContain('token-in-bindings');
    expect(text).not.toContain('secret-value');
    expect(text).not.toContain('token-in-line');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ webhookEventId: 'e1', step: 'reply', replyToken: '[redacted]' });
  });
});
