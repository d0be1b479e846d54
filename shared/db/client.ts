import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { getSecretString } from '../config/secrets.ts';
import { logger } from '../logging/logger.ts';
import { dbEnv } from './config.ts';
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
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: connectMs,
      });
    }
  };
}

async function poolConfig(): Promise<pg.PoolConfig> {
  const e = dbEnv();
  const common: pg.PoolConfig = {
    max: e.DB_POOL_MAX,
    Client: clientWithConnectTimeout(e.DB_CONNECT_TIMEOUT_MS),
    connectionTimeoutMillis: Math.max(e.DB_POOL_WAIT_MS, e.DB_CONNECT_TIMEOUT_MS),
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

function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // An idle client losing its connection (DB restart, proxy recycle) emits 'error' on the
  // pool; unhandled, that would crash the process. The pool replaces the client itself.
  pool.on('error', (err) => logger.warn('idle database client error', { error: err.message }));
  // A checked-out client (inside a transaction, mid-query) emits 'error' on the client itself when the
  // server goes away; with no listener that is an uncaught exception that kills the process (a Lambda
  // runtime exit: 502, not our 503). The query still rejects, and the pool drops the dead client.
  pool.on('connect', (client) =>
    client.on('error', (err) => logger.warn('database client error', { error: err.message })),
  );
  return pool;
}

let db: Db | undefined;

/** The process-wide Kysely instance (module scope: reused across warm invocations). */
export function getDb(): Db {
  db ??= new Kysely<Database>({
    dialect: new PostgresDialect({ pool: async () => withPlanReuse(createPool(await poolConfig())) }),
  });
  return db;
}

/** Closes the pool (local runtime shutdown, tests). */
export async function closeDb(): Promise<void> {
  const current = db;
  db = undefined;
  await current?.destroy();
}
