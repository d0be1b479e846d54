import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';

/** A key's counter after this request's hit (times are the database's clock). */
export interface Hit {
  hits: number;
  windowStartedAt: Date;
  lastHitAt: Date;
  blockedUntil: Date | null;
  /** Whether this request was counted (false: refused by the condition, nothing changed). */
  counted: boolean;
  now: Date;
}

interface HitRow {
  hits: number;
  window_started_at: Date;
  last_hit_at: Date;
  blocked_until: Date | null;
  counted: boolean;
  now: Date;
}

/**
 * Counts a request against `key` in a fixed window of `windowSeconds`, in one upsert (concurrent
 * requests are serialised on the row). With `minGap`, a hit is counted only when the key is not
 * blocked and, past `freeHits`, the previous hit is at least firstGapSeconds × 2^(hits - freeHits)
 * seconds old (at most `maxGapSeconds`): the progressive delay of sign-ins. Refused hits change
 * nothing.
 */
/** firstGapSeconds × 2^(hits − freeHits), at most maxGapSeconds, in SQL. */
function gapSeconds(
  hits: ReturnType<typeof sql>,
  g: { freeHits: number; firstGapSeconds: number; maxGapSeconds: number },
) {
  return sql`least(${g.firstGapSeconds} * power(2, ${hits} - ${g.freeHits}), ${g.maxGapSeconds})`;
}

export async function recordHit(
  db: DbOrTrx,
  key: string,
  windowSeconds: number,
  minGap?: { freeHits: number; firstGapSeconds: number; maxGapSeconds: number },
): Promise<Hit> {
  const expired = sql`r.window_started_at <= now() - make_interval(secs => ${windowSeconds})`;
  const allowed = minGap
    ? sql`(r.blocked_until IS NULL OR r.blocked_until <= now())
          AND (r.hits < ${minGap.freeHits}
               OR r.last_hit_at + make_interval(secs => ${gapSeconds(sql`r.hits`, minGap)}) <= now())`
    : sql`true`;
  const { rows } = await sql<HitRow>`
    INSERT INTO rate_limits AS r (key, window_started_at, hits, last_hit_at)
    VALUES (${key}, now(), 1, now())
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN ${expired} AND ${allowed} THEN 1 WHEN ${allowed} THEN r.hits + 1 ELSE r.hits END,
      window_started_at = CASE WHEN ${expired} AND ${allowed} THEN now() ELSE r.window_started_at END,
      last_hit_at = CASE WHEN ${allowed} THEN now() ELSE r.last_hit_at END
    RETURNING hits, window_started_at, last_hit_at, blocked_until, last_hit_at = now() AS counted, now() AS now`.execute(
    db,
  );
  const row = rows[0]!;
  return {
    hits: row.hits,
    windowStartedAt: row.window_started_at,
    lastHitAt: row.last_hit_at,
    blockedUntil: row.blocked_until,
    counted: row.counted,
    now: row.now,
  };
}

/** Blocks `key` for `seconds` if it has at least `minHits` hits; returns the block's end, if any. */
export async function blockWhenReached(
  db: DbOrTrx,
  key: string,
  minHits: number,
  seconds: number,
): Promise<Date | undefined> {
  const row = await db
    .updateTable('rate_limits')
    .set({ blocked_until: sql<Date>`now() + make_interval(secs => ${seconds})` })
    .where('key', '=', key)
    .where('hits', '>=', minHits)
    .returning('blocked_until')
    .executeTakeFirst();
  return row?.blocked_until ?? undefined;
}

export async function clearKey(db: DbOrTrx, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/** Forgets keys quiet for `seconds` and not blocked any more (their windows are long over). */
export async function pruneQuietKeys(db: DbOrTrx, seconds: number): Promise<number> {
  const res = await db
    .deleteFrom('rate_limits')
    .where('last_hit_at', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', sql<Date>`now()`)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
