import type { LoadResult } from './protocol.ts';

/** Latencies (ms) and status codes of one measured run, in any of the three modes. */
export class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private n = 0;
  private codes: Record<string, number> = {};
  errors = 0;

  record(ms: number, status: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = ms;
    this.codes[status] = (this.codes[status] ?? 0) + 1;
  }

  result(durationMs: number): LoadResult {
    const sorted = this.values.slice(0, this.n).sort();
    const at = (q: number) =>
      this.n ? sorted[Math.min(this.n - 1, Math.ceil(q * this.n) - 1)]! : Number.NaN;
    let sum = 0;
    for (const v of sorted) sum += v;
    const non2xx = Object.entries(this.codes)
      .filter(([code]) => !code.startsWith('2'))
      .reduce((s, [, c]) => s + c, 0);
    return {
      requests: this.n,
      durationMs,
      rps: (this.n / durationMs) * 1000,
      p50: at(0.5),
      p99: at(0.99),
      mean: this.n ? sum / this.n : Number.NaN,
      max: this.n ? sorted[this.n - 1]! : Number.NaN,
      non2xx,
      errors: this.errors,
      statusCodes: { ...this.codes },
    };
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A mode's measured runs of one endpoint, over the rounds: medians, with the runs themselves kept. */
export type RoundsResult<R extends LoadResult> = R & { rounds: R[] };

/**
 * Rounds of one mode, as one result: each rate and latency is the median over the rounds (a slow
 * spell of the shared machine moves one round, not the figure); requests and failures add up.
 */
export function mergeRounds<R extends LoadResult & { cpuMsPerRequest?: number }>(
  rounds: R[],
): RoundsResult<R> {
  if (!rounds.length) throw new Error('mergeRounds: no rounds');
  const med = (f: (r: R) => number | undefined) => median(rounds.map(f).filter((v) => v !== undefined));
  const sum = (f: (r: R) => number | undefined) => rounds.reduce((s, r) => s + (f(r) ?? 0), 0);
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) {
    for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  const extra = rounds[0] as Record<string, unknown>;
  return {
    ...rounds[0]!,
    requests: sum((r) => r.requests),
    durationMs: sum((r) => r.durationMs),
    rps: med((r) => r.rps),
    p50: med((r) => r.p50),
    p99: med((r) => r.p99),
    mean: med((r) => r.mean),
    max: Math.max(...rounds.map((r) => r.max)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    statusCodes,
    ...('cpuMsPerRequest' in extra ? { cpuMsPerRequest: med((r) => r.cpuMsPerRequest) } : {}),
    ...('timeouts' in extra ? { timeouts: sum((r) => (r as { timeouts?: number }).timeouts) } : {}),
    ...('dbUnavailable' in extra
      ? { dbUnavailable: sum((r) => (r as { dbUnavailable?: number }).dbUnavailable) }
      : {}),
    rounds,
  };
}

/** Per-round ratios of two modes measured in the same rounds (a ÷ b), for "(x×–y×)" ranges. */
export function pairedRoundRatios(
  a: { rounds?: LoadResult[] } | undefined,
  b: { rounds?: LoadResult[] } | undefined,
  f: (r: LoadResult) => number,
): number[] {
  if (!a?.rounds || !b?.rounds) return [];
  return a.rounds.slice(0, b.rounds.length).map((r, i) => f(r) / f(b.rounds![i]!));
}
