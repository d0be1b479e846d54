import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { routes } from '../../functions/routes.ts';
import { resetEnvCache } from '../config/env.ts';
import { closeDb, getDb } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startLocalAccounts } from './accounts.ts';
import { startLocalAi } from './ai.ts';
import { AsyncInvoker } from './async-invoker.ts';
import { startGateway } from './gateway.ts';
import { isolateInvocations, localLambdaContext, newRequestId, runInvocation } from './invocation.ts';
import { startLocalLive } from './live.ts';
import { startLocalMedia, startLocalSoundtracks } from './media.ts';
import { assertPortFree } from './ports.ts';
import { type LocalPostgres, startLocalPostgres } from './postgres.ts';
import { checkDatabaseUrl, explainDatabaseError, listenOrExplain } from './startup-error.ts';

/**
 * The whole LOKIZ system on one machine: the pieces `npm run dev` starts, in the order
 * AWS would have them. Tests start the same pieces through test/harness.
 */
export interface LocalStackOptions {
  /** Folder for durable local state (git-ignored). */
  stateDir: string;
  /** API port (0: any free port). Every port here is printed by `npm run dev`. */
  port?: number;
  s3Port?: number;
  postgresPort?: number;
  standInPort?: number;
  /** The offline SNS stand-in (push). */
  snsPort?: number;
  /** The WebSocket API's management stand-in (fan-out posts to sockets through it). */
  managementPort?: number;
  /** Stop a PostgreSQL another live process still runs on the data folder. */
  stopStale?: boolean;
  log: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  /** The WebSocket API (`?token=<access token>`). */
  liveUrl: string;
  databaseUrl: string;
  s3Endpoint: string | undefined;
  replicateUrl: string | undefined;
  snsUrl: string;
  managementUrl: string;
  /** The local mail outbox (the SES stand-in's .eml files). */
  mailOutboxDir: string;
  /** Set when this stack started its own PostgreSQL. */
  postgresPort: number | undefined;
  stop(): Promise<void>;
}

