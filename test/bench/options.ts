import { DEFAULT_SCALE, SCALES, type Scale } from './scale.ts';

export const SECTIONS = ['load', 'scale', 'coldstart', 'media'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  scale: Scale;
  sections: Set<Section>;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  coldStartRuns: number;
  mediaRuns: number;
  out: string;
  argv: string[];
}

/**
 * `npm run bench -- --scale=small --only=load,coldstart --duration=5 --out=/tmp/b.md`; each
 * flag also reads BENCH_<NAME> from the environment (BENCH_SCALE=small).
 */
export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg} (flags look like --scale=small)`);
    flags.set(m[1]!, m[2] ?? 'true');
  }
  const get = (name: string, fallback: string) =>
    flags.get(name) ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
  const num = (name: string, fallback: number) => {
    const v = Number(get(name, String(fallback)));
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  const known = new Set([
    'scale',
    'only',
    'concurrency',
    'duration',
    'warmup',
    'coldstart-runs',
    'media-runs',
    'out',
  ]);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown flag --${k}`);

  const scaleName = get('scale', 'default');
  const scale = SCALES[scaleName];
  if (!scale) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const only = get('only', SECTIONS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only takes ${SECTIONS.join(', ')}`);
  }
  return {
    scale: scale ?? DEFAULT_SCALE,
    sections: new Set(only as Section[]),
    concurrency: Math.round(num('concurrency', 16)),
    durationMs: num('duration', 10) * 1000,
    warmupMs: num('warmup', 2) * 1000,
    coldStartRuns: Math.round(num('coldstart-runs', 5)),
    mediaRuns: Math.round(num('media-runs', 5)),
    out: get('out', 'BENCHMARKS.md'),
    argv,
  };
}
