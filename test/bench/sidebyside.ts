import pg from 'pg';
import { encodeCursor } from '../../shared/pagination/keyset.ts';
import type { Child } from './children.ts';
import type { BenchOptions } from './options.ts';
import type { Peer, PeerServer } from './peer.ts';
import { inlineParameters, type PgbenchMode, type PgbenchResult, runPgbench } from './pgbench.ts';
import { hasProc, TICKS_PER_SECOND, treeTicks } from './proc.ts';
import type { LoadResult, Statement } from './protocol.ts';
import { runWrk, type WrkResult } from './wrk.ts';

/**
 * The seed stack and LOKIZ side by side on the same PostgreSQL server and the same wrk flags:
 * for each endpoint, rounds alternating which stack goes first, each measured run preceded by a
 * warm-up and followed by a drain; CPU per request of each stack's app processes from /proc.
 * Then the feed's SQL alone (pgbench, both statements at the same concurrency), and the feed on
 * one gateway process at the same concurrency (the 503 case).
 */
export const STACKS = ['seed stack', 'LOKIZ'] as const;
export type Stack = (typeof STACKS)[number];

export interface CompareEndpoint {
  name: string;
  lokizPath: string;
  peerPath?: string;
  lokizBytes?: number;
  peerBytes?: number;
}

export interface StackRun {
  stack: Stack;
  endpoint: string;
  round: number;
  result: WrkResult;
  /** CPU of the stack's app processes (utime + stime) during the run ÷ requests answered. */
  cpuMsPerRequest: number;
  processes: number;
}

export interface StatementRun {
  stack: Stack;
  page: 'first' | 'deep';
  mode: PgbenchMode;
  round: number;
  result: PgbenchResult;
}

export interface SideBySideReport {
  /** Why the seed stack did not run, when it did not. */
  peerUnavailable?: string;
  peerVersions?: string;
  peerDir?: string;
  /** Both stacks on the same data sizes (the seed stack's seed.sql is always 100k / 1M). */
  comparable: boolean;
  lokizVideos: number;
  peerVideos?: number;
  deepRows: number;
  workers: number;
  pool: number;
  floorClients: number;
  endpoints: CompareEndpoint[];
  runs: StackRun[];
  statements: StatementRun[];
  statementSql: { stack: Stack; page: 'first' | 'deep'; sql: string; protocol: string }[];
  /** LOKIZ's SQL for each endpoint replayed from Node at the same concurrency (the floor worker). */
  floors: { endpoint: string; result: LoadResult }[];
  oneProcess?: { result: WrkResult; cpuMsPerRequest: number; pool: number };
}

export interface SideBySideContext {
  opts: BenchOptions;
  log: (l: string) => void;
  mainUrl: string;
  peer: Peer | string;
  /** Starts the gateway with the bench's environment plus `env` (undefined removes a variable). */
  startServer: (name: string, workers: number, env: Record<string, string | undefined>) => Promise<Child>;
  stopChild: (c: Child) => Promise<void>;
  /** The floor worker's replay of one request's statements at the bench's concurrency. */
  floorRun: (statements: Statement[]) => Promise<LoadResult>;
}

const visible = `status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`;

/** Waits until the stack's database has no running statements and its /health answers fast. */
async function drain(admin: pg.Client, database: string, healthUrl: string): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 480; i++) {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = $1 AND state <> 'idle' AND pid <> pg_backend_pid()`,
      [database],
    );
    const t0 = performance.now();
    const ok = await fetch(healthUrl).then(
      async (r) => {
        await r.arrayBuffer();
        return r.ok;
      },
      () => false,
    );
    if (rows[0]!.n === 0 && ok && performance.now() - t0 < 50) {
      if (++quiet >= 3) return;
    } else quiet = 0;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function sizeOf(url: string): Promise<number> {
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  // A server that answers errors would measure only how fast it fails: stop and say why.
  if (!res.ok)
    throw new Error(`${url}: HTTP ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return body.byteLength;
}

/**
 * A measured wrk run with the CPU its app processes used meanwhile, after a warm-up whose
 * backlog (requests the server still works on when wrk stops) is drained first.
 */