/** Embedded defaults for anything the developer did not configure. */
function applyLocalDefaults(stateDir: string): void {
  process.env.NODE_ENV ??= 'development';
  process.env.BCRYPT_COST ??= '10';
  process.env.DB_POOL_MAX ??= '10';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  // One readable line per request and per worker event (JSON stays the deployed format).
  process.env.LOKIZ_LOG_FORMAT ??= 'compact';
  // Every local client is 127.0.0.1: the per-IP sign-up limit would stop `npm run demo`/`smoke`
  // after a few runs. The limit itself is tested (test/functions/limits).
  process.env.SIGNUPS_PER_IP_PER_HOUR ??= '1000';
  // Versions are pinned in the lockfile; Lambda itself runs Node 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Mail goes to the local outbox (the SES stand-in): .eml files here, subject and link logged.
  process.env.MAIL_OUTBOX_DIR ??= join(stateDir, 'mail');
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
  await isolateInvocations();
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => opts.log(`stop failed: ${String(err)}`));
  };

  try {
    // Ports the developer fixed are checked first: a taken one fails in a second, not after postgres.
    for (const [what, variable, port] of [
      ['The API', 'PORT', opts.port ?? 3000],
      ['Local S3', 'S3_PORT', opts.s3Port ?? 0],
      ['PostgreSQL', 'POSTGRES_PORT', opts.postgresPort ?? 0],
      ['The Replicate stand-in', 'REPLICATE_STANDIN_PORT', opts.standInPort ?? 0],
      ['The SNS stand-in', 'SNS_STANDIN_PORT', opts.snsPort ?? 0],
      ['The WebSocket management stand-in', 'MANAGEMENT_STANDIN_PORT', opts.managementPort ?? 0],
    ] as const) {
      if (port) await listenOrExplain(what, variable, port, () => assertPortFree(port));
    }
    let pgServer: LocalPostgres | undefined;
    if (process.env.DATABASE_URL) checkDatabaseUrl(process.env.DATABASE_URL);
    else {
      const dir = join(opts.stateDir, 'postgres');
      opts.log(`starting embedded PostgreSQL (data in ${dir})…`);
      pgServer = await listenOrExplain('PostgreSQL', 'POSTGRES_PORT', opts.postgresPort ?? 0, () =>
        startLocalPostgres({
          dir,
          persistent: true,
          port: opts.postgresPort || undefined,
          stopStale: opts.stopStale,
          log: opts.log,
        }),
      );
      stops.push(() => pgServer!.stop());
      await pgServer.createDatabase('lokiz');
      process.env.DATABASE_URL = pgServer.urlFor('lokiz');
      resetEnvCache();
    }
    stops.push(closeDb);
    const applied = await migrateToLatest(getDb()).catch((err: unknown) => {
      throw explainDatabaseError(err, process.env.DATABASE_URL!) ?? err;
    });
    opts.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    const invoker = new AsyncInvoker({ log: (l) => opts.log(`[async] ${l}`) });
    if (!process.env.S3_ENDPOINT && !process.env.MEDIA_BUCKET) {
      opts.log(`starting local S3 (s3rver, data in ${join(opts.stateDir, 's3')})…`);
      const s3 = await listenOrExplain('Local S3', 'S3_PORT', opts.s3Port ?? 0, () =>
        startLocalMedia({
          dir: join(opts.stateDir, 's3'),
          bucket: 'lokiz-media-local',
          port: opts.s3Port,
          invoker,
          log: opts.log,
        }),
      );
      stops.push(s3.stop);
      stops.push(() => invoker.idle());
    }

    const soundtracks = startLocalSoundtracks({ log: opts.log });
    stops.push(async () => soundtracks.close());
    opts.log(`[sqs-standin] ${soundtracks.url} → apply-soundtrack worker (in-process stand-in, not SQS)`);

    const gateway = await listenOrExplain('The API', 'PORT', opts.port ?? 3000, () =>
      startGateway({ routes, port: opts.port ?? 3000, docs: true, log: opts.log }),
    );
    stops.push(gateway.close);
    // Public media URLs point at the gateway's CDN stand-in unless a real CDN was configured.
    process.env.MEDIA_CDN_BASE_URL ??= gateway.url;
    // Links in mail lead to this gateway (no app runs locally; the walkthrough follows them with curl).
    process.env.APP_BASE_URL ??= gateway.url;
    process.env.API_LINK_BASE_URL ??= gateway.url;
    resetEnvCache();
    const accounts = startLocalAccounts({ log: (l) => opts.log(l) });
    stops.push(async () => accounts.stop());
    opts.log(`mail: LOCAL OUTBOX (offline stand-in, not SES): .eml files in ${process.env.MAIL_OUTBOX_DIR}`);
    const live = await startLocalLive({
      server: gateway.server,
      snsPort: opts.snsPort,
      managementPort: opts.managementPort,
      log: (l) => opts.log(l),
    });
    // Before the gateway closes: its sockets' $disconnect still reaches the database.
    stops.push(live.stop);

    const ai = await listenOrExplain(
      'The Replicate stand-in',
      'REPLICATE_STANDIN_PORT',
      opts.standInPort ?? 0,
      () => startLocalAi({ apiUrl: gateway.url, standInPort: opts.standInPort, log: (l) => opts.log(l) }),
    );
    stops.push(ai.stop);
    opts.log(
      ai.standIn
        ? `AI: OFFLINE REPLICATE STAND-IN at ${ai.standIn.url} (no REPLICATE_API_TOKEN set; outputs are ffmpeg fakes)`
        : 'AI: real Replicate (REPLICATE_API_TOKEN is set); webhooks need a public PUBLIC_API_URL',
    );
    // EventBridge's schedule, locally: the reconciler every minute.
    const reconcile = setInterval(() => {
      const requestId = newRequestId();
      import('../../functions/workers/reconciler.ts')
        .then(({ handler }) =>
          runInvocation(requestId, () =>
            handler({} as ScheduledEvent, localLambdaContext('reconciler', requestId, 300_000)),
          ),
        )
        .catch((err) => opts.log(`reconciler: ${String(err)}`));
    }, 60_000);
    stops.push(async () => clearInterval(reconcile));
    // …and the outbox sweeper every minute (as in AWS).
    const sweep = setInterval(() => {
      live.sweep().catch((err) => opts.log(`outbox sweeper: ${String(err)}`));
    }, 60_000);
    stops.push(async () => clearInterval(sweep));

    return {
      apiUrl: gateway.url,
      liveUrl: live.websocket.url,
      databaseUrl: process.env.DATABASE_URL!,
      s3Endpoint: process.env.S3_ENDPOINT,
      replicateUrl: ai.standIn?.url,
      snsUrl: live.sns.url,
      managementUrl: live.websocket.managementUrl,
      mailOutboxDir: process.env.MAIL_OUTBOX_DIR ?? join(opts.stateDir, 'mail'),
      postgresPort: pgServer?.port,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
