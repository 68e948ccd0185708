// Operator settings that cannot hurt: TRUST_PROXY lists that trust everyone (or most of the
// internet) are refused with the one-line config error, and every accepted one starts Express; a
// same-host proxy's request is not a loopback caller whatever header names the client; addresses
// are logged and counted only keyed; /readyz tells strangers ready or not, nothing more; the
// public sandbox takes no payments outside local mode unless the operator opted in, and says TEST
// everywhere. Attack values are data (corpus/trust-proxy.json).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { formTokenIn, seedLink } from '../../support/buyer-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

const corpus = JSON.parse(readFileSync(new URL('./corpus/trust-proxy.json', import.meta.url), 'utf8')) as { refused: string[]; accepted: string[] };

const dataDir = mkdtempSync(path.join(tmpdir(), 'trust-proxy-'));

function trustProxyProblems(value: string): string[] {
  try {
    loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value, APP_SECRET: 'x'.repeat(32) });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('TRUST_PROXY', () => {
  it.each(corpus.refused)('refuses %j with one line naming the variable', (value) => {
    const problems = trustProxyProblems(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TRUST_PROXY: [^\n]+$/);
  });

  it.each(corpus.accepted)('accepts %j, and Express takes it', (value) => {
    const config = loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value, APP_SECRET: 'x'.repeat(32) });
    expect(() => express().set('trust proxy', config.trustProxy)).not.toThrow();
  });
});

describe('operator endpoints and buyer addresses (no METRICS_TOKEN)', () => {
  const { prisma, harness } = useLineHarness('pglite', { env: { TRUST_PROXY: 'loopback' } });
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });

  it.each([
    ['X-Forwarded-For', '198.51.100.1'],
    ['X-Real-IP', '198.51.100.1'],
    ['Forwarded', 'for=198.51.100.1'],
    ['True-Client-IP', '198.51.100.1'],
  ])('a loopback request carrying %s is a proxied stranger: /metrics 403, /readyz without details', async (header, value) => {
    expect((await fetch(`${harness.url}/metrics`, { headers: { [header]: value } })).status).toBe(403);
    const ready = await fetch(`${harness.url}/readyz`, { headers: { [header]: value } });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('a plain loopback caller reads /metrics and /readyz details', async () => {
    expect((await fetch(`${harness.url}/metrics`)).status).toBe(200);
    expect(await (await fetch(`${harness.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
  });

  async function press(slug: string, client: string): Promise<number> {
    const token = formTokenIn(await (await fetch(`${harness.url}/l/${slug}`)).text());
    const response = await fetch(`${harness.url}/l/${slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': client },
      body: new URLSearchParams({ token, preview: '1' }).toString(),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /**
   * The presses' statuses, all counted in one fixed one-minute window: a run that straddles two
   * windows (its counts split between them) is run again, counters cleared.
   */
  async function pressesInOneWindow(slug: string, clients: string[]): Promise<number[]> {
    for (;;) {
      await prisma.rateLimit.deleteMany();
      const startWindow = Math.floor(Date.now() / 60_000);
      const statuses: number[] = [];
      for (const client of clients) statuses.push(await press(slug, client));
      if (Math.floor(Date.now() / 60_000) === startWindow) return statuses;
    }
  }

  it('logs and counts a rate-limited buyer only by a keyed hash of the address', async () => {
    const link = await seedLink(prisma, { language: 'en' });
    const statuses = await pressesInOneWindow(link.slug, Array<string>(12).fill('203.0.113.199'));
    expect(statuses).toEqual([...Array<number>(10).fill(statuses[0]!), 429, 429]);
    expect(harness.logs.lines.some((line) => line.includes('checkout refused: rate limit'))).toBe(true);
    expect(harness.logs.lines.join('\n')).not.toContain('203.0.113.199');
    const keys = (await prisma.rateLimit.findMany()).map((row) => row.key).join('\n');
    expect(keys).not.toContain('203.0.113.199');
  });

  it('counts IPv6 guesses per /48 as well as per /64: rotating /64s does not reset the allowance', async () => {
    const link = await seedLink(prisma, { language: 'en' });
    const statuses = await pressesInOneWindow(
      link.slug,
      Array.from({ length: 26 }, (_, n) => `2001:db8:4242:${n.toString(16)}::1`),
    );
    // Each /64 pressed once: only the /48's count (twice one client's 10) stops them.
    expect(statuses.slice(0, 20).every((status) => status !== 429)).toBe(true);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
    // Another /48 is another site.
    expect(await press(link.slug, '2001:db8:4343:1::1')).not.toBe(429);
  });
});

describe('the public sandbox outside local mode', () => {
  const { prisma, harness } = useLineHarness('pglite', { env: { SANDBOX_IN_PRODUCTION: '0' } });

  it('takes no payment without SANDBOX_IN_PRODUCTION=1, and says TEST in title, heading and banner', async () => {
    const link = await seedLink(prisma, { language: 'en' });
    const token = formTokenIn(await (await fetch(`${harness.url}/l/${link.slug}`)).text());
    const pressed = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token }).toString(),
    });
    const sessionPath = new URL(pressed.headers.get('location') ?? '', harness.url).pathname;
    expect(sessionPath).toMatch(/^\/sandbox\/sessions\/sbs_/);
    const page = await (await fetch(`${harness.url}${sessionPath}`)).text();
    expect(page).toMatch(/<title>TEST — [^<]+<\/title>/);
    expect(page).toMatch(/<h1>TEST — /);
    expect(page).toContain('data-testid="sandbox-banner">TEST');
    expect(page).toContain('data-testid="sandbox-off"');
    expect(page).not.toContain('data-testid="sandbox-pay"');
    const sandboxToken = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? 'none';
    const paid = await fetch(`${harness.url}${sessionPath}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token: sandboxToken, action: 'pay' }).toString(),
    });
    expect(paid.status).toBe(403);
    expect(await prisma.sandboxPayment.count()).toBe(0);
    expect(await prisma.payment.count()).toBe(0);
  });
});

describe('the public sandbox with SANDBOX_IN_PRODUCTION=1', () => {
  const { prisma, harness } = useLineHarness('pglite');

  it('says TEST on every payment button', async () => {
    const link = await seedLink(prisma, { language: 'en' });
    const token = formTokenIn(await (await fetch(`${harness.url}/l/${link.slug}`)).text());
    const pressed = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token }).toString(),
    });
    const page = await (await fetch(`${harness.url}${new URL(pressed.headers.get('location') ?? '', harness.url).pathname}`)).text();
    const buttons = [...page.matchAll(/data-testid="sandbox-(pay|later|decline)">([^<]+)</g)].map((match) => match[2]);
    expect(buttons).toHaveLength(3);
    for (const label of buttons) expect(label).toContain('TEST');
  });
});
