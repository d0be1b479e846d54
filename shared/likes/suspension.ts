import type { ExpressionBuilder } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { Database } from '../db/schema.ts';

// The likes statements a suspension runs (shared/moderation/suspension-counts.ts), apart from the
// repository so that only the moderation code that suspends loads them.

/**
 * A suspension takes every like of the account out of its video's like_count (-1), and lifting
 * it puts them back (+1). The videos are locked in id order first, so two of these running at
 * once (two moderators) cannot deadlock on shared videos.
 */
export async function shiftLikeCountsOf(db: DbOrTrx, userId: string, delta: 1 | -1): Promise<void> {
  const liked = (eb: ExpressionBuilder<Database, 'videos'>) =>
    eb.selectFrom('likes').select('likes.video_id').where('likes.user_id', '=', userId);
  await db
    .selectFrom('videos')
    .select('id')
    .where('id', 'in', liked)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
  await db
    .updateTable('videos')
    .set((eb) => ({ like_count: eb('like_count', '+', delta) }))
    .where('id', 'in', liked)
    .execute();
}
