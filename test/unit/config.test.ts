import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'cfg-'));

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs in local mode with defaults when no LINE credentials are set', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.localMode).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.komoju).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.line.stubbed).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir, LINE_API_BASE_URL: 'http://127.0.0.1:9' }).line).toMatchObject({ stubbed: false, apiBaseUrl: 'http://127.0.0.1:9' });
  });

  it('reads the buyer data retention and the LINE basic ID, refusing nonsense', () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ buyerDataRetentionDays: 365, lineAddFriendUrl: undefined });
    expect(loadConfig({ DATA_DIR: dataDir, BUYER_DATA_RETENTION_DAYS: '90', LINE_CHANNEL_BASIC_ID: '@123abcde' })).toMatchObject({
      buyerDataRetentionDays: 90,
      lineAddFriendUrl: 'https://line.me/R/ti/p/%40123abcde',
    });
    expect(loadConfig({ DATA_DIR: dataDir, LINE_CHANNEL_BASIC_ID: '123abcde' }).lineAddFriendUrl).toBe('https://line.me/R/ti/p/%40123abcde');
    expect(problems({ DATA_DIR: dataDir, BUYER_DATA_RETENTION_DAYS: '0' })).toEqual(['BUYER_DATA_RETENTION_DAYS: BUYER_DATA_RETENTION_DAYS must be between 1 and 3650']);
    expect(problems({ DATA_DIR: dataDir, BUYER_DATA_RETENTION_DAYS: 'a year' })).toEqual(['BUYER_DATA_RETENTION_DAYS: BUYER_DATA_RETENTION_DAYS must be a whole number of days']);
    expect(problems({ DATA_DIR: dataDir, LINE_CHANNEL_BASIC_ID: 'https://evil.example/' })).toHaveLength(1);
  });

  it('reads the domain event lease in seconds, 30 unless set, refusing nonsense', () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).domainEventLeaseMs).toBe(30_000);
    expect(loadConfig({ DATA_DIR: dataDir, DOMAIN_EVENT_LEASE_SECONDS: '5' }).domainEventLeaseMs).toBe(5_000);
    expect(problems({ DATA_DIR: dataDir, DOMAIN_EVENT_LEASE_SECONDS: '1' })).toEqual(['DOMAIN_EVENT_LEASE_SECONDS: DOMAIN_EVENT_LEASE_SECONDS must be between 5 and 600']);
    expect(problems({ DATA_DIR: dataDir, DOMAIN_EVENT_LEASE_SECONDS: '2.5' })).toEqual(['DOMAIN_EVENT_LEASE_SECONDS: DOMAIN_EVENT_LEASE_SECONDS must be a whole number of seconds']);
  });

  it('generates APP_SECRET once in local mode and keeps it', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir }).appSecret;
    const second = loadConfig({ DATA_DIR: dataDir }).appSecret;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
    expect(readFileSync(path.join(dataDir, 'app-secret'), 'utf8').trim()).toBe(first);
  });

  it('names every bad variable in one error', () => {
    const found = problems({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', PUBLIC_BASE_URL: 'not a url' });
    expect(found.map((problem) => problem.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'PUBLIC_BASE_URL']);
  });

  it('refuses one LINE credential without the other', () => {
    expect(problems({ LINE_CHANNEL_SECRET: 's', APP_SECRET: 'x'.repeat(32) })).toEqual([expect.stringMatching(/^LINE_CHANNEL_ACCESS_TOKEN: required/)]);
  });

  it('requires https and APP_SECRET outside local mode, except on loopback', () => {
    const line = { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' };
    const found = problems({ ...line, PUBLIC_BASE_URL: 'http://shop.example.com' });
    expect(found.some((problem) => problem.startsWith('PUBLIC_BASE_URL'))).toBe(true);
    expect(found.some((problem) => problem.startsWith('APP_SECRET'))).toBe(true);
    const loopback = loadConfig({ ...line, PUBLIC_BASE_URL: 'http://127.0.0.1:8080/', APP_SECRET: 'a'.repeat(32) });
    expect(loopback.publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(loopback.line).toMatchObject({ apiBaseUrl: 'https://api.line.me', dataApiBaseUrl: 'https://api-data.line.me', stubbed: false });
  });

  it('needs both KOMOJU secrets together', () => {
    expect(problems({ DATA_DIR: tempDir(), KOMOJU_SECRET_KEY: 'sk_test_x' })).toEqual([expect.stringMatching(/^KOMOJU_WEBHOOK_SECRET/)]);
    const config = loadConfig({ DATA_DIR: tempDir(), KOMOJU_SECRET_KEY: 'sk_test_x', KOMOJU_WEBHOOK_SECRET: 'w' });
    expect(config.komoju).toEqual({ secretKey: 'sk_test_x', webhookSecret: 'w', apiBaseUrl: 'https://komoju.com' });
  });

  it('listens on loopback only in local mode unless HOST says otherwise, and on every interface outside it', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).host).toBe('127.0.0.1');
    expect(loadConfig({ DATA_DIR: tempDir(), HOST: ' 0.0.0.0 ' }).host).toBe('0.0.0.0');
    const line = { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't', APP_SECRET: 'a'.repeat(32), PUBLIC_BASE_URL: 'https://pay.example.com' };
    expect(loadConfig(line).host).toBeUndefined();
    expect(loadConfig({ ...line, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('never puts a secret value in its error message', () => {
    try {
      loadConfig({ LINE_CHANNEL_SECRET: 'super-secret-value', APP_SECRET: 'short-secret' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('super-secret-value');
      expect((error as Error).message).not.toContain('short-secret');
    }
  });
  it('reads TRUST_PROXY as a hop count or a list of proxy addresses, trusting nobody by default', () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: ' 10.0.0.0/8, 2001:db8::/32 ,loopback,203.0.113.7' }).trustProxy).toEqual(['10.0.0.0/8', '2001:db8::/32', 'loopback', '203.0.113.7']);
    for (const bad of ['true', '*', '10.0.0.0/33', '2001:db8::/129', 'proxy.example.com', '11', '10.0.0.1/8/2']) {
      expect(problems({ DATA_DIR: dataDir, TRUST_PROXY: bad }).join('\n')).toMatch(/^TRUST_PROXY: /);
    }
  });
});
