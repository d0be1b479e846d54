import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect, type PostgresPool, type Transaction } from 'kysely';
import pg from 'pg';
import { logger } from '../logging/logger.ts';
import { dbEnv } from './config.ts';
import { SecretCredentials } from './credentials.ts';
import { isAuthenticationFailure } from './errors.ts';
import { withPlanReuse } from './plan-reuse.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** Repositories take either; the handler decides where the transaction starts. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

// Postgres bigint (int8) and numeric come back as strings by default; counts from
// count(*) are int8, and every count we return is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

/**
 * pg-pool's `connectionTimeoutMillis` bounds two different waits: opening a connection, and
 * waiting for a pooled one while all are checked out. A process serving many requests at once
 * (the local gateway, the bench: 50 connections on one process) queues for the pool whenever
 * it is busy, and a queue wait over the 3 s connect timeout used to come back as 503
 * database_unavailable from a healthy database. So the pool gets the checkout wait
 * (DB_POOL_WAIT_MS, like SQLAlchemy's pool_timeout) and each connection its own connect
 * timeout, which pg's Client enforces by itself.
 */
function clientWithConnectTimeout(connectMs: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      const base = typeof config === 'string' ? { connectionString: config } : (config ?? {});
      // A copy with its property descriptors: pg-pool hides the password (a string, or the
      // function that reads the rotating secret) as a non-enumerable property, which a spread drops.
      const options = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as pg.ClientConfig;
      options.connectionTimeoutMillis = connectMs;
      super(options);
    }
  };
}

/**
 * Only user, database and client_encoding go into the startup packet: RDS Proxy refuses any
 * startup parameter it doesn't know ("unsupported startup parameter"), and pg sends its
 * statement_timeout option as one. Timeouts belong to the database role instead (migration
 * 20261130T1200_app_role), and nothing here issues a session-level SET, which would pin the
 * connection to one proxy backend for its lifetime.
 */
function poolConfig(credentials: SecretCredentials | undefined): pg.PoolConfig {
  const e = dbEnv();
  const common: pg.PoolConfig = {
    max: e.DB_POOL_MAX,
    Client: clientWithConnectTimeout(e.DB_CONNECT_TIMEOUT_MS),
    connectionTimeoutMillis: Math.max(e.DB_POOL_WAIT_MS, e.DB_CONNECT_TIMEOUT_MS),
    idleTimeoutMillis: e.DB_IDLE_TIMEOUT_MS,
    ssl:
      e.DATABASE_SSL === 'true'
        ? {
            rejectUnauthorized: true,
            ...(e.DATABASE_SSL_CA_FILE ? { ca: readFileSync(e.DATABASE_SSL_CA_FILE, 'utf8') } : {}),
          }
        : undefined,
  };
  if (!credentials) return { ...common, connectionString: e.DATABASE_URL };
  // AWS: the RDS Proxy endpoint; the password is read for every new connection, so a rotated
  // secret reaches the next connection without a restart.
  return {
    ...common,
    host: e.DATABASE_HOST,
    port: e.DATABASE_PORT,
    database: e.DATABASE_NAME,
    password: async () => (await credentials.get()).password,
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

/**
 * The pool Kysely sees: a connection refused for its password (the secret was rotated since it
 * was read) re-reads the secret and connects once more, so a rotation costs no request.
 */
async function rotationAwarePool(): Promise<PostgresPool> {
  const e = dbEnv();
  const credentials = e.DATABASE_URL ? undefined : new SecretCredentials(e.DATABASE_SECRET_ARN!);
  const config = poolConfig(credentials);
  if (credentials) config.user = (await credentials.get()).username;
  const pool = createPool(config);
  if (!credentials) return pool;
  return {
    async connect() {
      // The password this attempt will use (the pool asks `credentials` for it).
      const tried = (await credentials.get()).password;
      try {
        return await pool.connect();
      } catch (err) {
        if (!isAuthenticationFailure(err)) throw err;
        if (!(await credentials.refresh(tried))) throw err;
        logger.warn('database refused the password: reconnecting with the re-read secret');
        return pool.connect();
      }
    },
    end: () => pool.end(),
  };
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
  // Named prepared statements (plan-reuse.ts) wrap the rotation-aware pool: a client the
  // re-read secret opened carries them like any other.
  db ??= new Kysely<Database>({
    dialect: new PostgresDialect({ pool: async () => withPlanReuse(await rotationAwarePool()) }),
  });
  return db;
}

/** Closes the pool (local runtime shutdown, tests). */
export async function closeDb(): Promise<void> {
  const current = db;
  db = undefined;
  await current?.destroy();
}
