import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { Cursor } from '../pagination/keyset.ts';
import { epochMicros, olderThan } from '../pagination/keyset.ts';
import { lockStandings, selectUserViews } from '../users/repository.ts';

/** True only when this call created the follow. */
export async function insertFollow(db: DbOrTrx, followerId: string, followeeId: string): Promise<boolean> {
  const row = await db
    .insertInto('follows')
    .values({ follower_id: followerId, followee_id: followeeId })
    .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing())
    .returning('followee_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** True only when this call removed the follow. */
export async function deleteFollow(db: DbOrTrx, followerId: string, followeeId: string): Promise<boolean> {
  const row = await db
    .deleteFrom('follows')
    .where('follower_id', '=', followerId)
    .where('followee_id', '=', followeeId)
    .returning('followee_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function followExists(db: DbOrTrx, followerId: string, followeeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('follows')
    .select(sql`1`.as('one'))
    .where('follower_id', '=', followerId)
    .where('followee_id', '=', followeeId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Moves both sides' counters. Users rows are always updated in id order, so A following B
 * while B follows A cannot deadlock.
 */
export async function adjustFollowCounts(
  db: DbOrTrx,
  followerId: string,
  followeeId: string,
  delta: 1 | -1,
): Promise<{ followerCountOfFollowee: number }> {
  let followerCountOfFollowee = 0;
  for (const id of [followerId, followeeId].sort()) {
    if (id === followeeId) {
      const row = await db
        .updateTable('users')
        .set((eb) => ({ follower_count: eb('follower_count', '+', delta) }))
        .where('id', '=', id)
        .returning('follower_count')
        .executeTakeFirstOrThrow();
      followerCountOfFollowee = row.follower_count;
    } else {
      await db
        .updateTable('users')
        .set((eb) => ({ following_count: eb('following_count', '+', delta) }))
        .where('id', '=', id)
        .execute();
    }
  }
  return { followerCountOfFollowee };
}

export async function readFollowerCount(db: DbOrTrx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select('follower_count')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.follower_count;
}

/**
 * One page of a follow list as user views (with the caller's `followed_by_me`), newest
 * follow first, in one query: `follows_followee_page_idx` / `follows_follower_page_idx`.
 */
export function listFollowPage(
  db: DbOrTrx,
  opts: {
    userId: string;
    direction: 'followers' | 'following';
    viewerId: string | null;
    cursor?: Cursor;
    limit: number;
  },
) {
  // followers of X: rows (follower → X), listing the follower; following: (X → followee).
  const [mine, other] =
    opts.direction === 'followers'
      ? (['f.followee_id', 'f.follower_id'] as const)
      : (['f.follower_id', 'f.followee_id'] as const);
  let q = selectUserViews(db, opts.viewerId)
    .innerJoin('follows as f', other, 'u.id')
    .select([epochMicros('f.created_at').as('followed_us')])
    .where(mine, '=', opts.userId);
  if (opts.cursor) q = q.where(olderThan('f.created_at', other, opts.cursor));
  return q.orderBy('f.created_at', 'desc').orderBy(other, 'desc').limit(opts.limit).execute();
}

/**
 * Account deletion: removes up to `limit` follows in either direction and moves the other side's
 * counter for each (users rows in id order, as adjustFollowCounts does), and the account's own.
 * A follow counts only while neither side is suspended (shared/users/standing.ts), so nothing
 * moves for a suspended account (`counted` false) or a suspended other side, read under lock.
 */
export async function deleteFollowsOf(
  db: DbOrTrx,
  userId: string,
  limit: number,
  counted: boolean,
): Promise<number> {
  const following = await db
    .deleteFrom('follows')
    .where('follower_id', '=', userId)
    .where('followee_id', 'in', (eb) =>
      eb.selectFrom('follows').select('followee_id').where('follower_id', '=', userId).limit(limit),
    )
    .returning('followee_id')
    .execute();
  const followers = await db
    .deleteFrom('follows')
    .where('followee_id', '=', userId)
    .where('follower_id', 'in', (eb) =>
      eb.selectFrom('follows').select('follower_id').where('followee_id', '=', userId).limit(limit),
    )
    .returning('follower_id')
    .execute();
  if (!counted) return following.length + followers.length;
  const others = [...following.map((f) => f.followee_id), ...followers.map((f) => f.follower_id)];
  const suspended = new Set(
    (others.length ? await lockStandings(db, others) : []).filter((r) => r.suspended_at).map((r) => r.id),
  );
  // Both sides' counters, the account's own too, so they stay exact at every step.
  const deltas = new Map<string, { follower_count: number; following_count: number }>();
  const delta = (id: string) => {
    const d = deltas.get(id) ?? { follower_count: 0, following_count: 0 };
    deltas.set(id, d);
    return d;
  };
  for (const f of following) {
    if (suspended.has(f.followee_id)) continue;
    delta(f.followee_id).follower_count--;
    delta(userId).following_count--;
  }
  for (const f of followers) {
    if (suspended.has(f.follower_id)) continue;
    delta(f.follower_id).following_count--;
    delta(userId).follower_count--;
  }
  for (const id of [...deltas.keys()].sort()) {
    const d = deltas.get(id)!;
    if (!d.follower_count && !d.following_count) continue;
    await db
      .updateTable('users')
      .set((eb) => ({
        follower_count: eb('follower_count', '+', d.follower_count),
        following_count: eb('following_count', '+', d.following_count),
      }))
      .where('id', '=', id)
      .execute();
  }
  return following.length + followers.length;
}
