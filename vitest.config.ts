import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-dist.ts', 'test/support/database-templates.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file copies its databases from the run's migrated templates (database-templates.ts); two cores.
    maxWorkers: 2,
    pool: 'forks',
  },
});
