import { type RawBuilder, sql } from 'kysely';
import type { Cursor } from '../videos/cursor.ts';

/**
 * Keyset pagination over `(timestamp, uuid)` pairs, with the same opaque cursor as the video
 * feed (shared/videos/cursor.ts): microseconds, so rows created in the same millisecond are
 * neither skipped nor repeated. Column names are fixed strings from the repositories.
 */

/** The column's microsecond epoch as text (what a cursor's `t` holds). */
export function epochMicros(column: string): RawBuilder<string> {
  return sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;
}

function cursorRow(c: Cursor) {
  return sql`(timestamptz 'epoch' + ${c.t}::bigint * interval '1 microsecond', ${c.id}::uuid)`;
}

/** Rows after the cursor in `ORDER BY t DESC, id DESC` (newest first). */
export function olderThan(tColumn: string, idColumn: string, c: Cursor): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(tColumn)}, ${sql.ref(idColumn)}) < ${cursorRow(c)}`;
}

/** Rows after the cursor in `ORDER BY t ASC, id ASC` (oldest first). */
export function newerThan(tColumn: string, idColumn: string, c: Cursor): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(tColumn)}, ${sql.ref(idColumn)}) > ${cursorRow(c)}`;
}

/**
 * Splits the `limit + 1` rows a repository fetched into the page and the cursor of the next
 * one (the extra row only says that there is more; no count query).
 */
export function toPage<R, C>(
  rows: R[],
  limit: number,
  cursorOf: (last: R) => C,
  encode: (c: C) => string,
): { rows: R[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > limit && last ? encode(cursorOf(last)) : null };
}
