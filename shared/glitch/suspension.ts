import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { lockRowsInIdOrder } from '../db/row-locks.ts';

// The glitch statement a suspension runs (shared/moderation/suspension-counts.ts), apart from the
// repository so that only the moderation code that suspends loads it.

/**
 * A suspension takes the account's live glitches out of their sources' glitch_count (-1 each),
 * and lifting it puts them back (+1). The sources are locked in id order first. Every other
 * writer of glitch_count decides under a lock on the glitch owner's account (linkGlitch in
 * settle, deleteVideo, detachGlitchFromSource, account deletion), which this one holds.
 */
export async function shiftGlitchCountsOf(db: DbOrTrx, userId: string, delta: 1 | -1): Promise<void> {
  const sources = sql`
    SELECT g.source_video_id, count(*)::int AS n
    FROM video_glitches g JOIN videos gv ON gv.id = g.glitch_video_id
    WHERE gv.owner_id = ${userId} AND gv.deleted_at IS NULL
    GROUP BY g.source_video_id`;
  await lockRowsInIdOrder(db, 'videos', sql`SELECT source_video_id FROM (${sources}) s`);
  await sql`
    UPDATE videos s SET glitch_count = s.glitch_count + ${delta}::int * c.n
    FROM (${sources}) c
    WHERE s.id = c.source_video_id`.execute(db);
}
