import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one real PostgreSQL (embedded) for the run, or uses DATABASE_URL when set.
    globalSetup: ['test/harness/global-setup.ts'],
    setupFiles: ['test/harness/env.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests share one database; every test creates its own users and videos.
    fileParallelism: true,
    // CI also writes a JSON report, which .ci/run checks (a run with no tests must not pass).
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
  },
});
