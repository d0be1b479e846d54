import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { lockRowsInIdOrder } from '../db/row-locks.ts';

// The likes statements a suspension runs (shared/moderation/suspension-counts.ts), apart from the
// repository so that only the moderation code that suspends loads them.

/**
 * A suspension takes every like of the account out of its video's like_count (-1), and lifting
 * it puts them back (+1). The videos are locked in id order first.
 */
export async function shiftLikeCountsOf(db: DbOrTrx, userId: string, delta: 1 | -1): Promise<void> {
  const liked = sql`SELECT video_id FROM likes WHERE user_id = ${userId}`;
  await lockRowsInIdOrder(db, 'videos', liked);
  await sql`UPDATE videos SET like_count = like_count + ${delta}::int WHERE id IN (${liked})`.execute(db);
}
