import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../shared/config/env.ts';
import { closeDb, getDb } from '../../shared/db/client.ts';
import { migrateToLatest } from '../../shared/db/migrate.ts';
import { type LocalPostgres, startLocalPostgres } from '../../shared/local/postgres.ts';
import { setCredits } from '../harness/ai.ts';
import { useLocalAi } from '../harness/ai-stack.ts';
import { registerUser, type TestUser, uniqueSuffix } from '../harness/factories.ts';
import { type ApiResponse as ApiResponseOf, useApi } from '../harness/http.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { mapLimit, SOAK, soak, useInvariants } from './harness.ts';
import { checkInvariants, formatViolations } from './invariants.ts';
import { driveToTerminal, jobRows, predictionsByJob } from './pipeline.ts';

type ApiResponse = ApiResponseOf<any>;

/**
 * Postgres restarted in the middle of a load: this file runs on a Postgres of its own (stopping the
 * shared one would fail every other file), started persistent so a restart keeps the data. While
 * mixed requests (register, login, me, feed, music jobs, health) run through the local gateway, the
 * server is stopped and started again. Every answer must be a success or a fast 503
 * `database_unavailable` (never a 500, never a hang), the API must recover by itself, and once the
 * AI pipeline settled (with the reconciler re-sending what the outage swallowed) no credit is lost,
 * every accepted job exists and every job is terminal. The whole database is this file's, so the
 * invariants are checked over all of it.
 */
const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

const DB_NAME = 'lokiz_restart';
let server: LocalPostgres;
let dir: string;
let port: number;
const sharedEnv = {
  DATABASE_URL: process.env.DATABASE_URL,
  DB_CONNECT_TIMEOUT_MS: process.env.DB_CONNECT_TIMEOUT_MS,
};

async function startServer(): Promise<LocalPostgres> {
  return startLocalPostgres({ dir: join(dir, 'data'), port, persistent: true });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lokiz-pg-restart-'));
  // initdb runs as the OS user `postgres` when we are root; mkdtemp makes 0700 folders.
  chmodSync(dir, 0o755);
  server = await startLocalPostgres({ dir: join(dir, 'data'), persistent: true });
  port = server.port;
  await server.createDatabase(DB_NAME);
  process.env.DATABASE_URL = server.urlFor(DB_NAME);
  // Fail fast while the server is away: a request waits at most this long for a connection.
  process.env.DB_CONNECT_TIMEOUT_MS = '1000';
  resetEnvCache();
  await closeDb();
  await migrateToLatest(getDb());
}, 120_000);

