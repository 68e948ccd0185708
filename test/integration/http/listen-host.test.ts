import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { startServer } from '../../../src/server.js';
import { ACCESS_TOKEN, APP_SECRET, CHANNEL_SECRET } from '../../support/line-harness.js';

/** This machine's first address that is not loopback (another machine on the network would use it). */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('the address the server listens on', () => {
  let db: Database;
  const log = createLogger('silent');
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
  });
  afterAll(() => db.close());

  it('is loopback only in local mode, so nobody else on the network can chat as the demo shop owner', async () => {
    const server = await startServer(loadConfig({ PORT: '0', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'host-')) }), { db, log });
    try {
      expect(server.address.address).toBe('127.0.0.1');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const outside = outsideAddress();
      if (outside) expect(await reachable(outside, server.address.port)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('is every interface outside local mode, and exactly HOST when it is set', async () => {
    const env = {
      PORT: '0',
      PUBLIC_BASE_URL: 'http://127.0.0.1:1',
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
      LINE_API_BASE_URL: 'http://127.0.0.1:9',
      APP_SECRET,
    };
    const everywhere = await startServer(loadConfig(env), { db, log });
    try {
      expect(['::', '0.0.0.0']).toContain(everywhere.address.address);
      const outside = outsideAddress();
      if (outside) expect(await reachable(outside, everywhere.address.port)).toBe(true);
    } finally {
      await everywhere.stop();
    }
    const local = await startServer(loadConfig({ PORT: '0', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'host-')), HOST: '0.0.0.0' }), { db, log });
    try {
      expect(local.address.address).toBe('0.0.0.0');
      expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
    } finally {
      await local.stop();
    }
  });
});
