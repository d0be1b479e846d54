import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { resetEnvCache } from '../../shared/config/env.ts';
import { closeDb, getDb } from '../../shared/db/client.ts';
import { migrateToLatest } from '../../shared/db/migrate.ts';
import { type LocalPostgres, startLocalPostgres } from '../../shared/local/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    postgresServerUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole run: the embedded server (no system Postgres, no
 * Docker), or the server in DATABASE_URL when one is given. Migrations run once here.
 */
export default async function setup(project: TestProject) {
  try {
    return await startDatabase(project);
  } catch (err) {
    // vitest 4 reports a failed globalSetup but still exits 0 ("no test files"): make it fatal.
    console.error('[test setup] could not start the test database:', err);
    process.exit(1);
  }
}

async function startDatabase(project: TestProject) {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  let server: LocalPostgres | undefined;
  let dir: string | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  let serverUrl = databaseUrl ? new URL(databaseUrl) : undefined;
  if (!databaseUrl) {
    dir = mkdtempSync(join(tmpdir(), 'lokiz-pg-'));
    // initdb runs as the OS user `postgres` (not root); mkdtemp makes 0700 folders.
    chmodSync(dir, 0o755);
    server = await startLocalPostgres({ dir: join(dir, 'data'), persistent: false });
    await server.createDatabase('lokiz_test');
    databaseUrl = server.urlFor('lokiz_test');
    serverUrl = new URL(server.serverUrl);
  }
  process.env.DATABASE_URL = databaseUrl;
  resetEnvCache();
  await migrateToLatest(getDb());
  await closeDb();

  project.provide('databaseUrl', databaseUrl);
  serverUrl!.pathname = '';
  project.provide('postgresServerUrl', serverUrl!.toString().replace(/\/$/, ''));

  return async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
