import { type RawBuilder, sql } from 'kysely';
import * as z from 'zod/mini';
import { BadRequestError } from '../http/errors.ts';

/**
 * The one pagination module: every list is keyset-paginated with an opaque cursor.
 *
 * - Most lists are ordered `(timestamp, uuid)` newest first. Their cursor holds the last row's
 *   timestamp in microseconds (`t`, as text) and id: microseconds, not JS milliseconds, so rows
 *   created in the same millisecond are neither skipped nor repeated.
 * - Ranked lists (people search) use the same codec with their own cursor shape.
 *
 * Repositories fetch `limit + 1` rows with `olderThan`/`newerThan`; handlers turn them into a
 * page with `toPage`/`toTimePage`. Column names are fixed strings from the repositories.
 */

const TimeCursor = z.object({ t: z.string().check(z.regex(/^\d{1,18}$/)), id: z.uuid() });
export type Cursor = z.infer<typeof TimeCursor>;

export function encodeOpaqueCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a cursor of `shape`; anything else is a 400 (`invalid_cursor`), never a 500. */
export function decodeOpaqueCursor<T>(shape: z.ZodMiniType<T>, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new BadRequestError(
      'The cursor is not valid; start again without one',
      undefined,
      'invalid_cursor',
    );
  }
}

export const encodeCursor = (c: Cursor): string => encodeOpaqueCursor(c);
export const decodeCursor = (value: string | undefined): Cursor | undefined =>
  decodeOpaqueCursor(TimeCursor, value);

/** The column's microsecond epoch as text (what a cursor's `t` holds). */
export function epochMicros(column: string): RawBuilder<string> {
  return sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;
}

function cursorRow(c: Cursor) {
  return sql`(timestamptz 'epoch' + ${c.t}::bigint * interval '1 microsecond', ${c.id}::uuid)`;
}

/** Rows after the cursor in `ORDER BY t DESC, id DESC` (newest first). */
/** A cursor as two parameters of a cached query (shared/db/compiled-cache.ts), and back. */
export function cursorParams(c: Cursor | undefined): { cursorT?: string; cursorId?: string } {
  return { cursorT: c?.t, cursorId: c?.id };
}

export function cursorFromParams(p: {
  cursorT?: string | null;
  cursorId?: string | null;
}): Cursor | undefined {
  return p.cursorT && p.cursorId ? { t: p.cursorT, id: p.cursorId } : undefined;
}

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

/** `toPage` for the common `(created_us, id)` keyset. */
export function toTimePage<R extends { id: string }>(
  rows: R[],
  limit: number,
  micros: (row: R) => string,
): { rows: R[]; next_cursor: string | null } {
  return toPage(rows, limit, (r) => ({ t: micros(r), id: r.id }), encodeCursor);
}
