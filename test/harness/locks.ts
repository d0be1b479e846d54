import { sql } from 'kysely';
import { expect } from 'vitest';
import type { DbOrTrx } from '../../shared/db/client.ts';

/** The backend id of the connection `trx` runs on: the holder of the locks it has taken. */
export async function backendPid(trx: DbOrTrx): Promise<number> {
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
  return rows[0]!.pid;
}

/**
 * Resolves once another session waits for a lock `holder` holds (polled every 10 ms), so a test can
 * let go of it at exactly that point; fails the test if nothing waits within `tries` polls.
 */
export async function untilBlockedBy(db: DbOrTrx, holder: number, what: string, tries = 1000): Promise<void> {
  for (let i = 0; ; i++) {
    const waiting = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${holder} = ANY(pg_blocking_pids(pid))`.execute(
      db,
    );
    if (waiting.rows[0]!.n > 0) return;
    expect(i, `${what} never waited`).toBeLessThan(tries);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Once a session waits for a lock `holder` holds: that session's backend id (see untilBlockedBy). */
export async function waiterOf(db: DbOrTrx, holder: number, what: string): Promise<number> {
  await untilBlockedBy(db, holder, what);
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE ${holder} = ANY(pg_blocking_pids(pid)) LIMIT 1`.execute(db);
  return rows[0]!.pid;
}
