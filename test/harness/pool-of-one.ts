import { afterAll, beforeAll } from 'vitest';
import { resetEnvCache } from '../../shared/config/env.ts';
import { closeDb } from '../../shared/db/client.ts';

/**
 * The app's pool holds one connection for this file's tests, so per-session state
 * (pg_prepared_statements) shows what every request left on the one session they all used.
 */
export function usePoolOfOne(): void {
  const poolMax = process.env.DB_POOL_MAX;
  beforeAll(async () => {
    await closeDb();
    process.env.DB_POOL_MAX = '1';
    resetEnvCache();
  });
  afterAll(async () => {
    await closeDb();
    process.env.DB_POOL_MAX = poolMax;
    resetEnvCache();
  });
}