afterAll(async () => {
  await closeDb();
  await server?.stop();
  for (const [k, v] of Object.entries(sharedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

// Registered last so it runs first at the end, while this file's server is still up.
const invariants = useInvariants();

type OpKind = 'register' | 'login' | 'me' | 'feed' | 'music' | 'health';
const SUCCESS: Record<OpKind, number> = {
  register: 201,
  login: 200,
  me: 200,
  feed: 200,
  music: 202,
  health: 200,
};

interface Outcome {
  kind: OpKind;
  status: number;
  code?: string;
  ms: number;
  at: number;
  jobId?: string;
  error?: string;
}

async function runOp(kind: OpKind, users: TestUser[], i: number): Promise<Outcome> {
  const user = users[i % users.length]!;
  const started = Date.now();
  let res: ApiResponse;
  try {
    switch (kind) {
      case 'register': {
        const name = `rs_${uniqueSuffix()}`;
        res = await api.request('POST', '/v1/auth/register', {
          body: { email: `${name}@example.test`, username: name, password: `pw-${name}-Trickster!` },
        });
        if (res.status === 201) invariants.track(res.body.user.id);
        break;
      }
      case 'login':
        res = await api.request('POST', '/v1/auth/login', {
          body: { email: user.email, password: user.password },
        });
        break;
      case 'me':
        res = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
        break;
      case 'feed':
        res = await api.request('GET', '/v1/videos?limit=5', { token: i % 2 ? user.accessToken : undefined });
        break;
      case 'music':
        res = await api.request('POST', '/v1/ai/music', {
          token: user.accessToken,
          body: { prompt: `restart tune ${i}` },
        });
        break;
      case 'health':
        res = await api.request('GET', '/health');
        break;
    }
  } catch (err) {
    return { kind, status: 0, ms: Date.now() - started, at: started, error: (err as Error).message };
  }
  return {
    kind,
    status: res.status,
    code: res.body?.error?.code,
    ms: Date.now() - started,
    at: started,
    ...(kind === 'music' && res.status === 202 ? { jobId: res.body.id } : {}),
  };
}

describe('Postgres restarted mid-load', () => {
  it(
    'answers success or a fast 503, recovers by itself, and loses no job and no credit',
    async () => {
      const users = await mapLimit([0, 1, 2, 3, 4, 5], 3, () => registerUser(api));
      invariants.track(...users.map((u) => u.id));
      // Enough for every music job of the load (a 402 would be a fine answer, just not this test's).
      for (const u of users) await setCredits(u.id, 10_000);
      const total = soak(200, 1000);
      const restarts = soak(1, 3);
      const kinds = fc.sample(
        fc.constantFrom<OpKind>('register', 'login', 'me', 'me', 'feed', 'feed', 'music', 'music', 'health'),
        { numRuns: total, seed: 20261126 },
      );

      // The restarts run beside the load: down after a quarter of it, ~1 s away each time.
      let done = 0;
      const windows: Array<{ down: number; up: number }> = [];
      const restarter = (async () => {
        for (let r = 0; r < restarts; r++) {
          const target = Math.floor(((r + 1) * total) / (restarts + 2));
          while (done < target) await new Promise((res) => setTimeout(res, 10));
          const down = Date.now();
          await server.stop();
          await new Promise((res) => setTimeout(res, 1000));
          server = await startServer();
          windows.push({ down, up: Date.now() });
        }
      })();
      // Paced so the load spans the outage: 8 callers, a short pause between requests.
      const outcomes = await mapLimit(kinds, 8, async (kind, i) => {
        const outcome = await runOp(kind, users, i);
        done++;
        await new Promise((res) => setTimeout(res, 60));
        return outcome;
      });
      await restarter;
      // On a fast machine the paced load can end inside the outage; a few more requests once the
      // server is back show whether it recovered on its own (the check below).
      await new Promise((res) => setTimeout(res, 300));
      outcomes.push(...(await mapLimit(kinds.slice(0, 16), 8, (kind, i) => runOp(kind, users, total + i))));

      // Every answer: the success status, or 503 database_unavailable. Nothing hangs.
      const wrong = outcomes.filter(
        (o) => o.status !== SUCCESS[o.kind] && !(o.status === 503 && o.code === 'database_unavailable'),
      );
      expect(wrong, JSON.stringify(wrong.slice(0, 10), null, 1)).toEqual([]);
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      expect(slowest, 'a request waited longer than the connect timeout allows').toBeLessThan(8_000);
      const unavailable = outcomes.filter((o) => o.status === 503);
      expect(unavailable.length, 'the outage was never observed: the load did not span it').toBeGreaterThan(
        0,
      );
      const lastUp = windows.at(-1)!.up;
      const after = outcomes.filter((o) => o.at > lastUp + 200);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((o) => o.status !== SUCCESS[o.kind])).toEqual([]);
      console.log(
        `[db-restart] ${outcomes.length} requests, ${unavailable.length} × 503 during ${windows.length} restart(s), slowest ${slowest} ms`,
      );

      // Recovered on its own.
      expect((await api.request('GET', '/health')).status).toBe(200);

      // Every accepted job exists; the pipeline (and the reconciler, for messages and webhooks the
      // outage swallowed) brings every job to a terminal state, with one prediction each.
      const accepted = outcomes.flatMap((o) => (o.jobId ? [o.jobId] : []));
      const all = await getDb().selectFrom('ai_jobs').select('id').execute();
      const allIds = all.map((j) => j.id);
      expect(accepted.filter((id) => !allIds.includes(id))).toEqual([]);
      const open = await driveToTerminal(getDb(), allIds, () => ai.settle(), {
        staleAfterSeconds: 0,
        rounds: 6,
      });
      expect(open, 'jobs neither terminal nor progressing after the outage').toEqual([]);
      const jobs = await jobRows(getDb(), allIds);
      const byJob = predictionsByJob(ai.standIn, allIds);
      for (const job of jobs) expect((byJob.get(job.id) ?? []).length).toBeLessThanOrEqual(1);
      expect(jobs.filter((j) => j.status === 'succeeded').length).toBeGreaterThan(0);
      const unsaved = await getDb()
        .selectFrom('media_assets')
        .select(['id', 'status'])
        .where('kind', '=', 'audio')
        .where('status', '<>', 'ready')
        .execute();
      expect(unsaved, 'succeeded music whose audio never reached the bucket').toEqual([]);

      // No credit lost anywhere: the whole database is this file's.
      const violations = await checkInvariants(getDb(), { openJobMaxAgeMs: 0 });
      expect(violations, formatViolations(violations)).toEqual([]);
    },
    soak(90_000, 400_000),
  );

  if (SOAK) {
    it('survives a restart while the pipeline is busy with nothing else going on', async () => {
      const user = await registerUser(api);
      invariants.track(user.id);
      ai.standIn.faults.delayMs = 500;
      const accepted = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          api.request('POST', '/v1/ai/music', { token: user.accessToken, body: { prompt: `busy ${i}` } }),
        ),
      );
      await server.stop();
      await new Promise((r) => setTimeout(r, 1500));
      server = await startServer();
      ai.standIn.faults.reset();
      const ids = accepted.filter((r) => r.status === 202).map((r) => r.body.id as string);
      const open = await driveToTerminal(getDb(), ids, () => ai.settle(), {
        staleAfterSeconds: 0,
        rounds: 6,
      });
      expect(open).toEqual([]);
      const violations = await checkInvariants(getDb(), { openJobMaxAgeMs: 0 });
      expect(violations, formatViolations(violations)).toEqual([]);
    }, 120_000);
  }
});
