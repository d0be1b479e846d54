import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { routes } from '../../functions/routes.ts';
import { resetEnvCache } from '../config/env.ts';
import { closeDb, getDb } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startLocalAi } from './ai.ts';
import { AsyncInvoker } from './async-invoker.ts';
import { startGateway } from './gateway.ts';
import { startLocalMedia, startLocalSoundtracks } from './media.ts';
import { type LocalPostgres, startLocalPostgres } from './postgres.ts';

/**
 * The whole LOKIZ system on one machine: the pieces `npm run dev` starts, in the order
 * AWS would have them. Tests start the same pieces through test/harness.
 */
export interface LocalStackOptions {
  /** Folder for durable local state (git-ignored). */
  stateDir: string;
  port?: number;
  s3Port?: number;
  log: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  databaseUrl: string;
  s3Endpoint: string | undefined;
  replicateUrl: string | undefined;
  stop(): Promise<void>;
}

/** Embedded defaults for anything the developer did not configure. */
function applyLocalDefaults(stateDir: string): void {
  process.env.NODE_ENV ??= 'development';
  process.env.BCRYPT_COST ??= '10';
  process.env.DB_POOL_MAX ??= '10';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  // Versions are pinned in the lockfile; Lambda itself runs Node 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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

    const invoker = new AsyncInvoker({ log: (l) => opts.log(`[async] ${l}`) });
    if (!process.env.S3_ENDPOINT && !process.env.MEDIA_BUCKET) {
      opts.log('starting local S3 (s3rver, data in .lokiz/s3)…');
      const s3 = await startLocalMedia({
        dir: join(opts.stateDir, 's3'),
        bucket: 'lokiz-media-local',
        port: opts.s3Port ?? 4569,
        invoker,
      });
      stops.push(s3.stop);
      stops.push(() => invoker.idle());
    }

    const soundtracks = startLocalSoundtracks({ log: opts.log });
    stops.push(async () => soundtracks.close());
    opts.log(`[sqs-standin] ${soundtracks.url} → apply-soundtrack worker (in-process stand-in, not SQS)`);

    const gateway = await startGateway({ routes, port: opts.port ?? 3000, docs: true, log: opts.log });
    stops.push(gateway.close);
    // Public media URLs point at the gateway's CDN stand-in unless a real CDN was configured.
    process.env.MEDIA_CDN_BASE_URL ??= gateway.url;
    resetEnvCache();

    const ai = await startLocalAi({ apiUrl: gateway.url, log: (l) => opts.log(l) });
    stops.push(ai.stop);
    opts.log(
      ai.standIn
        ? `AI: OFFLINE REPLICATE STAND-IN at ${ai.standIn.url} (no REPLICATE_API_TOKEN set; outputs are ffmpeg fakes)`
        : 'AI: real Replicate (REPLICATE_API_TOKEN is set); webhooks need a public PUBLIC_API_URL',
    );
    // EventBridge's schedule, locally: the reconciler every minute.
    const reconcile = setInterval(() => {
      import('../../functions/workers/reconciler.ts')
        .then(({ handler }) => handler({} as ScheduledEvent))
        .catch((err) => opts.log(`reconciler: ${String(err)}`));
    }, 60_000);
    stops.push(async () => clearInterval(reconcile));

    return {
      apiUrl: gateway.url,
      databaseUrl: process.env.DATABASE_URL!,
      s3Endpoint: process.env.S3_ENDPOINT,
      replicateUrl: ai.standIn?.url,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
