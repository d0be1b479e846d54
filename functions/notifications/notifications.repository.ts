import { sql } from 'kysely';
import type { DbOrTrx } from '../../shared/db/client.ts';
import { epochMicros, olderThan } from '../../shared/social/keyset.ts';
import type { Cursor } from '../../shared/videos/cursor.ts';

const EXCERPT_CHARS = 100;

/**
 * A recipient's notifications that still point at something: ones about a deleted video or
 * comment are hidden (from the list and the unread count alike). Left joins: follows have
 * neither, and a missing row's NULL deleted_at passes.
 */
function recipientNotifications(db: DbOrTrx, recipientId: string) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('videos as v', 'v.id', 'n.video_id')
    .leftJoin('comments as c', 'c.id', 'n.comment_id')
    .where('n.recipient_id', '=', recipientId)
    .where('v.deleted_at', 'is', null)
    .where('c.deleted_at', 'is', null);
}

/** One page, newest first, with actor, video and comment in the same query: `notifications_recipient_idx`. */
export function listNotifications(
  db: DbOrTrx,
  recipientId: string,
  cursor: Cursor | undefined,
  limit: number,
) {
  let q = recipientNotifications(db, recipientId)
    .innerJoin('users as a', 'a.id', 'n.actor_id')
    .select([
      'n.id',
      'n.type',
      'n.read_at',
      'n.created_at',
      'a.id as actor_id',
      'a.username as actor_username',
      'a.display_name as actor_display_name',
      'a.avatar_key as actor_avatar_key',
      'v.id as video_id',
      'c.id as comment_id',
      'c.parent_id as comment_parent_id',
      sql<string | null>`left(c.body, ${EXCERPT_CHARS})`.as('comment_excerpt'),
      epochMicros('n.created_at').as('created_us'),
    ])
    .select((eb) =>
      // The recipient sees the thumbnail of a video they may watch: public+ready, or theirs.
      eb
        .case()
        .when(
          eb.and([
            eb('v.status', '=', 'ready'),
            eb.or([eb('v.visibility', '=', 'public'), eb('v.owner_id', '=', recipientId)]),
          ]),
        )
        .then(eb.ref('v.thumbnail_key'))
        .else(null)
        .end()
        .as('video_thumbnail_key'),
    );
  if (cursor) q = q.where(olderThan('n.created_at', 'n.id', cursor));
  return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(limit).execute();
}

export type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

/** `notifications_unread_idx` (recipient_id) WHERE read_at IS NULL. */
export async function countUnread(db: DbOrTrx, recipientId: string): Promise<number> {
  const row = await recipientNotifications(db, recipientId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Idempotent; false when the notification is not the recipient's (or does not exist). */
export async function markRead(db: DbOrTrx, id: string, recipientId: string): Promise<boolean> {
  const row = await db
    .updateTable('notifications')
    // A read one keeps its first read time.
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export function markAllRead(db: DbOrTrx, recipientId: string) {
  return db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .execute();
}
