import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes } from '../../functions/routes.ts';
import { resetEnvCache } from '../config/env.ts';
import { closeDb, getDb } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startGateway } from './gateway.ts';
import { type LocalPostgres, startLocalPostgres } from './postgres.ts';

/**
 * The whole LOKIZ system on one machine: the pieces `npm run dev` starts, in the order
 * AWS would have them. Tests start the same pieces through test/harness.
 */
export interface LocalStackOptions {
  /** Folder for durable local state (git-ignored). */
  stateDir: string;
  port?: number;
  log: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Embedded defaults for anything the developer did not configure. */
function applyLocalDefaults(stateDir: string): void {
  process.env.NODE_ENV ??= 'development';
  process.env.BCRYPT_COST ??= '10';
  process.env.DB_POOL_MAX ??= '10';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  if (!process.env.JWT_SECRET && !process.env.JWT_SECRET_ARN) {
    // A per-checkout secret kept with the local data, so tokens survive restarts.
    const file = join(stateDir, 'jwt-secret');
    if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    process.env.JWT_SECRET = readFileSync(file, 'utf8').trim();
  }
  resetEnvCache();
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(opts.stateDir, { recursive: true });
  applyLocalDefaults(opts.stateDir);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => opts.log(`stop failed: ${String(err)}`));
  };

  try {
    let pgServer: LocalPostgres | undefined;
    if (!process.env.DATABASE_URL) {
      opts.log('starting embedded PostgreSQL (data in .lokiz/postgres)…');
      pgServer = await startLocalPostgres({ dir: join(opts.stateDir, 'postgres'), persistent: true });
      stops.push(() => pgServer!.stop());
      await pgServer.createDatabase('lokiz');
      process.env.DATABASE_URL = pgServer.urlFor('lokiz');
      resetEnvCache();
    }
    stops.push(closeDb);
    const applied = await migrateToLatest(getDb());
    opts.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    const gateway = await startGateway({ routes, port: opts.port ?? 3000, docs: true });
    stops.push(gateway.close);
    return { apiUrl: gateway.url, databaseUrl: process.env.DATABASE_URL!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
