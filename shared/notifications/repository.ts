import { sql } from 'kysely';
import { userVisibleTo } from '../blocks/filter.ts';
import { isBlockedEitherWay } from '../blocks/repository.ts';
import type { DbOrTrx } from '../db/client.ts';
import type { NotificationType } from '../db/schema.ts';
import type { Cursor } from '../pagination/keyset.ts';
import { epochMicros, olderThan } from '../pagination/keyset.ts';
import { recordEvent } from '../realtime/outbox.ts';

const EXCERPT_CHARS = 100;

/**
 * A recipient's notifications that still point at something: ones about a deleted video or
 * comment are hidden (from the list and the unread count alike). Left joins: follows have
 * neither, and a missing row's NULL deleted_at passes.
 */
function recipientNotifications(db: DbOrTrx, recipientId: string) {
  return (
    db
      .selectFrom('notifications as n')
      .leftJoin('videos as v', 'v.id', 'n.video_id')
      .leftJoin('comments as c', 'c.id', 'n.comment_id')
      .where('n.recipient_id', '=', recipientId)
      .where('v.deleted_at', 'is', null)
      .where('c.deleted_at', 'is', null)
      // Taken down, or from someone on the other side of a block (or suspended): hidden too.
      .where('v.removed_at', 'is', null)
      .where('c.removed_at', 'is', null)
      .where((eb) => eb.or([eb('n.actor_id', 'is', null), userVisibleTo(recipientId, 'n.actor_id')(eb)]))
  );
}

/** One page, newest first, with actor, video and comment in the same query: `notifications_recipient_idx`. */
export function listNotificationRows(
  db: DbOrTrx,
  recipientId: string,
  cursor: Cursor | undefined,
  limit: number,
) {
  let q = recipientNotifications(db, recipientId)
    // Left join: "your export is ready" has no actor.
    .leftJoin('users as a', 'a.id', 'n.actor_id')
    .select([
      'n.id',
      'n.type',
      'n.export_id',
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
        .then(eb.fn.coalesce('v.poster_key', 'v.thumbnail_key'))
        .else(null)
        .end()
        .as('video_thumbnail_key'),
    );
  if (cursor) q = q.where(olderThan('n.created_at', 'n.id', cursor));
  return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(limit).execute();
}

export type NotificationRow = Awaited<ReturnType<typeof listNotificationRows>>[number];

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

export interface NewNotification {
  recipientId: string;
  actorId: string | null;
  type: NotificationType;
  videoId?: string | null;
  commentId?: string | null;
  exportId?: string | null;
}

/**
 * Records one notification inside the caller's transaction, so it exists exactly when the
 * action that caused it does (a rolled-back like notifies nobody). Your own actions never
 * notify you. Likes and follows are de-duplicated while unread by the partial unique indexes
 * `notifications_unread_like_key` / `notifications_unread_follow_key`: a like/unlike/like
 * storm leaves one unread notification per actor and video, even under concurrency.
 * A notification that is really new also goes into the event outbox (same transaction), from
 * which fan-out tells the recipient's open sockets and devices after commit.
 */
export async function createNotification(db: DbOrTrx, n: NewNotification): Promise<void> {
  if (n.recipientId === n.actorId) return;
  // Nothing crosses a block, not even a notice that would surface after an unblock.
  if (n.actorId && (await isBlockedEitherWay(db, n.recipientId, n.actorId))) return;
  const insert = db.insertInto('notifications').values({
    recipient_id: n.recipientId,
    actor_id: n.actorId,
    type: n.type,
    video_id: n.videoId ?? null,
    comment_id: n.commentId ?? null,
    export_id: n.exportId ?? null,
  });
  // The conflict target must repeat the partial indexes' predicates with literals (not bind
  // parameters) for Postgres to infer them as the arbiter.
  let created: { id: string } | undefined;
  if (n.type === 'like') {
    created = await insert
      .onConflict((oc) =>
        oc
          .columns(['recipient_id', 'actor_id', 'video_id'])
          .where('type', '=', sql.lit('like'))
          .where('read_at', 'is', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
  } else if (n.type === 'follow') {
    created = await insert
      .onConflict((oc) =>
        oc
          .columns(['recipient_id', 'actor_id'])
          .where('type', '=', sql.lit('follow'))
          .where('read_at', 'is', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
  } else {
    created = await insert.returning('id').executeTakeFirst();
  }
  if (!created) return;
  await recordEvent(db, {
    type: 'notification.created',
    recipientId: n.recipientId,
    actorId: n.actorId,
    data: { notification_id: created.id, notification_type: n.type },
  });
}

/** What a push about one notification says: its type, who did it, and the video it is about. */
export function findNotificationForPush(db: DbOrTrx, id: string) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('users as a', 'a.id', 'n.actor_id')
    .select(['n.id', 'n.type', 'n.recipient_id', 'n.video_id', 'a.username as actor_username'])
    .where('n.id', '=', id)
    .executeTakeFirst();
}

export type WithdrawnNotification =
  | { type: 'like'; recipientId: string; actorId: string; videoId: string }
  | { type: 'follow'; recipientId: string; actorId: string };

/**
 * Takes back the actor's still-unread notification when they undo the action (unlike,
 * unfollow): nobody is told about something that no longer holds. Read ones stay history.
 */
export async function withdrawUnreadNotification(db: DbOrTrx, n: WithdrawnNotification): Promise<void> {
  let q = db
    .deleteFrom('notifications')
    .where('recipient_id', '=', n.recipientId)
    .where('actor_id', '=', n.actorId)
    .where('type', '=', n.type)
    .where('read_at', 'is', null);
  if (n.type === 'like') q = q.where('video_id', '=', n.videoId);
  await q.execute();
}

/** Account deletion: up to `limit` notifications to or from a person. */
export async function deleteNotificationsOf(db: DbOrTrx, userId: string, limit: number): Promise<number> {
  const rows = await db
    .deleteFrom('notifications')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where((w) => w.or([w('recipient_id', '=', userId), w('actor_id', '=', userId)]))
        .limit(limit),
    )
    .returning('id')
    .execute();
  return rows.length;
}
