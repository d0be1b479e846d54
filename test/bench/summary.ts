import { VIDEO_LISTS } from './chart.ts';
import { importNodeOptions } from './coldstart.ts';
import type { LoadResult } from './protocol.ts';
import type { Results } from './report.ts';
import { type SideBySideReport, STACKS, type Stack } from './sidebyside.ts';
import { median, pairedRoundRatios } from './stats.ts';

/**
 * The one-screen summary at the top of BENCHMARKS.md and the seed-stack sections: every ratio
 * is written so that higher is better (LOKIZ ÷ seed stack req/s, seed stack ÷ LOKIZ p99 and
 * CPU, API ÷ floor req/s, p99 at 10k ÷ p99 at full scale).
 */
const f0 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(0));
const f2 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2));
const x = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? '–' : `${n < 10 ? n.toFixed(2) : n.toFixed(0)}×`;
const msf = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n)
    ? '–'
    : n < 10
      ? n.toFixed(2)
      : n < 100
        ? n.toFixed(1)
        : n.toFixed(0);
const int = (n: number) => n.toLocaleString('en-US');
/** The first five of a long list, and how many more. */
const few = (xs: string[]) =>
  xs.length > 5 ? `${xs.slice(0, 5).join(', ')}, … ${xs.length - 5} more` : xs.join(', ');

