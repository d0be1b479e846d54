import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { logger } from '../logging/logger.ts';
import type { Db } from './client.ts';
import { migrationProvider } from './migrations/index.ts';

/** Names of the migrations this database has run (none before the first run). */
async function executedMigrations(db: Db): Promise<string[]> {
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    return rows.map((r) => r.name);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return []; // undefined_table: never migrated
    throw err;
  }
}

/**
 * Kysely refuses a database that ran a migration its code doesn't know ("corrupted migrations:
 * previously executed migration … is missing"), which is exactly the database under an older
 * release: a rollback by redeploying the previous revision, or CloudFormation re-running the old
 * migrate trigger while it rolls back a failed update. Such migrations are listed here as done
 * (they are never run, and cannot be undone by this code), so the older release starts normally.
 */
async function releaseProvider(db: Db): Promise<{ provider: MigrationProvider; ahead: string[] }> {
  const known = await migrationProvider.getMigrations();
  const ahead = (await executedMigrations(db)).filter((name) => !Object.hasOwn(known, name)).sort();
  const placeholders: Record<string, Migration> = {};
  for (const name of ahead) {
    const refuse = async () => {
      throw new Error(`migration ${name} belongs to a newer release; this code cannot run or undo it`);
    };
    placeholders[name] = { up: refuse, down: refuse };
  }
  return { provider: { getMigrations: async () => ({ ...known, ...placeholders }) }, ahead };
}

/**
 * Branches are merged with their own timestamp prefixes, so a database may have run a later-named
 * migration before an earlier-named one arrives: order by name is not required, only that each
 * runs once.
 */
async function migrator(db: Db): Promise<{ migrator: Migrator; ahead: string[] }> {
  const { provider, ahead } = await releaseProvider(db);
  return { migrator: new Migrator({ db, provider, allowUnorderedMigrations: true }), ahead };
}

/**
 * Applies every pending migration; used by the local runtime, tests and the deploy-time Trigger.
 * A database ahead of this code is fine (a rollback): logged with the migrations it has on top.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { migrator: m, ahead } = await migrator(db);
  if (ahead.length) {
    logger.warn('database is ahead of this release (a rollback?): keeping its newer migrations', {
      extra_migrations: ahead,
    });
  }
  const { error, results } = await m.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Error') logger.error('migration failed', { migration: r.migrationName });
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrateDown(db: Db): Promise<string | undefined> {
  const { migrator: m } = await migrator(db);
  const { error, results } = await m.migrateDown();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results?.[0]?.migrationName;
}
