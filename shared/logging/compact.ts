/**
 * `npm run dev`'s log format: one short line per event instead of Powertools' JSON (which stays
 * the format everywhere else, deployed included). HTTP access lines read like
 * `12:00:01.234 POST /v1/auth/login 200 23 ms req=…`; worker lines name their function.
 */
type Attributes = Record<string, unknown>;

/** Keys every Powertools line has; shown through the line's shape instead. */
const STANDARD = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'request_id',
  'route',
  'status',
  'duration_ms',
]);

function show(value: unknown): string {
  if (typeof value === 'string') return /[\s"]/.test(value) ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'message' in value && 'name' in value) {
    return JSON.stringify(`${String(value.name)}: ${String(value.message)}`);
  }
  return JSON.stringify(value);
}

export function formatCompact(a: Attributes): string {
  const time = String(a.timestamp ?? new Date().toISOString()).slice(11, 23);
  const level = a.level === 'INFO' ? '' : `${String(a.level)} `;
  const extra = Object.entries(a)
    .filter(([k, v]) => !STANDARD.has(k) && v !== undefined)
    .map(([k, v]) => (k === 'user_id' ? `user=${String(v).slice(0, 8)}` : `${k}=${show(v)}`));
  const req = a.request_id ?? a.function_request_id;
  const tail = [...extra, ...(req ? [`req=${String(req)}`] : [])].join(' ');
  let line: string;
  if (a.message === 'request' && a.route) {
    line = `${time} ${level}${String(a.route)} ${String(a.status ?? '-')} ${String(a.duration_ms ?? '?')} ms ${tail}`;
  } else {
    const fn = String(a.function_name ?? a.service ?? 'lokiz').replace(/^lokiz-/, '');
    const route = a.route ? ` (${String(a.route)})` : '';
    line = `${time} ${level}[${fn}]${route} ${String(a.message)} ${tail}`;
  }
  const stack = (a.error as { stack?: unknown } | undefined)?.stack;
  return a.level === 'ERROR' && typeof stack === 'string' ? `${line.trimEnd()}\n${stack}` : line.trimEnd();
}
