import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../shared/db/migrate.ts';
import type { Database } from '../../shared/db/schema.ts';
import { type LocalPostgres, startLocalPostgres } from '../../shared/local/postgres.ts';

/**
 * The benchmark's own PostgreSQL: embedded, in a temp folder, deleted on stop (never the dev
 * database). `startLocalPostgres` already turns fsync, synchronous_commit and full-page writes
 * off for such throwaway clusters; checkpoints are spread out here so a bulk load does not
 * spend its time writing them. Everything else is PostgreSQL's default (shared_buffers 128 MB).
 */
export interface BenchPostgres {
  server: LocalPostgres;
  /** The temp folder holding the cluster (removed by stop()). */
  dir: string;
  version: string;
  settings: Record<string, string>;
  stop(): Promise<void>;
}

export async function startBenchPostgres(log: (l: string) => void): Promise<BenchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'lokiz-bench-pg-'));
  // initdb runs as the OS user `postgres` when we are root; mkdtemp makes 0700 folders.
  chmodSync(dir, 0o755);
  const server = await startLocalPostgres({ dir: join(dir, 'data'), persistent: false });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  const admin = new pg.Client({ connectionString: `${server.serverUrl}/postgres` });
  let version = '';
  const settings: Record<string, string> = {};
  try {
    await admin.connect();
    await admin.query(`ALTER SYSTEM SET max_wal_size = '16GB'`);
    await admin.query(`ALTER SYSTEM SET checkpoint_timeout = '1h'`);
    await admin.query('SELECT pg_reload_conf()');
    version = (
      await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
    ).rows[0]!.v.split(' ')[0]!;
    const { rows } = await admin.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit',
                      'max_connections', 'fsync', 'synchronous_commit', 'max_parallel_workers_per_gather')`,
    );
    for (const r of rows) settings[r.name] = r.unit ? `${r.setting} × ${r.unit}` : r.setting;
  } catch (err) {
    await admin.end().catch(() => undefined);
    await stop();
    throw err;
  }
  await admin.end();
  log(`PostgreSQL ${version} on port ${server.port} (data in ${dir})`);
  return {
    server,
    dir,
    version,
    settings,
    stop,
  };
}

/** Creates and migrates a database; returns its URL. */
export async function createMigratedDatabase(server: LocalPostgres, name: string): Promise<string> {
  await server.createDatabase(name);
  const url = server.urlFor(name);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return url;
}
