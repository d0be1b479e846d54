import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { defineEnv } from '../../shared/config/env.ts';
import { getSecretString } from '../../shared/config/secrets.ts';
import { closeDb, getDb } from '../../shared/db/client.ts';
import type { DatabaseSecret } from '../../shared/db/credentials.ts';
import { migrateToLatest } from '../../shared/db/migrate.ts';
import { provisionAppRole } from '../../shared/db/roles.ts';
import { logger } from '../../shared/logging/logger.ts';

/** The migrate worker connects as the owner (DATABASE_SECRET_ARN); this is the other role's secret. */
const migrateEnv = defineEnv(
  'migrate',
  z.object({ APP_DATABASE_SECRET_ARN: z.optional(z.string().check(z.minLength(1))) }),
);

const MAX_ATTEMPTS = 6;
const RETRY_DELAY_MS = 10_000;

/**
 * Connection failures worth retrying: right after a deploy creates the DB, the RDS Proxy
 * can take a while to register its target. SQL errors are not retried.
 */
export function isTransientConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Node socket errors: ECONNREFUSED, ETIMEDOUT, ENOTFOUND, EAI_AGAIN, ECONNRESET...
    if (/^E[A-Z_]+$/.test(code)) return true;
    // SQLSTATE class 08 (connection exception), cannot_connect_now, too_many_connections.
    return code.startsWith('08') || code === '57P03' || code === '53300';
  }
  return /timeout exceeded when trying to connect|connection terminated/i.test(err.message);
}

/**
 * Deploy-time Trigger (infra/migrations.ts): applies pending migrations as the owner, lets the
 * application role log in the first time (its secret), and returns the migrations' names.
 * Throwing fails the deployment, so a broken migration never ships new code; a database ahead of
 * this code (a rollback) is a success (migrateToLatest logs the extra migrations).
 */
export async function handler(): Promise<string[]> {
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await migrateToLatest(getDb());
        logger.info('migrations applied', { applied, count: applied.length });
        const appSecretArn = migrateEnv().APP_DATABASE_SECRET_ARN;
        if (appSecretArn) {
          const secret = JSON.parse(await getSecretString(appSecretArn)) as DatabaseSecret;
          await provisionAppRole(getDb(), secret);
        }
        return applied;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isTransientConnectionError(err)) throw err;
        logger.warn('database not reachable yet; retrying', {
          attempt,
          error: err instanceof Error ? err.message : String(err),
        });
        await sleep(RETRY_DELAY_MS);
      }
    }
  } finally {
    // A one-off run: don't leave a connection pinned on the proxy.
    await closeDb();
  }
}
