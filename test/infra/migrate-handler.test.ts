import { randomBytes } from 'node:crypto';
import { type Kysely, Migrator, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { handler, isTransientConnectionError } from '../../functions/workers/migrate.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { closeDb, getDb } from '../../shared/db/client.ts';
import { migrationProvider } from '../../shared/db/migrations/index.ts';
import { logger } from '../../shared/logging/logger.ts';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('migrate worker', () => {
  it('returns no names when the schema is already current (the harness migrated it)', async () => {
    await expect(handler()).resolves.toEqual([]);
  });

  it('retries connection failures only, not SQL errors', () => {
    expect(isTransientConnectionError(withCode('ECONNREFUSED'))).toBe(true);
    expect(isTransientConnectionError(withCode('ENOTFOUND'))).toBe(true);
    expect(isTransientConnectionError(withCode('08006'))).toBe(true);
    expect(isTransientConnectionError(withCode('57P03'))).toBe(true);
    expect(isTransientConnectionError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransientConnectionError(withCode('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isTransientConnectionError(withCode('23505'))).toBe(false);
    expect(isTransientConnectionError(new Error('Invalid database configuration'))).toBe(false);
    expect(isTransientConnectionError('nope')).toBe(false);
  });
});

/**
 * A rollback runs an older release's migrate worker against a database that already ran the newer
 * release's migrations: `git checkout <good-sha> && cdk deploy`, or CloudFormation re-invoking the
 * old trigger (Custom::Trigger, HandlerArn = the old function version) while it rolls back a failed
 * update. That must succeed, or the stack ends in UPDATE_ROLLBACK_FAILED.
 */
describe('migrate worker on a database ahead of its code (a rollback)', () => {
  const database = `lokiz_rollback_${randomBytes(4).toString('hex')}`;
  const sharedUrl = process.env.DATABASE_URL;
  /** A newer release's migrator: this release's migrations but `without`, plus `names` of its own. */
  const newer = (db: Kysely<any>, names: string[], without: string) =>
    new Migrator({
      db,
      provider: {
        getMigrations: async () => {
          const { [without]: _, ...known } = await migrationProvider.getMigrations();
          const extra = Object.fromEntries(
            names.map((name) => [
              name,
              {
                up: async (trx: Kysely<any>) => {
                  await sql`CREATE TABLE ${sql.id(name)} (id int)`.execute(trx);
                },
              },
            ]),
          );
          return { ...known, ...extra };
        },
      },
    });

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: `${inject('postgresServerUrl')}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    await closeDb();
    process.env.DATABASE_URL = `${inject('postgresServerUrl')}/${database}`;
    resetEnvCache();
  });
  afterAll(async () => {
    await closeDb();
    process.env.DATABASE_URL = sharedUrl;
    resetEnvCache();
  });

  it('succeeds, logging the newer migrations by name, and still applies what it has that is new', async () => {
    const known = Object.keys(await migrationProvider.getMigrations()).sort();
    // The newer release (a branch without this release's last migration) ran two of its own.
    const db = getDb();
    const extra = ['20991231T0001_newer_release_a', '20991231T0002_newer_release_b'];
    const { error } = await newer(db, extra, known.at(-1)!).migrateToLatest();
    expect(error).toBeUndefined();
    await closeDb();

    const warn = vi.spyOn(logger, 'warn');
    try {
      // This release applies its last migration (named before the newer ones) and keeps the newer two.
      await expect(handler()).resolves.toEqual([known.at(-1)]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('ahead of this release'), {
        extra_migrations: extra,
      });
      // And the next run (say CloudFormation's retry) is a plain success.
      await expect(handler()).resolves.toEqual([]);
    } finally {
      warn.mockRestore();
    }
    const tables = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE '20991231T%'`.execute(getDb());
    expect(tables.rows[0]!.n).toBe(2);
  });
});
