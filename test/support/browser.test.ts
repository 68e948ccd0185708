import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHROMIUM, isChromiumAvailable } from './browser.js';

describe('the real-browser suites without Chromium', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are skipped with a visible notice', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(isChromiumAvailable('/nonexistent/chromium', {})).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\[notice\] Chromium is missing at \/nonexistent\/chromium: real-browser tests are SKIPPED/));
  });

  it('fail under REQUIRE_BROWSER=1', () => {
    expect(() => isChromiumAvailable('/nonexistent/chromium', { REQUIRE_BROWSER: '1' })).toThrow(/REQUIRE_BROWSER=1 but Chromium is missing/);
  });

  it('run where Chromium is installed (a file that is not executable does not count)', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(isChromiumAvailable(process.execPath, {})).toBe(true);
    const plainFile = path.join(mkdtempSync(path.join(tmpdir(), 'browser-')), 'chromium');
    writeFileSync(plainFile, '', { mode: 0o644 });
    expect(isChromiumAvailable(plainFile, {})).toBe(false);
    expect(CHROMIUM).toBe('/usr/bin/chromium');
  });
});
