import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, RequestSpec } from './protocol.ts';

/**
 * wrk (the C load generator the seed stack's own run.sh uses), driven by a small Lua script:
 * it rotates through an endpoint's requests (each thread from its own offset) and counts
 * status codes, and 503s whose body says database_unavailable, which wrk's own summary does
 * not break down. Both stacks are measured with the same script, so its cost is shared.
 */
export interface WrkOptions {
  threads: number;
  connections: number;
  durationS: number;
  timeoutS: number;
}

export interface WrkResult extends LoadResult {
  timeouts: number;
  /** 503 answers whose body names database_unavailable. */
  dbUnavailable: number;
  /** Mean response body size (bytes) over the run. */
  bytesPerResponse: number;
}

export function wrkVersion(): string | undefined {
  try {
    return execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]!
      .split(' ')[1];
  } catch (err) {
    // `wrk -v` exits 1 after printing its version.
    const out = String((err as { stdout?: string }).stdout ?? '');
    return out.startsWith('wrk ') ? out.split(' ')[1] : undefined;
  }
}

const lua = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function script(requests: Pick<RequestSpec, 'method' | 'url' | 'token'>[]): string {
  const reqs = requests
    .map((r) => {
      const headers = r.token ? `{ ["Authorization"] = ${lua(`Bearer ${r.token}`)} }` : '{}';
      return `  wrk.format(${lua(r.method)}, ${lua(r.url)}, ${headers}),`;
    })
    .join('\n');
  return `
local threads = {}
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
  table.insert(threads, thread)
end
local reqs
local i = 0
function init(args)
  reqs = {
${reqs}
  }
  statuses = {}
  dbu = 0
  bytes = 0
  i = offset or 0
end
function request()
  i = i + 1
  return reqs[(i % #reqs) + 1]
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if body then bytes = bytes + #body end
  if status == 503 and body and string.find(body, "database_unavailable", 1, true) then dbu = dbu + 1 end
end
function done(summary, latency, requests)
  local codes, n, dbus, b = {}, 0, 0, 0
  for _, t in ipairs(threads) do
    for code, c in pairs(t:get("statuses")) do codes[code] = (codes[code] or 0) + c; n = n + c end
    dbus = dbus + t:get("dbu")
    b = b + t:get("bytes")
  end
  local parts = {}
  for code, c in pairs(codes) do table.insert(parts, code .. "=" .. c) end
  local e = summary.errors
  io.write(string.format("WRK-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.1f max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d dbu=%d bytes=%d codes=%s\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, dbus, b, table.concat(parts, ",")))
end
`;
}

export function parseWrk(out: string): WrkResult {
  const line = out.split('\n').find((l) => l.startsWith('WRK-RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out.slice(0, 2000)}`);
  const kv = new Map(
    line
      .slice('WRK-RESULT '.length)
      .split(' ')
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const),
  );
  const n = (k: string) => Number(kv.get(k) ?? 'NaN');
  const statusCodes: Record<string, number> = {};
  for (const part of (kv.get('codes') ?? '').split(',').filter(Boolean)) {
    const [code, c] = part.split('=');
    statusCodes[code!] = Number(c);
  }
  const answered = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const non2xx = Object.entries(statusCodes)
    .filter(([c]) => !c.startsWith('2'))
    .reduce((s, [, c]) => s + c, 0);
  const durationMs = n('duration_us') / 1000;
  const requests = n('requests');
  return {
    requests,
    durationMs,
    rps: (requests / durationMs) * 1000,
    p50: n('p50_us') / 1000,
    p99: n('p99_us') / 1000,
    mean: n('mean_us') / 1000,
    max: n('max_us') / 1000,
    non2xx,
    errors: n('connect') + n('read') + n('write') + n('timeout'),
    timeouts: n('timeout'),
    dbUnavailable: n('dbu'),
    statusCodes,
    bytesPerResponse: answered ? n('bytes') / answered : Number.NaN,
  };
}

/** One wrk run against `baseUrl` rotating through `requests`. */
export async function runWrk(
  baseUrl: string,
  requests: Pick<RequestSpec, 'method' | 'url' | 'token'>[],
  o: WrkOptions,
): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lokiz-wrk-'));
  try {
    const file = join(dir, 'rotate.lua');
    writeFileSync(file, script(requests));
    const args = [
      `-t${o.threads}`,
      `-c${o.connections}`,
      `-d${o.durationS}s`,
      '--latency',
      '--timeout',
      `${o.timeoutS}s`,
      '-s',
      file,
      baseUrl,
    ];
    const out = await new Promise<string>((resolve, reject) =>
      execFile('wrk', args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
        err ? reject(new Error(`wrk failed: ${stderr || err.message}`)) : resolve(stdout),
      ),
    );
    return parseWrk(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
