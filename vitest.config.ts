import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own embedded database (≈ 2 s) or PostgreSQL database; two cores.
    maxWorkers: 2,
    pool: 'forks',
  },
});
