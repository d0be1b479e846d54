import { DEFAULT_SCALE, SCALES, type Scale } from './scale.ts';

export const SECTIONS = ['peer', 'load', 'scale', 'coldstart', 'media'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  scale: Scale;
  sections: Set<Section>;
  /** HTTP connections (wrk -c) and closed loops of the baselines. */
  concurrency: number;
  /** wrk -t. */
  threads: number;
  /** Seconds per measured side-by-side run (wrk -d). */
  durationS: number;
  /** Seconds per measured run of the per-endpoint tables and the SQL floors. */
  endpointDurationS: number;
  /** Seconds of warm-up before each measured run (discarded). */
  warmupS: number;
  /** Side-by-side rounds (the stacks alternating which goes first), and rounds of the per-endpoint runs. */
  rounds: number;
  /** Gateway processes sharing the port (uvicorn --workers of the peer: 2). */
  workers: number;
  /** DB_POOL_MAX of each gateway process. */
  pool: number;
  peerDir: string;
  postgres: 'cluster' | 'embedded';
  reseed: boolean;
  coldStartRuns: number;
  mediaRuns: number;
  /** Lengths (s) of the 1080p clips through the transcode; the longest is the studio's worst case. */
  mediaSeconds: number[];
  out: string;
  /** Re-render the report from the last run's saved results (no measuring). */
  reportOnly: boolean;
  /** With --only=coldstart: put the new cold-start measurement into the last run's report instead of a new one. */
  intoLastRun: boolean;
  argv: string[];
}

const FLAGS = {
  scale: 'default',
  only: SECTIONS.join(','),
  concurrency: '50',
  threads: '2',
  duration: '20',
  // Each measured three times (--rounds), alternating with the other modes (run.ts loadSection).
  'endpoint-duration': '6',
  warmup: '3',
  rounds: '3',
  workers: '2',
  // SQLAlchemy's default QueuePool per worker: pool_size 5 + max_overflow 10.
  pool: '15',
  'peer-dir': '../shared/peer-seed-stack',
  postgres: 'cluster',
  reseed: 'false',
  'coldstart-runs': '5',
  'media-runs': '5',
  // 180 s is the longest upload allowed.
  'media-seconds': '15,60,180',
  out: 'BENCHMARKS.md',
  'report-only': 'false',
  'into-last-run': 'false',
} as const;

/** `--scale=small` is the smoke test: short runs unless given. */
const SMALL_DEFAULTS: Partial<Record<keyof typeof FLAGS, string>> = {
  duration: '4',
  'endpoint-duration': '3',
  warmup: '1',
  rounds: '2',
  'coldstart-runs': '2',
  'media-runs': '2',
  'media-seconds': '15',
};

/**
 * `npm run bench -- --scale=small --only=peer,load --duration=5 --out=/tmp/b.md`; each flag also
 * reads BENCH_<NAME> from the environment (BENCH_SCALE=small, BENCH_PEER_DIR=…).
 */
export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg} (flags look like --scale=small)`);
    if (!(m[1]! in FLAGS))
      throw new Error(`unknown flag --${m[1]} (known: ${Object.keys(FLAGS).join(', ')})`);
    flags.set(m[1]!, m[2] ?? 'true');
  }
  const given = (name: keyof typeof FLAGS) =>
    flags.get(name) ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const scaleName = given('scale') ?? FLAGS.scale;
  const scale = SCALES[scaleName];
  if (!scale) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const get = (name: keyof typeof FLAGS) =>
    given(name) ?? (scale.name === 'small' ? SMALL_DEFAULTS[name] : undefined) ?? FLAGS[name];
  const num = (name: keyof typeof FLAGS) => {
    const v = Number(get(name));
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  const only = get('only')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only takes ${SECTIONS.join(', ')}`);
  }
  if (get('into-last-run') === 'true' && (only.length !== 1 || only[0] !== 'coldstart')) {
    throw new Error('--into-last-run re-measures cold start only: use it with --only=coldstart');
  }
  const postgres = get('postgres');
  if (postgres !== 'cluster' && postgres !== 'embedded') throw new Error('--postgres is cluster or embedded');
  return {
    scale: scale ?? DEFAULT_SCALE,
    sections: new Set(only as Section[]),
    concurrency: Math.round(num('concurrency')),
    threads: Math.round(num('threads')),
    durationS: num('duration'),
    endpointDurationS: num('endpoint-duration'),
    warmupS: num('warmup'),
    rounds: Math.round(num('rounds')),
    workers: Math.round(num('workers')),
    pool: Math.round(num('pool')),
    peerDir: get('peer-dir'),
    postgres,
    reseed: get('reseed') === 'true',
    coldStartRuns: Math.round(num('coldstart-runs')),
    mediaRuns: Math.round(num('media-runs')),
    mediaSeconds: mediaSeconds(get('media-seconds')),
    out: get('out'),
    reportOnly: get('report-only') === 'true',
    intoLastRun: get('into-last-run') === 'true',
    argv,
  };
}

function mediaSeconds(value: string): number[] {
  const seconds = value.split(',').map((s) => Number(s.trim()));
  if (!seconds.length || seconds.some((s) => !Number.isInteger(s) || s < 10 || s > 180)) {
    throw new Error('--media-seconds takes whole seconds from 10 to 180, comma-separated (15,60,180)');
  }
  return seconds.sort((a, b) => a - b);
}
