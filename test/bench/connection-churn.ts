import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { resetEnvCache } from '../../shared/config/env.ts';
import type { WebSocketEvent } from '../../shared/realtime/protocol.ts';
import { createMigratedDatabase, startBenchPostgres } from './database.ts';
import { LatencyRecorder } from './stats.ts';

/**
 * Connection churn in Postgres (`npx tsx test/bench/connection-churn.ts`): how many WebSocket
 * connects and disconnects per second the live_connections table takes, measured against API
 * Gateway's quota for new WebSocket connections (500 per second per account and region, the
 * default). Two measurements, both with durable commits (fsync and synchronous_commit on, unlike
 * the other benchmarks' throwaway cluster):
 *  - the realtime Lambda's $connect + $disconnect handlers in-process (JWT verify, revoked-session
 *    check, per-account count, insert; delete), which is what each connection costs the database;
 *  - the bare insert (the same one-statement insert, with its two checks) + delete of a row.
 * CHURN_CONNECTIONS (default 4000) pairs, CHURN_CONCURRENCY (default 16) at once.
 */
const log = (line: string) => console.log(`[churn] ${line}`);
const PAIRS = Number(process.env.CHURN_CONNECTIONS ?? 4000);
const CONCURRENCY = Number(process.env.CHURN_CONCURRENCY ?? 16);
const USERS = 500;
const APIGW_NEW_CONNECTIONS_PER_SECOND = 500;

const bench = await startBenchPostgres(log, 'embedded');
try {
  const admin = new pg.Client({ connectionString: `${bench.server.serverUrl}/postgres` });
  await admin.connect();
  for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
    await admin.query(`ALTER SYSTEM SET ${setting} = on`);
  }
  await admin.query('SELECT pg_reload_conf()');
  await admin.end();

  process.env.DATABASE_URL = await createMigratedDatabase(bench.server, 'churn');
  process.env.JWT_SECRET = randomBytes(48).toString('base64url');
  process.env.DB_POOL_MAX = String(CONCURRENCY);
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  resetEnvCache();
  const { getDb, closeDb } = await import('../../shared/db/client.ts');
  const { issueAccessToken } = await import('../../shared/auth/tokens.ts');
  const { handler } = await import('../../functions/realtime/index.ts');
  const { insertConnection, deleteConnections } = await import('../../shared/realtime/repository.ts');

  const db = getDb();
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: randomUUID(),
    email: `churn${i}@example.test`,
    username: `churn_${i}`,
    password_hash: 'x',
    display_name: `churn ${i}`,
  }));
  await db.insertInto('users').values(users).execute();
  const tokens = await Promise.all(
    users.map(async (u) => (await issueAccessToken(u.id, randomUUID())).token),
  );

  const event = (routeKey: string, connectionId: string, token?: string): WebSocketEvent =>
    ({
      requestContext: {
        routeKey,
        connectionId,
        eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT',
      },
      isBase64Encoded: false,
      ...(token ? { queryStringParameters: { token } } : {}),
    }) as WebSocketEvent;

  async function run(name: string, pair: (i: number) => Promise<{ connectMs: number; ok: boolean }>) {
    const connects = new LatencyRecorder();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PAIRS) {
          const i = next++;
          const { connectMs, ok } = await pair(i);
          connects.record(connectMs, ok ? 200 : 500);
        }
      }),
    );
    const r = connects.result(performance.now() - started);
    log(
      `${name.padEnd(28)} ${r.rps.toFixed(0).padStart(6)} connect+disconnect pairs/s ` +
        `(connect p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, failures ${r.non2xx}) = ` +
        `${(r.rps / APIGW_NEW_CONNECTIONS_PER_SECOND).toFixed(1)}x API Gateway's ${APIGW_NEW_CONNECTIONS_PER_SECOND}/s`,
    );
    return r;
  }

  await run('realtime handlers', async (i) => {
    const id = `${randomBytes(10).toString('base64')}`;
    const t0 = performance.now();
    const connected = await handler(event('$connect', id, tokens[i % USERS]));
    const connectMs = performance.now() - t0;
    await handler(event('$disconnect', id));
    return { connectMs, ok: connected.statusCode === 200 };
  });

  await run('bare insert + delete', async (i) => {
    const id = `${randomBytes(10).toString('base64')}`;
    const t0 = performance.now();
    const row = await insertConnection(
      db,
      {
        connection_id: id,
        user_id: users[i % USERS]!.id,
        session_id: null,
        expires_at: new Date(Date.now() + 900_000),
      },
      10,
    );
    const connectMs = performance.now() - t0;
    await deleteConnections(db, [id]);
    return { connectMs, ok: row !== undefined };
  });

  const left = await db
    .selectFrom('live_connections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  log(
    `rows left: ${left.n} (every disconnect deleted its row); PostgreSQL ${bench.version}, pool ${CONCURRENCY}`,
  );
  await closeDb();
} finally {
  await bench.stop();
}
