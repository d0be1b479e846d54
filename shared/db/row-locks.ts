import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx } from './client.ts';

/**
 * Row locks for a counter update that spans many rows, always taken in id order, so two such
 * updates sharing rows (two suspensions at once) wait for each other instead of deadlocking. FOR
 * NO KEY UPDATE is the lock the UPDATE itself takes. `ids` is a subquery selecting the rows' ids;
 * returns the ids locked.
 */
export async function lockRowsInIdOrder(
  db: DbOrTrx,
  table: 'users' | 'videos',
  ids: RawBuilder<unknown>,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM ${sql.table(table)} WHERE id IN (${ids}) ORDER BY id FOR NO KEY UPDATE`.execute(db);
  return rows.map((r) => r.id);
}
