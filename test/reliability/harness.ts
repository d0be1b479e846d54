import { afterAll, expect } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { checkInvariants, formatViolations } from './invariants.ts';

/** `SOAK=1` (npm run test:soak) raises counts; plain `npm test` keeps every file fast. */
export const SOAK = process.env.SOAK === '1' || process.env.SOAK === 'true';

export function soak<T>(fast: T, heavy: T): T {
  return SOAK ? heavy : fast;
}

/**
 * Invariants after a reliability file, all strict: for everything this file's users own (their
 * balances, videos, jobs), and for the whole shared database, which every other test file writes
 * to at the same time. So no test may leave a counter, ledger or link disagreeing with its rows,
 * even for a moment: set state up through the API or test/harness/consistent-writes.ts. Only the
 * stuck-job check stays per file (other files stop their pipelines on purpose).
 * Register after useApi() so it runs before the pool closes.
 */
export function useInvariants(opts: { openJobMaxAgeMs?: number } = {}): {
  track(...userIds: string[]): void;
  readonly userIds: readonly string[];
} {
  const tracked = new Set<string>();
  afterAll(async () => {
    const db = getDb();
    const mine = await checkInvariants(db, { userIds: [...tracked], openJobMaxAgeMs: opts.openJobMaxAgeMs });
    const all = await checkInvariants(db, { openJobMaxAgeMs: null });
    expect(mine, formatViolations(mine)).toEqual([]);
    expect(
      all,
      `whole shared database (every test file's rows; a fixture that hand-edits counters or the ledger ` +
        `instead of using test/harness/consistent-writes.ts shows up here): ${formatViolations(all)}`,
    ).toEqual([]);
  }, 60_000);
  return {
    track(...userIds) {
      for (const id of userIds) tracked.add(id);
    },
    get userIds() {
      return [...tracked];
    },
  };
}

/** Runs `tasks` with at most `limit` in flight, preserving result order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** Strings that only appear in a response body when internals leak (stack frames, SQL, driver errors). */
const LEAKS: Array<[string, RegExp]> = [
  ['stack frame', /\bat (?:async )?[\w.$<>[\] ]*\(?(?:file:|\/|node:)[^)\s]*:\d+(?::\d+)?\)?/],
  ['source path', /\.ts:\d+|\.ts:/],
  ['node_modules', /node_modules/],
  ['SQL', /\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/],
  ['driver error', /\bECONN\w*|\bEPIPE\b|\bETIMEDOUT\b/],
  [
    'postgres error',
    /\bviolates (?:unique|foreign key|check|not-null) constraint\b|\bsyntax error at or near\b|\brelation "\w+"/,
  ],
  ['js error', /\b(?:TypeError|ReferenceError|RangeError|SyntaxError): /],
];

/**
 * What in `body` looks like a leak, ignoring text the request itself sent (zod echoes
 * unknown keys, and a fuzzer may well send "SELECT").
 */
export function findLeaks(body: string, requestText: string): string[] {
  const found: string[] = [];
  for (const [label, pattern] of LEAKS) {
    const m = pattern.exec(body);
    if (m && !requestText.includes(m[0])) found.push(`${label}: ${JSON.stringify(m[0])}`);
  }
  return found;
}
