// vitest globalSetup: builds dist/ once before any test file runs, so the tests that start the
// service as a process run what `npm start` runs (node dist/main.js), from this checkout's sources.
import { execFileSync } from 'node:child_process';

export function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
