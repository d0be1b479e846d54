import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { lockRowsInIdOrder } from '../db/row-locks.ts';

// The comment statements a suspension runs (shared/moderation/suspension-counts.ts), apart from
// the repository so that only the moderation code that suspends loads them.

/**
 * A suspension (or its end) changes what the threads around the account show: its comments, and
 * the replies under its top-level ones. After the account's row says so, this locks those threads
 * (its top-level comments and the parents of its replies, in id order) and then their videos, the
 * order replying, deleting and moderating lock in, and counts their reply_count and the videos'
 * comment_count afresh. Every writer changes comment rows under a thread's lock and moves the
 * video's counter after, so a count taken under these locks misses nothing and counts nothing twice.
 */
export async function recountThreadsOf(db: DbOrTrx, userId: string): Promise<void> {
  const threads = await sql<{ id: string }>`
    SELECT id FROM comments
    WHERE deleted_at IS NULL
      AND ((author_id = ${userId} AND parent_id IS NULL)
        OR id IN (SELECT parent_id FROM comments
                  WHERE author_id = ${userId} AND parent_id IS NOT NULL AND deleted_at IS NULL))
    ORDER BY id FOR UPDATE`.execute(db);
  if (threads.rows.length === 0) return;
  const ids = threads.rows.map((t) => t.id);
  const videos = await lockRowsInIdOrder(
    db,
    'videos',
    sql`SELECT video_id FROM comments WHERE id = ANY(${ids}::uuid[])`,
  );
  await sql`
    UPDATE comments p SET reply_count = (
      SELECT count(*) FROM comments r JOIN users ru ON ru.id = r.author_id AND ru.suspended_at IS NULL
      WHERE r.parent_id = p.id AND r.deleted_at IS NULL AND r.removed_at IS NULL)
    WHERE p.id = ANY(${ids}::uuid[])`.execute(db);
  await sql`
    UPDATE videos v SET comment_count = (
      SELECT count(*) FROM comments c
      JOIN users cu ON cu.id = c.author_id AND cu.suspended_at IS NULL
      LEFT JOIN comments p ON p.id = c.parent_id
      LEFT JOIN users pu ON pu.id = p.author_id
      WHERE c.video_id = v.id AND c.deleted_at IS NULL AND c.removed_at IS NULL
        AND (c.parent_id IS NULL
          OR (p.deleted_at IS NULL AND p.removed_at IS NULL AND pu.suspended_at IS NULL)))
    WHERE v.id = ANY(${videos}::uuid[])`.execute(db);
}
