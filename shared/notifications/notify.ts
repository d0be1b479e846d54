import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { NotificationType } from '../db/schema.ts';

export interface NewNotification {
  recipientId: string;
  actorId: string;
  type: NotificationType;
  videoId?: string | null;
  commentId?: string | null;
}

/**
 * Records one notification inside the caller's transaction, so it exists exactly when the
 * action that caused it does (a rolled-back like notifies nobody). Your own actions never
 * notify you. Likes and follows are de-duplicated while unread by the partial unique indexes
 * `notifications_unread_like_key` / `notifications_unread_follow_key`: a like/unlike/like
 * storm leaves one unread notification per actor and video, even under concurrency.
 */
export async function createNotification(db: DbOrTrx, n: NewNotification): Promise<void> {
  if (n.recipientId === n.actorId) return;
  const insert = db.insertInto('notifications').values({
    recipient_id: n.recipientId,
    actor_id: n.actorId,
    type: n.type,
    video_id: n.videoId ?? null,
    comment_id: n.commentId ?? null,
  });
  // The conflict target must repeat the partial indexes' predicates with literals (not bind
  // parameters) for Postgres to infer them as the arbiter.
  if (n.type === 'like') {
    await insert
      .onConflict((oc) =>
        oc
          .columns(['recipient_id', 'actor_id', 'video_id'])
          .where('type', '=', sql.lit('like'))
          .where('read_at', 'is', null)
          .doNothing(),
      )
      .execute();
  } else if (n.type === 'follow') {
    await insert
      .onConflict((oc) =>
        oc
          .columns(['recipient_id', 'actor_id'])
          .where('type', '=', sql.lit('follow'))
          .where('read_at', 'is', null)
          .doNothing(),
      )
      .execute();
  } else {
    await insert.execute();
  }
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
