import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:soak`: the reliability suite with SOAK=1 (200 fuzz runs per route with a fresh seed,
 * more fault scenarios, a longer load with several Postgres restarts). Same harness as `npm test`.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/reliability/**/*.test.ts'],
    env: { SOAK: '1' },
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
