import { validateSignature } from '@line/bot-sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { newMessageId, newWebhookEventId, postSignedWebhook } from '../../../src/line/webhook-event.js';

describe('simulated webhook events', () => {
  it('event ids are ULIDs: 26 Crockford characters, ordered by time, unique', () => {
    const earlier = newWebhookEventId(Date.UTC(2026, 10, 28, 9, 0, 0));
    const later = newWebhookEventId(Date.UTC(2026, 10, 28, 9, 0, 1));
    expect(earlier).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(earlier.slice(0, 10) < later.slice(0, 10)).toBe(true);
    expect(newWebhookEventId(0).slice(0, 10)).toBe('0000000000');
    expect(newWebhookEventId(1)).not.toBe(newWebhookEventId(1));
    expect(newMessageId(1_764_320_400_000)).toMatch(/^1764320400000\d{6}$/);
  });

  it('posts a body LINE-signed with the channel secret and returns the status', async () => {
    let received: { body: string; signature: string | undefined } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received = { body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-line-signature'] as string | undefined };
        res.statusCode = 202;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const status = await postSignedWebhook(`http://127.0.0.1:${port}/webhooks/line`, 'secret-1', 'Udest', [{ type: 'follow' }]);
      expect(status).toBe(202);
      expect(JSON.parse(received!.body)).toEqual({ destination: 'Udest', events: [{ type: 'follow' }] });
      expect(validateSignature(received!.body, 'secret-1', received!.signature!)).toBe(true);
      expect(validateSignature(received!.body, 'secret-2', received!.signature!)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
