import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from './protocol.ts';

/**
 * pgbench replays of one statement: what PostgreSQL itself can do with it at a given
 * concurrency, without any application. `simple` is how psycopg2 sends the seed stack's SQL
 * (literals in the text); `extended` an unnamed statement planned on every execution (what pg
 * sends for an ordinary Kysely query); `prepared` a named statement whose plan is reused.
 */
export type PgbenchMode = 'simple' | 'extended' | 'prepared';

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  transactions: number;
  failed: number;
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** The statement with its parameters written in as literals (pgbench takes no string parameters). */
export function inlineParameters(s: Statement): string {
  return s.text.replace(/\$(\d+)/g, (_, n: string) => literal(s.values[Number(n) - 1]));
}

export async function runPgbench(
  databaseUrl: string,
  sqlTexts: string[],
  o: { clients: number; threads: number; durationS: number; mode: PgbenchMode },
): Promise<PgbenchResult> {
  const url = new URL(databaseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'lokiz-pgbench-'));
  try {
    const files = sqlTexts.map((text, i) => {
      const f = join(dir, `s${i}.sql`);
      // Comments go (pgbench would read the `:reuse` of /* plan:reuse */ as a variable).
      const sql = text
        .replace(/\/\*.*?\*\//g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/;$/, '');
      writeFileSync(f, `${sql};\n`);
      return f;
    });
    const args = [
      '-n',
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username),
      `-c${o.clients}`,
      `-j${Math.min(o.threads, o.clients)}`,
      `-T${Math.max(1, Math.round(o.durationS))}`,
      '-M',
      o.mode,
      ...files.flatMap((f) => ['-f', f]),
      url.pathname.slice(1),
    ];
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'pgbench',
        args,
        { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, maxBuffer: 8 * 1024 * 1024 },
        (err, stdout, stderr) =>
          err ? reject(new Error(`pgbench failed: ${stderr || err.message}`)) : resolve(stdout),
      ),
    );
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 'NaN');
    return {
      tps: num(/^tps = ([\d.]+)/m),
      latencyMs: num(/^latency average = ([\d.]+) ms/m),
      transactions: num(/^number of transactions actually processed: (\d+)/m),
      failed: num(/^number of failed transactions: (\d+)/m) || 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
