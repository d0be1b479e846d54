import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { Cursor } from '../pagination/keyset.ts';
import { epochMicros, newerThan, olderThan } from '../pagination/keyset.ts';

/** Comment rows with their author card, one query per page. */
function selectCommentViews(db: DbOrTrx) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select([
      'c.id',
      'c.video_id',
      'c.parent_id',
      'c.body',
      'c.reply_count',
      'c.created_at',
      'c.updated_at',
      'u.id as author_id',
      'u.username as author_username',
      'u.display_name as author_display_name',
      'u.avatar_key as author_avatar_key',
      epochMicros('c.created_at').as('created_us'),
    ])
    .where('c.deleted_at', 'is', null);
}

export type CommentViewRow = Awaited<
  ReturnType<ReturnType<typeof selectCommentViews>['executeTakeFirstOrThrow']>
>;

export function findCommentView(db: DbOrTrx, id: string) {
  return selectCommentViews(db).where('c.id', '=', id).executeTakeFirst();
}

/** Top-level comments newest first: `comments_video_idx` (video_id, created_at DESC, id DESC). */
export function listTopLevelCommentRows(
  db: DbOrTrx,
  videoId: string,
  cursor: Cursor | undefined,
  limit: number,
) {
  let q = selectCommentViews(db).where('c.video_id', '=', videoId).where('c.parent_id', 'is', null);
  if (cursor) q = q.where(olderThan('c.created_at', 'c.id', cursor));
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
}

/** Replies oldest first, reading as a conversation: `comments_parent_idx` (parent_id, created_at, id). */
export function listReplyRows(db: DbOrTrx, parentId: string, cursor: Cursor | undefined, limit: number) {
  let q = selectCommentViews(db).where('c.parent_id', '=', parentId);
  if (cursor) q = q.where(newerThan('c.created_at', 'c.id', cursor));
  return q.orderBy('c.created_at', 'asc').orderBy('c.id', 'asc').limit(limit).execute();
}

export function findLiveComment(db: DbOrTrx, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'video_id', 'author_id', 'parent_id'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Locks a live comment against concurrent replies, edits and deletes. */
export function lockLiveComment(db: DbOrTrx, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'video_id', 'author_id', 'parent_id'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function insertComment(
  db: DbOrTrx,
  comment: { video_id: string; author_id: string; parent_id: string | null; body: string },
) {
  return db.insertInto('comments').values(comment).returning(['id']).executeTakeFirstOrThrow();
}

export function updateCommentBody(db: DbOrTrx, id: string, body: string) {
  return db.updateTable('comments').set({ body, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Soft-deletes a comment and its live replies; returns how many rows it took down. */
export async function softDeleteCommentThread(db: DbOrTrx, id: string): Promise<number> {
  const rows = await db
    .updateTable('comments')
    .set({ deleted_at: sql`now()` })
    .where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)]))
    .where('deleted_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export function adjustCommentCount(db: DbOrTrx, videoId: string, delta: number) {
  return db
    .updateTable('videos')
    .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
    .where('id', '=', videoId)
    .execute();
}

export function adjustReplyCount(db: DbOrTrx, commentId: string, delta: 1 | -1) {
  return db
    .updateTable('comments')
    .set((eb) => ({ reply_count: eb('reply_count', '+', delta) }))
    .where('id', '=', commentId)
    .execute();
}
