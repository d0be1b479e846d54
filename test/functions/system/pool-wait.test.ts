import { createServer, type Server, type Socket } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as systemHandler } from '../../../functions/system/index.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { closeDb, getDb } from '../../../shared/db/client.ts';
import { httpApiEvent, lambdaContext } from '../../harness/events.ts';

/**
 * Waiting for a pooled connection and opening a connection are two different waits. One
 * process serving many requests at once (the local gateway, the bench's 50 connections) queues
 * for its pool whenever it is busy; that wait used to be bounded by the 3 s connect timeout, so a
 * healthy but busy database answered 503 database_unavailable. Now DB_POOL_WAIT_MS bounds the
 * queue and DB_CONNECT_TIMEOUT_MS each connection attempt.
 */
const saved = ['DB_POOL_MAX', 'DB_CONNECT_TIMEOUT_MS', 'DB_POOL_WAIT_MS', 'DATABASE_URL'].map(
  (k) => [k, process.env[k]] as const,
);

async function configure(env: Record<string, string>) {
  await closeDb();
  Object.assign(process.env, env);
  resetEnvCache();
}

afterEach(async () => {
  await closeDb();
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

async function health() {
  return (await systemHandler(
    httpApiEvent({ method: 'GET', path: '/health' }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
}

/** Keeps the pool's only connection busy for `ms`. */
function holdTheConnection(ms: number) {
  return sql`SELECT pg_sleep(${ms / 1000})`.execute(getDb());
}

describe('database pool: checkout wait vs connect timeout', () => {
  it('a request waits for a busy pool longer than the connect timeout, and succeeds', async () => {
    await configure({ DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '200', DB_POOL_WAIT_MS: '20000' });
    await health(); // the one connection is open
    const busy = holdTheConnection(1500);
    const res = await health();
    await busy;
    expect(res.statusCode).toBe(200);
  });

  it('the wait for a pooled connection is still bounded: 503 database_unavailable past DB_POOL_WAIT_MS', async () => {
    await configure({ DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '200', DB_POOL_WAIT_MS: '300' });
    await health();
    const busy = holdTheConnection(3000);
    const res = await health();
    await busy;
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body!).error.code).toBe('database_unavailable');
  });

  it('opening a connection keeps its own timeout: a server that never answers is a 503, not a wait of DB_POOL_WAIT_MS', async () => {
    // Accepts TCP connections and never says a word (a black-holed database host).
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await configure({
        DATABASE_URL: `postgres://postgres:x@127.0.0.1:${port}/lokiz`,
        DB_POOL_MAX: '2',
        DB_CONNECT_TIMEOUT_MS: '300',
        // Longer than this test may run: only the connect timeout can end the request in time.
        DB_POOL_WAIT_MS: '60000',
      });
      const res = await health();
      expect(res.statusCode).toBe(503);
      expect(JSON.parse(res.body!).error.code).toBe('database_unavailable');
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
