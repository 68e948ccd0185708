import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineApiStub } from '../../src/line/line-api-stub.js';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET, messageText, signLine } from '../support/line-harness.js';
import { freePort } from '../support/free-port.js';

describe('the service as npm start runs it', () => {
  it('starts on a fresh embedded database, answers a signed help in the profile language, and stops cleanly on SIGTERM', async () => {
    const line = new LineApiStub({ channelAccessToken: ACCESS_TOKEN });
    const origin = await line.listen();
    line.profiles.set('Uprocess', { displayName: 'P', language: 'ko' });
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'process-')),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        LINE_CHANNEL_SECRET: CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
        LINE_API_BASE_URL: origin,
        LINE_DATA_API_BASE_URL: origin,
        APP_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000; // a first start runs initdb: slow on a loaded 2-core machine
      for (;;) {
        const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
        if (healthy) break;
        if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/dev/`)).status).toBe(404);

      const body = JSON.stringify({
        destination: 'U0',
        events: [
          {
            type: 'message',
            webhookEventId: '01PROCESSTEST000000000000A',
            timestamp: Date.now(),
            mode: 'active',
            source: { type: 'user', userId: 'Uprocess' },
            deliveryContext: { isRedelivery: false },
            replyToken: line.issueReplyToken('Uprocess'),
            message: { type: 'text', id: '1', quoteToken: 'q', text: 'help' },
          },
        ],
      });
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': signLine(body) },
        body,
      });
      expect(response.status).toBe(200);
      const [reply] = await line.waitForMessages('Uprocess', 1, 15_000);
      expect(reply!.via).toBe('reply');
      expect(messageText(reply!.message)).toContain('초대 코드');

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopped"');
      expect(output).not.toContain(CHANNEL_SECRET);
      expect(output).not.toContain(APP_SECRET);
    } finally {
      child.kill('SIGKILL');
      await line.close();
    }
  }, 90_000);
});
