import { accessSync, constants } from 'node:fs';

/** Debian's Chromium, which the real-browser suites drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Whether the real-browser suites can run. Without Chromium they are skipped with a visible
 * notice, as the PostgreSQL suites are, unless REQUIRE_BROWSER=1 (CI), which makes it a failure.
 */
export function isChromiumAvailable(executable = CHROMIUM, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    accessSync(executable, constants.X_OK);
    return true;
  } catch {
    const install = 'install it with `apt-get update && apt-get install -y chromium`';
    if (env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but Chromium is missing at ${executable}: ${install}`);
    console.warn(`\n[notice] Chromium is missing at ${executable}: real-browser tests are SKIPPED (${install}). Set REQUIRE_BROWSER=1 to make this a failure.\n`);
    return false;
  }
}
