import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { getSecretString } from '../config/secrets.ts';
import { logger } from '../logging/logger.ts';
import { dbEnv } from './config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** Repositories take either; the handler decides where the transaction starts. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

// Postgres bigint (int8) and numeric come back as strings by default; counts from
// count(*) are int8, and every count we return is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

async function poolConfig(): Promise<pg.PoolConfig> {
  const e = dbEnv();
  const common: pg.PoolConfig = {
    max: e.DB_POOL_MAX,
    connectionTimeoutMillis: e.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: e.DB_STATEMENT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    ssl: e.DATABASE_SSL === 'true' ? { rejectUnauthorized: true } : undefined,
  };
  if (e.DATABASE_URL) return { ...common, connectionString: e.DATABASE_URL };
  // AWS: RDS Proxy endpoint + the generated Secrets Manager secret ({username, password}).
  const secret = JSON.parse(await getSecretString(e.DATABASE_SECRET_ARN!)) as {
    username: string;
    password: string;
  };
  return {
    ...common,
    host: e.DATABASE_HOST,
    port: 5432,
    database: e.DATABASE_NAME,
    user: secret.username,
    password: secret.password,
  };
}

/** Set while the local runtime shuts down: the server closing our connections is then expected. */
let shuttingDown = false;

/**
 * A terminal's Ctrl-C reaches the local embedded postgres in the same instant as us, and postgres
 * may close our connections (57P01 admin_shutdown) before our signal handler has run. So that
 * warning waits a moment and is dropped if a shutdown began meanwhile; any other error is
 * reported at once.
 */
function warnUnlessShuttingDown(message: string, err: Error & { code?: string }): void {
  if (shuttingDown) return;
  if (err.code !== '57P01') {
    logger.warn(message, { error: err.message });
    return;
  }
  setTimeout(() => {
    if (!shuttingDown) logger.warn(message, { error: err.message });
  }, 500).unref();
}

function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // An idle client losing its connection (DB restart, proxy recycle) emits 'error' on the
  // pool; unhandled, that would crash the process. The pool replaces the client itself.
  pool.on('error', (err) => warnUnlessShuttingDown('idle database client error', err));
  // A checked-out client (inside a transaction, mid-query) emits 'error' on the client itself when the
  // server goes away; with no listener that is an uncaught exception that kills the process (a Lambda
  // runtime exit: 502, not our 503). The query still rejects, and the pool drops the dead client.
  pool.on('connect', (client) =>
    client.on('error', (err) => warnUnlessShuttingDown('database client error', err)),
  );
  return pool;
}

let db: Db | undefined;

/**
 * Ctrl-C reaches the embedded postgres too (same process group), which then closes our
 * connections: expected, so not worth a warning.
 */
export function expectDatabaseShutdown(): void {
  shuttingDown = true;
}

/** The process-wide Kysely instance (module scope: reused across warm invocations). */
export function getDb(): Db {
  if (!db) shuttingDown = false;
  db ??= new Kysely<Database>({
    dialect: new PostgresDialect({ pool: async () => createPool(await poolConfig()) }),
  });
  return db;
}

/** Closes the pool (local runtime shutdown, tests). */
export async function closeDb(): Promise<void> {
  const current = db;
  db = undefined;
  await current?.destroy();
}