async function measured(
  base: string,
  path: string,
  rootPid: number,
  o: BenchOptions,
  drained: () => Promise<void>,
): Promise<{ result: WrkResult; cpuMsPerRequest: number; processes: number }> {
  const wrk = { threads: o.threads, connections: o.concurrency, timeoutS: 30 };
  const req = [{ method: 'GET' as const, url: path }];
  await runWrk(base, req, { ...wrk, durationS: o.warmupS });
  await drained();
  const durationS = o.durationS;
  const before = treeTicks(rootPid);
  const result = await runWrk(base, req, { ...wrk, durationS });
  const after = treeTicks(rootPid);
  const ms = ((after.ticks - before.ticks) * 1000) / TICKS_PER_SECOND;
  return {
    result,
    cpuMsPerRequest: hasProc() && result.requests ? ms / result.requests : Number.NaN,
    processes: after.pids.length,
  };
}

export async function sideBySide(ctx: SideBySideContext): Promise<SideBySideReport> {
  const { opts, log } = ctx;
  const peer = typeof ctx.peer === 'string' ? undefined : ctx.peer;
  const admin = new pg.Client({ connectionString: ctx.mainUrl });
  await admin.connect();
  const lokizDb = new URL(ctx.mainUrl).pathname.slice(1);
  const servers: { lokiz?: Child; peer?: PeerServer } = {};
  try {
    const lokizVideos = Number(
      (await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM videos WHERE ${visible}`)).rows[0]!
        .n,
    );
    // The deep page starts after the 100 000th feed row, like the seed stack's skip=100000
    // (at a small scale: halfway down the feed).
    const deepRows = Math.min(100_000, Math.floor(lokizVideos / 2));
    const at = async (offset: number) =>
      (
        await admin.query<{ t: string; id: string }>(
          `SELECT (extract(epoch FROM created_at) * 1000000)::bigint::text AS t, id::text AS id FROM videos
           WHERE ${visible} ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
          [offset],
        )
      ).rows[0]!;
    const deep = await at(deepRows - 1);
    const byId = await at(1000);
    const endpoints: CompareEndpoint[] = [
      { name: 'feed, first page', lokizPath: '/v1/videos?limit=20', peerPath: '/v1/videos/?limit=20' },
      {
        name: 'feed, ~100k rows deep',
        lokizPath: `/v1/videos?limit=20&cursor=${encodeCursor(deep)}`,
        peerPath: `/v1/videos/?skip=${deepRows}&limit=20`,
      },
      {
        name: 'video by id',
        lokizPath: `/v1/videos/${byId.id}`,
        ...(peer ? { peerPath: `/v1/videos/${peer.videoId}` } : {}),
      },
    ];
    const report: SideBySideReport = {
      ...(typeof ctx.peer === 'string' ? { peerUnavailable: ctx.peer } : {}),
      ...(peer ? { peerVersions: peer.versions, peerDir: peer.dir, peerVideos: peer.seeded.videos } : {}),
      comparable: Boolean(peer && opts.scale.videos === peer.seeded.videos),
      lokizVideos,
      deepRows,
      workers: opts.workers,
      pool: opts.pool,
      floorClients: opts.workers * opts.pool,
      endpoints,
      runs: [],
      statements: [],
      statementSql: [],
      floors: [],
    };

    const cdnEnv = { MEDIA_CDN_BASE_URL: 'https://media.example.invalid', DB_POOL_MAX: String(opts.pool) };
    servers.lokiz = await ctx.startServer('LOKIZ gateway', opts.workers, cdnEnv);
    if (peer) servers.peer = await peer.start();
    for (const e of endpoints) {
      e.lokizBytes = await sizeOf(`${servers.lokiz.url}${e.lokizPath}`);
      if (servers.peer && e.peerPath) e.peerBytes = await sizeOf(`${servers.peer.url}${e.peerPath}`);
    }
    const peerDb = peer ? new URL(peer.databaseUrl).pathname.slice(1) : '';

    for (let round = 1; round <= opts.rounds; round++) {
      for (const e of endpoints) {
        // Round 1: the seed stack first; round 2: LOKIZ first; and so on.
        const order: Stack[] = round % 2 ? ['seed stack', 'LOKIZ'] : ['LOKIZ', 'seed stack'];
        for (const stack of order) {
          const server = stack === 'LOKIZ' ? servers.lokiz : servers.peer;
          const path = stack === 'LOKIZ' ? e.lokizPath : e.peerPath;
          if (!server || !path) continue;
          const drained = () => drain(admin, stack === 'LOKIZ' ? lokizDb : peerDb, `${server.url}/health`);
          const run = await measured(server.url!, path, server.pid, opts, drained);
          await drained();
          report.runs.push({ stack, endpoint: e.name, round, ...run });
          const r = run.result;
          log(
            `  round ${round} ${e.name} ${stack}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(0)} ms, ` +
              `${run.cpuMsPerRequest.toFixed(2)} ms CPU/req, ${r.non2xx + r.errors} failed`,
          );
        }
      }
    }

    // The feed's own SQL: both statements exactly as each stack sends them, replayed by pgbench.
    log('feed SQL alone (pgbench)…');
    const sequences = new Map<string, Statement[]>();
    for (const e of endpoints) {
      await servers.lokiz.startCapture();
      await (await fetch(`${servers.lokiz.url}${e.lokizPath}`)).arrayBuffer();
      sequences.set(e.name, await servers.lokiz.captured());
    }
    const main = (name: string) =>
      [...sequences.get(name)!].sort((a, b) => b.text.length - a.text.length)[0]!;
    const ours = { first: main(endpoints[0]!.name), deep: main(endpoints[1]!.name) };
    const theirs = peer
      ? { first: await peer.feedSql(0, 20), deep: await peer.feedSql(deepRows, 20) }
      : undefined;
    for (const page of ['first', 'deep'] as const) {
      const s = ours[page];
      report.statementSql.push({
        stack: 'LOKIZ',
        page,
        sql: inlineParameters(s),
        protocol: s.name ? 'named prepared statement (extended protocol)' : 'unnamed (extended protocol)',
      });
      if (theirs)
        report.statementSql.push({
          stack: 'seed stack',
          page,
          sql: theirs[page],
          protocol: 'simple (psycopg2)',
        });
    }
    await ctx.stopChild(servers.lokiz);
    servers.lokiz = undefined;
    await servers.peer?.stop();
    servers.peer = undefined;
    for (const e of endpoints) {
      const result = await ctx.floorRun(sequences.get(e.name)!);
      report.floors.push({ endpoint: e.name, result });
      log(`  ${e.name}: SQL floor ${result.rps.toFixed(0)} req/s`);
    }
    const bench = { clients: report.floorClients, threads: opts.threads, durationS: opts.endpointDurationS };
    for (let round = 1; round <= opts.rounds; round++) {
      for (const page of ['first', 'deep'] as const) {
        const jobs: [Stack, PgbenchMode, string, string][] = [
          ['LOKIZ', 'extended', ctx.mainUrl, inlineParameters(ours[page])],
          ['LOKIZ', 'prepared', ctx.mainUrl, inlineParameters(ours[page])],
          ...(theirs && peer
            ? [
                ['seed stack', 'simple', peer.databaseUrl, theirs[page]] as [
                  Stack,
                  PgbenchMode,
                  string,
                  string,
                ],
              ]
            : []),
        ];
        if (round % 2 === 0) jobs.reverse();
        for (const [stack, mode, url, text] of jobs) {
          const result = await runPgbench(url, [text], { ...bench, mode });
          report.statements.push({ stack, page, mode, round, result });
          log(`  round ${round} ${page} page ${stack} (${mode}): ${result.tps.toFixed(0)} tps`);
        }
      }
    }

    // One gateway process, npm run dev's pool of 10, 50 connections: the CPU-saturated case in
    // which pool checkouts used to time out into 503s. Same environment as the LOKIZ runs (CDN
    // URLs, NODE_ENV=production): without MEDIA_CDN_BASE_URL a production config refuses to start
    // a request at all, which once made this run measure 11,697 fast config errors.
    log('feed on one gateway process (DB_POOL_MAX=10)…');
    const single = await ctx.startServer('gateway (1 process)', 1, { ...cdnEnv, DB_POOL_MAX: '10' });
    try {
      const drained = () => drain(admin, lokizDb, `${single.url}/health`);
      await sizeOf(`${single.url}${endpoints[0]!.lokizPath}`);
      const run = await measured(single.url!, endpoints[0]!.lokizPath, single.pid, opts, drained);
      report.oneProcess = { result: run.result, cpuMsPerRequest: run.cpuMsPerRequest, pool: 10 };
      log(`  ${run.result.rps.toFixed(0)} req/s, ${run.result.dbUnavailable} × 503 database_unavailable`);
    } finally {
      await ctx.stopChild(single);
    }
    return report;
  } finally {
    if (servers.lokiz) await ctx.stopChild(servers.lokiz);
    await servers.peer?.stop();
    await admin.end();
  }
}
