import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { resetEnvCache } from '../../shared/config/env.ts';
import { resetSecretsClient } from '../../shared/config/secrets.ts';
import { closeDb } from '../../shared/db/client.ts';
import { APP_DB_ROLE } from '../../shared/db/roles.ts';
import { type LocalPostgres, startLocalPostgres } from '../../shared/local/postgres.ts';
import { SecretsManagerStandIn } from '../../shared/local/secrets-standin.ts';
import { type RdsProxyGate, startRdsProxyGate } from './rds-proxy-gate.ts';

/**
 * The database as the Lambdas meet it in AWS, for one test file: its own PostgreSQL cluster (roles
 * are cluster-wide, so these tests cannot share the run's), reached through the RDS-Proxy-like
 * gate (TLS, startup-parameter rules), with the owner's and the application role's credentials in
 * a Secrets Manager stand-in. `asOwner()` / `asApp()` point the db client at one of the secrets.
 */
export interface AwsLikeDatabase {
  readonly server: LocalPostgres;
  readonly gate: RdsProxyGate;
  readonly secrets: SecretsManagerStandIn;
  readonly ownerSecretArn: string;
  readonly appSecretArn: string;
  readonly database: string;
  /** The application role's first password (the one in its secret at start). */
  readonly appPassword: string;
  asOwner(): Promise<void>;
  asApp(): Promise<void>;
}

const ENV_KEYS = [
  'DATABASE_URL',
  'DATABASE_SECRET_ARN',
  'DATABASE_HOST',
  'DATABASE_PORT',
  'DATABASE_NAME',
  'DATABASE_SSL',
  'DATABASE_SSL_CA_FILE',
  'APP_DATABASE_SECRET_ARN',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

export function useAwsLikeDatabase(database = 'lokiz_aws'): AwsLikeDatabase {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const appPassword = randomBytes(18).toString('base64url');
  let dir: string;
  const state = {} as {
    server: LocalPostgres;
    gate: RdsProxyGate;
    secrets: SecretsManagerStandIn;
    ownerSecretArn: string;
    appSecretArn: string;
  };

  const use = async (secretArn: string) => {
    await closeDb();
    resetSecretsClient();
    delete process.env.DATABASE_URL;
    Object.assign(process.env, {
      DATABASE_SECRET_ARN: secretArn,
      DATABASE_HOST: 'localhost',
      DATABASE_PORT: String(state.gate.port),
      DATABASE_NAME: database,
      DATABASE_SSL: 'true',
      DATABASE_SSL_CA_FILE: state.gate.caFile,
      APP_DATABASE_SECRET_ARN: state.appSecretArn,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: state.secrets.url,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    });
    resetEnvCache();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lokiz-aws-db-'));
    // initdb runs as the OS user `postgres` when we are root; mkdtemp makes 0700 folders.
    chmodSync(dir, 0o755);
    state.server = await startLocalPostgres({ dir: join(dir, 'data'), persistent: false });
    await state.server.createDatabase(database);
    state.gate = await startRdsProxyGate({ upstreamPort: state.server.port, dir });
    state.secrets = new SecretsManagerStandIn();
    await state.secrets.start();
    const owner = new URL(state.server.serverUrl);
    state.ownerSecretArn = state.secrets.create(
      'lokiz/db-owner',
      JSON.stringify({ username: owner.username, password: decodeURIComponent(owner.password) }),
    );
    state.appSecretArn = state.secrets.create(
      'lokiz/db-app',
      JSON.stringify({ username: APP_DB_ROLE, password: appPassword }),
    );
  }, 120_000);

  afterAll(async () => {
    await closeDb();
    resetSecretsClient();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
    await state.gate?.close();
    await state.secrets?.close();
    await state.server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  return {
    get server() {
      return state.server;
    },
    get gate() {
      return state.gate;
    },
    get secrets() {
      return state.secrets;
    },
    get ownerSecretArn() {
      return state.ownerSecretArn;
    },
    get appSecretArn() {
      return state.appSecretArn;
    },
    database,
    appPassword,
    asOwner: () => use(state.ownerSecretArn),
    asApp: () => use(state.appSecretArn),
  };
}
