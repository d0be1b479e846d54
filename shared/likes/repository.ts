import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';

/** True only when this call created the like (a repeat like inserts nothing). */
export async function insertLike(db: DbOrTrx, userId: string, videoId: string): Promise<boolean> {
  const row = await db
    .insertInto('likes')
    .values({ user_id: userId, video_id: videoId })
    .onConflict((oc) => oc.columns(['user_id', 'video_id']).doNothing())
    .returning('video_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** True only when this call removed a like (concurrent unlikes: exactly one wins). */
export async function deleteLike(db: DbOrTrx, userId: string, videoId: string): Promise<boolean> {
  const row = await db
    .deleteFrom('likes')
    .where('user_id', '=', userId)
    .where('video_id', '=', videoId)
    .returning('video_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function isLikedBy(db: DbOrTrx, userId: string, videoId: string): Promise<boolean> {
  const row = await db
    .selectFrom('likes')
    .select(sql`1`.as('one'))
    .where('user_id', '=', userId)
    .where('video_id', '=', videoId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Relative update: concurrent changes queue on the row lock and none is lost. */
export async function adjustLikeCount(db: DbOrTrx, videoId: string, delta: 1 | -1): Promise<number> {
  const row = await db
    .updateTable('videos')
    .set((eb) => ({ like_count: eb('like_count', '+', delta) }))
    .where('id', '=', videoId)
    .returning('like_count')
    .executeTakeFirstOrThrow();
  return row.like_count;
}

export async function readLikeCount(db: DbOrTrx, videoId: string): Promise<number> {
  const row = await db
    .selectFrom('videos')
    .select('like_count')
    .where('id', '=', videoId)
    .executeTakeFirstOrThrow();
  return row.like_count;
}

/**
 * Account deletion: removes up to `limit` of a person's likes and uncounts each (unless the
 * account is suspended, whose likes no counter holds); how many went.
 */
export async function deleteLikesBy(
  db: DbOrTrx,
  userId: string,
  limit: number,
  counted: boolean,
): Promise<number> {
  const gone = await db
    .deleteFrom('likes')
    .where('user_id', '=', userId)
    .where('video_id', 'in', (eb) =>
      eb.selectFrom('likes').select('video_id').where('user_id', '=', userId).limit(limit),
    )
    .returning('video_id')
    .execute();
  // One like per (user, video): each video loses exactly one.
  if (gone.length && counted) {
    await db
      .updateTable('videos')
      .set((eb) => ({ like_count: eb('like_count', '-', 1) }))
      .where(
        'id',
        'in',
        gone.map((g) => g.video_id),
      )
      .execute();
  }
  return gone.length;
}

/**
 * People who like the video now and liked it at or after `since` (a like push window), and the
 * newest of them: one push says "@ann liked your video" or "12 people liked your video".
 * `likes_video_idx` (video_id, created_at DESC).
 */
export async function recentLikers(db: DbOrTrx, videoId: string, since: Date) {
  const row = await db
    .selectFrom('likes as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .innerJoin('videos as v', 'v.id', 'l.video_id')
    .select(['u.username', sql<number>`count(*) over ()`.as('total')])
    .where('l.video_id', '=', videoId)
    .where('l.created_at', '>=', since)
    // A suspended account's likes count nowhere (shared/users/standing.ts).
    .where('u.suspended_at', 'is', null)
    // Your own like of your own video is nobody telling you anything.
    .whereRef('l.user_id', '<>', 'v.owner_id')
    .orderBy('l.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { count: row ? Number(row.total) : 0, latestUsername: row?.username ?? null };
}