export function table(head: string[], rows: string[][], align?: string[]): string {
  const sep = align ?? head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [
    `| ${head.join(' | ')} |`,
    `| ${sep.join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

type Metric = 'rps' | 'p99' | 'cpu';
const value = (run: SideBySideReport['runs'][number], m: Metric) =>
  m === 'rps' ? run.result.rps : m === 'p99' ? run.result.p99 : run.cpuMsPerRequest;

function runsOf(s: SideBySideReport, endpoint: string, stack: Stack) {
  return s.runs.filter((r) => r.endpoint === endpoint && r.stack === stack);
}

/** Per-round ratios (the two runs of a round are minutes apart at most), higher is better. */
export function roundRatios(s: SideBySideReport, endpoint: string, m: Metric): number[] {
  const out: number[] = [];
  for (const r of runsOf(s, endpoint, 'LOKIZ')) {
    const p = runsOf(s, endpoint, 'seed stack').find((q) => q.round === r.round);
    if (!p) continue;
    out.push(m === 'rps' ? value(r, m) / value(p, m) : value(p, m) / value(r, m));
  }
  return out.filter(Number.isFinite);
}

function ratioCell(xs: number[]): string {
  if (!xs.length) return '–';
  const sorted = [...xs].sort((a, b) => a - b);
  return xs.length > 1 ? `**${x(median(xs))}** (${x(sorted[0])}–${x(sorted.at(-1))})` : `**${x(xs[0])}**`;
}

const verdict = (v: number, target: number) => (!Number.isFinite(v) ? '–' : v >= target ? '✓' : '✗');

function statementTps(s: SideBySideReport, stack: Stack, page: 'first' | 'deep', mode: string): number {
  return median(
    s.statements
      .filter((t) => t.stack === stack && t.page === page && t.mode === mode)
      .map((t) => t.result.tps),
  );
}

type Rounded = (LoadResult & { rounds?: LoadResult[] }) | undefined;

/**
 * a ÷ b (by `f`) for two modes measured in the same rounds: the median of the per-round ratios
 * and its cell (ratioCell: with their range); one ratio of the two results when they have no
 * rounds (older saved runs).
 */
function pairedRatio(a: Rounded, b: Rounded, f: (r: LoadResult) => number): { v: number; cell: string } {
  const rs = pairedRoundRatios(a, b, f);
  if (rs.length) return { v: median(rs), cell: ratioCell(rs) };
  const v = a && b ? f(a) / f(b) : Number.NaN;
  return { v, cell: ratioCell([v]) };
}

function failedCount(r: { non2xx: number; errors: number } | undefined): number {
  return r ? r.non2xx + r.errors : 0;
}

/** Every run's failures: [label, non-2xx + socket errors, of which 503 database_unavailable]. */
export function allFailures(r: Results): { runs: number; failed: number; dbu: number; timeouts: number } {
  let runs = 0;
  let failed = 0;
  let dbu = 0;
  let timeouts = 0;
  const add = (
    l: { non2xx: number; errors: number; dbUnavailable?: number; timeouts?: number } | undefined,
  ) => {
    if (!l) return;
    runs += (l as { rounds?: unknown[] }).rounds?.length ?? 1;
    failed += failedCount(l);
    dbu += l.dbUnavailable ?? 0;
    timeouts += l.timeouts ?? 0;
  };
  for (const run of r.sideBySide?.runs ?? []) add(run.result);
  add(r.sideBySide?.oneProcess?.result);
  for (const e of r.endpoints) {
    add(e.api);
    add(e.inproc);
    add(e.floor);
  }
  for (const row of r.scale?.rows ?? []) {
    add(row.ref);
    add(row.refFloor);
  }
  return { runs, failed, dbu, timeouts };
}

export function renderSummary(r: Results, chart: string | undefined): string[] {
  const out: string[] = ['## Summary', ''];
  const s = r.sideBySide;
  const main = r.seeds.find((x) => x.scale.name === r.opts.scale.name);
  const o = r.opts;
  const busy = Math.max(...r.machine.loadBefore.slice(0, 1), ...r.machine.loadAfter.slice(0, 1));
  out.push(
    `${main ? `${int(main.counts.users ?? 0)} users / ${int(main.counts.videos ?? 0)} videos` : o.scale.name}, ` +
      `\`wrk -t${o.threads} -c${o.concurrency} -d${o.durationS}s --latency --timeout 30s\` after ${o.warmupS} s of ` +
      `warm-up, ${o.rounds} rounds with the stacks alternating. LOKIZ: ${o.workers} gateway processes (node:cluster, ` +
      `one port, like the seed stack's \`uvicorn --workers 2\`) × DB pool ${o.pool} (SQLAlchemy's default 5 + 10), ` +
      'media URLs through `MEDIA_CDN_BASE_URL` (plain `<base>/<key>`, nothing signed). PostgreSQL: ' +
      `${r.machine.postgres} (${r.machine.postgresKind}). Whole run: ${(r.wallMs / 60_000).toFixed(1)} min; load ` +
      `average ${r.machine.loadBefore.map(f2).join(' ')} → ${r.machine.loadAfter.map(f2).join(' ')}` +
      `${busy > r.machine.cpus ? ` (**busy machine**: other work ran meanwhile, see Machine)` : ''}. ` +
      '**Every ratio: higher is better**; per-round ratios in parentheses.',
    '',
  );
  if (s?.peerUnavailable) out.push(`**The seed stack did not run: ${s.peerUnavailable}.**`, '');
  if (s && !s.peerUnavailable && !s.comparable) {
    out.push(
      `**Not comparable: LOKIZ has ${int(s.lokizVideos)} visible videos at this scale, the seed stack ` +
        `${int(s.peerVideos ?? 0)}** (its seed.sql is fixed): a smoke test of the machinery, not a result.`,
      '',
    );
  }
  const rows: string[][] = [];
  if (s && !s.peerUnavailable) {
    const first = 'feed, first page';
    const deep = s.endpoints[1]!.name;
    const rr = (e: string, m: Metric) => roundRatios(s, e, m);
    const row = (what: string, target: string, t: number, xs: number[]) => [
      what,
      target,
      ratioCell(xs),
      verdict(median(xs), t),
    ];
    rows.push(
      row('feed, first page: LOKIZ ÷ seed stack req/s', '≥ 3× (aim 5×)', 3, rr(first, 'rps')),
      row('feed, first page: seed stack p99 ÷ LOKIZ p99', '≥ 1×', 1, rr(first, 'p99')),
      row(`${deep}: LOKIZ ÷ seed stack req/s`, '≥ 50×', 50, rr(deep, 'rps')),
      row('video by id: LOKIZ ÷ seed stack req/s', '≥ 3×', 3, rr('video by id', 'rps')),
      row('CPU per feed request (app processes, /proc): seed stack ÷ LOKIZ', '≥ 4×', 4, rr(first, 'cpu')),
    );
    const ours = statementTps(s, 'LOKIZ', 'first', 'prepared');
    const planned = statementTps(s, 'LOKIZ', 'first', 'extended');
    const theirs = statementTps(s, 'seed stack', 'first', 'simple');
    rows.push([
      `feed SQL alone (pgbench -c${s.floorClients}): LOKIZ statement ÷ seed stack's ORM statement tps`,
      '≥ 0.67× (within 1.5×)',
      `**${x(ours / theirs)}** as sent now (plan reused); ${x(planned / theirs)} planned every time`,
      verdict(ours / theirs, 1 / 1.5),
    ]);
  }
  const lists = r.endpoints.filter((e) => e.api && e.floor && VIDEO_LISTS.includes(e.name));
  if (lists.length) {
    const ratios = lists.map((e) => ({ name: e.name, ...pairedRatio(e.api, e.floor, (q) => q.rps) }));
    const worst = ratios.sort((a, b) => a.v - b.v)[0]!;
    rows.push([
      `API ÷ SQL floor req/s, every list endpoint returning videos (worst${lists.some((e) => e.api?.rounds) ? '; median of the rounds' : ''})`,
      '≥ 0.5×',
      `${worst.cell} (${worst.name}); all: ${ratios.map((q) => x(q.v)).join(', ')}`,
      verdict(worst.v, 0.5),
    ]);
  }
  if (r.scale?.rows.length) {
    const flat = r.scale.rows
      .map((row) => ({
        name: row.name,
        // p99 at 10k ÷ p99 at full scale: higher is better.
        ...pairedRatio(row.ref, r.endpoints.find((e) => e.name === row.name)?.api, (q) => q.p99),
      }))
      .filter((q) => Number.isFinite(q.v))
      .sort((a, b) => a.v - b.v);
    if (flat.length) {
      rows.push([
        `p99 at ${r.scale.ref.name} ÷ p99 at ${main ? `${int(main.counts.videos ?? 0)} videos` : 'full scale'} (worst endpoint${r.scale.rows.some((row) => row.ref.rounds) ? '; median of the rounds' : ''})`,
        '≥ 0.67× (growth ≤ 1.5×)',
        `${flat[0]!.cell} (${flat[0]!.name}); all: ${flat.map((q) => `${q.name} ${x(q.v)}`).join(', ')}`,
        verdict(flat[0]!.v, 1 / 1.5),
      ]);
    }
  }
  if (r.coldStart) {
    // Issue 11's cold-start targets, on Lambda's Node.js when the bench could get it (coldstart.ts).
    const c = r.coldStart;
    const kib = (n: number) => (n / 1024).toFixed(0);
    const byBytes = [...c.bundles].sort((a, b) => b.bytes - a.bytes);
    const over = byBytes.filter((b) => b.bytes > 300 * 1024);
    rows.push([
      `Lambda bundle loaded at start-up (index.mjs and its static chunks), every function (largest)`,
      '≤ 300 KiB',
      `**${kib(byBytes[0]!.bytes)} KiB** (${byBytes[0]!.name}); ${over.length} of ${c.bundles.length} over 300 KiB` +
        (over.length ? ` (${few(over.map((b) => `${b.name} ${kib(b.bytes)}`))})` : ''),
      over.length ? '✗' : '✓',
    ]);
    const noSdk = c.bundles.filter((b) => b.sdkAtLoad && b.sdkAtLoad.length === 0);
    const slowest = [...noSdk].sort((a, b) => b.importMs - a.importMs);
    if (slowest.length) {
      const slow = slowest.filter((b) => b.importMs > 60);
      rows.push([
        `median import, functions that load no AWS SDK client (Node.js ${c.nodeVersion}, NODE_OPTIONS as ` +
          `deployed: ${importNodeOptions(c).join(' ') || 'none'}; hello world ` +
          `${msf(c.hello.importMs)} ms on this machine; slowest)`,
        '≤ 60 ms',
        `**${msf(slowest[0]!.importMs)} ms** (${slowest[0]!.name}); ${slow.length} of ${noSdk.length} over 60 ms` +
          (slow.length ? ` (${few(slow.map((b) => `${b.name} ${msf(b.importMs)}`))})` : ''),
        slow.length ? '✗' : '✓',
      ]);
    }
  }
  const f = allFailures(r);
  rows.push([
    `failed requests over all ${f.runs} runs (non-2xx + socket errors)`,
    '0',
    `**${int(f.failed)}**, of which ${int(f.timeouts)} timeouts and ${int(f.dbu)} × 503 database_unavailable`,
    f.failed === 0 ? '✓' : '✗',
  ]);
  if (s?.oneProcess) {
    const p = s.oneProcess.result;
    rows.push([
      `feed on ONE gateway process, ${o.concurrency} connections, DB pool ${s.oneProcess.pool} (CPU-saturated)`,
      '0 failed, 0 × 503',
      `**${int(p.dbUnavailable)}** × 503 database_unavailable (${int(failedCount(p))} failed of ${int(p.requests)}; ${f0(p.rps)} req/s, p99 ${msf(p.p99)} ms)`,
      // A run that answered nothing but errors measured nothing: it fails the row however fast it was.
      p.dbUnavailable === 0 && failedCount(p) === 0 && p.requests > 0 ? '✓' : '✗',
    ]);
  }
  out.push(table(['', 'target', 'result', ''], rows, ['---', '---', '---', '---']), '');
  if (s && !s.peerUnavailable) {
    // The same stack, the same request, minutes apart: how much the machine moved the numbers.
    const spread = s.endpoints
      .flatMap((e) =>
        STACKS.map((stack) => {
          const rps = runsOf(s, e.name, stack).map((q) => q.result.rps);
          return { what: `${stack} ${e.name}`, v: Math.max(...rps) / Math.min(...rps) };
        }),
      )
      .filter((q) => Number.isFinite(q.v))
      .sort((a, b) => b.v - a.v)[0];
    if (spread && spread.v > 1.5) {
      out.push(
        `Between rounds, the same request on the same stack varied up to ${x(spread.v)} in req/s (${spread.what}): ` +
          'on this shared machine the other work running at the time moves the ratios more than the code does; ' +
          'compare on a quiet machine before reading a ✗ as a regression.',
        '',
      );
    }
  }
  if (chart) out.push(`![req/s per endpoint: seed stack, LOKIZ and the SQL floor](${chart})`, '');
  return out;
}

