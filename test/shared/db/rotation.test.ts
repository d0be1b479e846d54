import { setTimeout as sleep } from 'node:timers/promises';
import {
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as migrate } from '../../../functions/workers/migrate.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { APP_DB_ROLE } from '../../../shared/db/roles.ts';
import { useAwsLikeDatabase } from '../../harness/aws-database.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';

/**
 * Secrets Manager rotates the application role's password while the API serves: single-user
 * rotation writes AWSPENDING, changes the password in the database, then makes AWSPENDING
 * AWSCURRENT. Connections opened in between fail with the old password; the client re-reads the
 * secret (AWSCURRENT, then AWSPENDING) and connects again, so no request fails.
 */
const aws = useAwsLikeDatabase('lokiz_rotation');
const api = useApi();
let user: TestUser;
let superuser: pg.Client;

function secretsClient(): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint: aws.secrets.url });
}

async function setDatabasePassword(password: string): Promise<void> {
  await superuser.query(
    (
      await superuser.query('SELECT format($1, $2::text, $3::text) AS ddl', [
        'ALTER ROLE %I PASSWORD %L',
        APP_DB_ROLE,
        password,
      ])
    ).rows[0].ddl,
  );
}

async function putPending(password: string): Promise<string> {
  const out = await secretsClient().send(
    new PutSecretValueCommand({
      SecretId: aws.appSecretArn,
      SecretString: JSON.stringify({ username: APP_DB_ROLE, password }),
      VersionStages: ['AWSPENDING'],
    }),
  );
  return out.VersionId!;
}

async function finish(versionId: string): Promise<void> {
  await secretsClient().send(
    new UpdateSecretVersionStageCommand({
      SecretId: aws.appSecretArn,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: versionId,
    }),
  );
  await secretsClient().send(
    new UpdateSecretVersionStageCommand({
      SecretId: aws.appSecretArn,
      VersionStage: 'AWSPENDING',
      RemoveFromVersionId: versionId,
    }),
  );
}

/** Until the API's pool has closed its idle connections, so the next request must connect anew. */
async function untilNoAppConnections(): Promise<void> {
  for (;;) {
    const { rows } = await superuser.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1',
      [APP_DB_ROLE],
    );
    if (rows[0].n === 0) return;
    await sleep(20);
  }
}

async function burst(n = 8): Promise<number[]> {
  const responses = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      i % 2
        ? api.request('GET', '/v1/auth/me', { token: user.accessToken })
        : api.request('GET', `/v1/usernames/${user.username}`),
    ),
  );
  return responses.map((r) => r.status);
}

beforeAll(async () => {
  superuser = new pg.Client({ connectionString: aws.server.urlFor(aws.database) });
  await superuser.connect();
  await aws.asOwner();
  await migrate();
  // Pooled connections close quickly when idle, so reconnections (with a stale password) happen.
  process.env.DB_IDLE_TIMEOUT_MS = '20';
  await aws.asApp();
  resetEnvCache();
  user = await registerUser(api);
}, 120_000);
// Registered after the database's own hooks, so it runs before they stop the server.
afterAll(async () => {
  await superuser?.end();
});

describe('the application role password rotates under a running API', () => {
  it('loses no request: continuous traffic and fresh connections through every step of two rotations', async () => {
    const statuses: number[] = [];
    let running = true;
    let paused = false;
    const traffic = (async () => {
      while (running) {
        if (paused) await sleep(5);
        else statuses.push(...(await burst(4)));
      }
    })();
    // The pool's connections can only all close while nothing asks for one: the traffic holds
    // off for that moment (waiting for a gap in it took from 0.5 s to over 30 s), then resumes
    // and meets the next step with fresh connections.
    const drained = async () => {
      paused = true;
      await untilNoAppConnections();
      paused = false;
    };
    const readsBefore = aws.secrets.reads.get(aws.appSecretArn) ?? 0;

    // Rotation 1, step by step, with new connections forced in the window where only AWSPENDING works.
    const v2 = await putPending('second-password-2');
    await setDatabasePassword('second-password-2');
    await drained();
    statuses.push(...(await burst()));
    await finish(v2);
    await drained();
    statuses.push(...(await burst()));

    // Rotation 2 completes entirely while the API still holds the first rotation's password.
    const v3 = await putPending('third-password-3');
    await setDatabasePassword('third-password-3');
    await finish(v3);
    await drained();
    statuses.push(...(await burst()));

    running = false;
    await traffic;
    expect(statuses.length).toBeGreaterThan(24);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // The secret was re-read for the rotations, not for every connection.
    const reads = (aws.secrets.reads.get(aws.appSecretArn) ?? 0) - readsBefore;
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(reads).toBeLessThan(statuses.length);
  });

  it('a password nobody can find is a 503, and the API recovers once the secret is right', async () => {
    await setDatabasePassword('only-the-database-knows');
    await untilNoAppConnections();
    const res = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(res.status, res.text).toBe(503);
    expect(res.body.error.code).toBe('database_unavailable');

    await setDatabasePassword('third-password-3');
    const again = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(again.status, again.text).toBe(200);
  });
});
