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