/** The seed stack section: every run, the feed SQL alone, and what RDS Proxy accepts. */
export function renderSideBySide(r: Results): string[] {
  const s = r.sideBySide;
  if (!s) return [];
  const o = r.opts;
  const out: string[] = ['', '## Seed stack vs LOKIZ', ''];
  if (s.peerUnavailable) {
    out.push(`The seed stack did not run: ${s.peerUnavailable}. LOKIZ's runs below stand alone.`, '');
  } else {
    out.push(
      `The seed stack (${s.peerVersions}) runs from \`${s.peerDir}\` exactly as its run.sh starts it ` +
        `(\`uvicorn app:app --workers 2 --no-access-log\`, database \`seedstack\` seeded by its seed.sql: ` +
        `${int(s.peerVideos ?? 0)} videos), on the same PostgreSQL server as LOKIZ. LOKIZ is measured anonymous ` +
        `like the seed stack (it has no auth), deep page = the page after the ${int(s.deepRows)}th feed row (seed ` +
        `stack: \`skip=${s.deepRows}\`; LOKIZ: a keyset cursor there). Each measured run follows a ${o.warmupS} s ` +
        'warm-up and is followed by a drain (no statement running, /health fast). CPU = utime + stime of the ' +
        "stack's app processes (LOKIZ: cluster primary + gateway workers; seed stack: uvicorn's supervisor + " +
        'workers) over the measured run ÷ requests answered; PostgreSQL backends are not counted on either side.',
      '',
    );
  }
  const order = (name: string) => s.endpoints.findIndex((e) => e.name === name);
  const rows = [...s.runs]
    .sort(
      (a, b) => order(a.endpoint) - order(b.endpoint) || a.round - b.round || a.stack.localeCompare(b.stack),
    )
    .map((run) => {
      const e = s.endpoints.find((q) => q.name === run.endpoint)!;
      const res = run.result;
      return [
        run.endpoint,
        String(run.round),
        run.stack,
        `\`${run.stack === 'LOKIZ' ? e.lokizPath.replace(/cursor=[^&]+/, 'cursor=…') : e.peerPath}\``,
        f0(run.stack === 'LOKIZ' ? e.lokizBytes : e.peerBytes),
        f0(res.rps),
        msf(res.p50),
        msf(res.p99),
        msf(run.cpuMsPerRequest),
        String(run.processes),
        `${int(res.non2xx)} / ${int(res.timeouts)} / ${int(res.dbUnavailable)}`,
      ];
    });
  out.push(
    table(
      [
        'endpoint',
        'round',
        'stack',
        'path',
        'bytes',
        'req/s',
        'p50 ms',
        'p99 ms',
        'CPU ms/req',
        'procs',
        'non-2xx / timeouts / 503 db',
      ],
      rows,
      ['---', '---:', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
    ),
    '',
  );
  if (s.floors.length) {
    out.push(
      `SQL floor of LOKIZ's own requests (their statements replayed from Node through a pool of ${s.floorClients}, ` +
        `${o.concurrency} closed loops): ${s.floors.map((f) => `${f.endpoint} ${f0(f.result.rps)} req/s`).join(', ')}.`,
      '',
    );
  }

  if (s.statements.length) {
    const modes: [Stack, string, string][] = [
      [
        'seed stack',
        'simple',
        "seed stack's ORM statement, as psycopg2 sends it (literals, simple protocol)",
      ],
      ['LOKIZ', 'extended', 'LOKIZ statement as an unnamed statement (planned on every execution: before)'],
      [
        'LOKIZ',
        'prepared',
        'LOKIZ statement as a named prepared statement (plan reused: what the app sends now)',
      ],
    ];
    out.push(
      '### The feed SQL alone',
      '',
      `pgbench, ${s.floorClients} clients (what both stacks' pools hold at most: ${s.workers} × ${s.pool}), ` +
        `${o.endpointDurationS} s per run, ${o.rounds} rounds alternating; tps (median of rounds) and the ratio to the ` +
        "seed stack's statement on the same page (higher is better):",
      '',
      table(
        ['statement', 'first page tps', 'ratio', 'deep page tps', 'ratio'],
        modes.map(([stack, mode, label]) => {
          const a = statementTps(s, stack, 'first', mode);
          const b = statementTps(s, stack, 'deep', mode);
          const pa = statementTps(s, 'seed stack', 'first', 'simple');
          const pb = statementTps(s, 'seed stack', 'deep', 'simple');
          return [label, f0(a), x(a / pa), f0(b), x(b / pb)];
        }),
        ['---', '---:', '---:', '---:', '---:'],
      ),
      '',
      "LOKIZ's feed statement joins four tables (owner, glitch link, glitch source for its availability) where the " +
        "seed stack's joins two, and on every execution PostgreSQL plans it anew: with the 8 indexes of `videos` " +
        '(feed, owner, search trigram and bigram, …) the planner weighs, planning took about as long as running it. ' +
        'Fewer joins would still plan every time; so the hot statements (the feed in all its forms and a video by ' +
        "id) are now sent as **named prepared statements** through the extended protocol (pg's `name` option, " +
        'shared/db/plan-reuse.ts): parsed once per connection, and after five executions PostgreSQL keeps the generic ' +
        'plan and plans no more. For that the visibility constants and the page size are SQL literals (a generic ' +
        'plan cannot match the partial feed index against parameters: with `limit $1` PostgreSQL kept planning ' +
        'custom plans, 7 of 7). The extra joins stay: they are what lets a glitch show its source and whether that ' +
        'source is still visible without a second round trip per page.',
      '',
      '**RDS Proxy and plan reuse.** The RDS Proxy documentation lists what pins a PostgreSQL session: `SET`, ' +
        'SQL-level `PREPARE`/`EXECUTE`/`DEALLOCATE`/`DISCARD`, temporary tables, cursors, `LISTEN`, advisory locks ' +
        '(<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-pinning.html>). Prepared statements made ' +
        'with the extended protocol\'s Parse message are multiplexed since "Amazon RDS Proxy multiplexing support for ' +
        'PostgreSQL Extended Query Protocol" (<https://aws.amazon.com/blogs/database/amazon-rds-proxy-multiplexing-' +
        'support-for-postgresql-extended-query-protocol/>): the proxy remembers the Parse of a named statement and ' +
        're-sends it on whichever database connection it borrows next (Amazon\'s patent US 11,943,316 B1, "Database ' +
        'connection multiplexing for prepared statements", describes exactly that). Before that launch every Parse ' +
        'pinned ("Reason: A parse message was detected", elixir-ecto/postgrex#514, brianc/node-postgres#2326). So LOKIZ uses pg\'s `name` option, never ' +
        'SQL `PREPARE`, and never `DEALLOCATE ALL` (psycopg/psycopg#1105: that one pins). To check on day one: the ' +
        "proxy's `DatabaseConnectionsCurrentlySessionPinned` metric stays at 0 under the feed.",
      '',
    );
    const sqlRows = s.statementSql.filter((q) => q.page === 'first');
    for (const q of sqlRows) {
      out.push(
        `${q.stack}, first page (${q.protocol}):`,
        '',
        '```sql',
        q.sql.replace(/\s+/g, ' ').trim(),
        '```',
        '',
      );
    }
  }
  if (s.oneProcess) {
    const p = s.oneProcess.result;
    out.push(
      '### 50 connections on one process',
      '',
      `The feed's first page on ONE gateway process (\`npm run dev\`'s pool of ${s.oneProcess.pool} connections) at ` +
        `${o.concurrency} connections, in the same environment as the runs above (which saturates its one core): ${f0(p.rps)} req/s, p99 ${msf(p.p99)} ms, ${msf(s.oneProcess.cpuMsPerRequest)} ms CPU ` +
        `per request, **${int(p.dbUnavailable)} × 503 database_unavailable**, ${int(failedCount(p))} failed in all. ` +
        "Before, pg-pool's `connectionTimeoutMillis` (DB_CONNECT_TIMEOUT_MS, 3 s, meant for opening a connection) " +
        'also bounded the wait for a pooled connection: with 50 requests in one process on a pool of 10-16 and the ' +
        'CPU saturated, a checkout waited over 3 s and the request came back 503 database_unavailable from a healthy ' +
        "database. Now the pool wait has its own bound (`DB_POOL_WAIT_MS`, 10 s, like SQLAlchemy's `pool_timeout`) " +
        "and each connection attempt keeps the 3 s connect timeout (pg's Client enforces it itself): a database that " +
        'does not answer still gives a 503 in 3 s (test/functions/system/pool-wait.test.ts).',
      '',
    );
  }
  return out;
}
