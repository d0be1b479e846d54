import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { lockRowsInIdOrder } from '../db/row-locks.ts';

// The follows statements a suspension runs (shared/moderation/suspension-counts.ts), apart from
// the repository so that only the moderation code that suspends loads them.

/**
 * A suspension takes the account's follows out of the other sides' counters (-1), and lifting
 * it puts them back (+1), for other sides that are not suspended themselves. Their rows are
 * locked in id order first; one suspended meanwhile is skipped, since its row is read again once
 * its suspension commits.
 */
export async function shiftFollowCountsOf(db: DbOrTrx, userId: string, delta: 1 | -1): Promise<void> {
  await lockRowsInIdOrder(
    db,
    'users',
    sql`SELECT followee_id FROM follows WHERE follower_id = ${userId}
        UNION SELECT follower_id FROM follows WHERE followee_id = ${userId}`,
  );
  await sql`
    UPDATE users u SET follower_count = u.follower_count + ${delta}::int
    FROM follows f
    WHERE f.follower_id = ${userId} AND f.followee_id = u.id AND u.suspended_at IS NULL`.execute(db);
  await sql`
    UPDATE users u SET following_count = u.following_count + ${delta}::int
    FROM follows f
    WHERE f.followee_id = ${userId} AND f.follower_id = u.id AND u.suspended_at IS NULL`.execute(db);
}

/** The account's own follower and following counts, from the follows whose other side counts. */
export async function recountFollowsOf(db: DbOrTrx, userId: string): Promise<void> {
  await sql`
    UPDATE users SET
      follower_count = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.follower_id
                        WHERE f.followee_id = ${userId} AND o.suspended_at IS NULL),
      following_count = (SELECT count(*) FROM follows f JOIN users o ON o.id = f.followee_id
                         WHERE f.follower_id = ${userId} AND o.suspended_at IS NULL)
    WHERE id = ${userId}`.execute(db);
}
