import pg from 'pg';
import type { Statement } from './protocol.ts';

/**
 * Sees every statement the app sends through `pg` (Kysely's PostgresDialect calls
 * `Client#query(sql, parameters)` for each one, transaction BEGIN/COMMIT included). Counting
 * costs one increment; recording is on only while the orchestrator captures one request.
 */
let recording: Statement[] | undefined;

export function installQueryTap(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function tappedQuery(this: pg.Client, ...args: unknown[]) {
    if (recording) {
      const [first, second] = args;
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
      const values = Array.isArray(second)
        ? second
        : ((first as { values?: unknown[] } | undefined)?.values ?? []);
      const name = typeof first === 'object' ? (first as { name?: string } | undefined)?.name : undefined;
      if (text) recording.push({ text, values: [...values], ...(name ? { name } : {}) });
    }
    return original.apply(this, args);
  };
}

export function startRecording(): void {
  recording = [];
}

export function stopRecording(): Statement[] {
  const out = recording ?? [];
  recording = undefined;
  return out;
}
