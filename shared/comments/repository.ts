import { sql } from 'kysely';
import { userVisibleTo } from '../blocks/filter.ts';
import type { DbOrTrx } from '../db/client.ts';
import type { Cursor } from '../pagination/keyset.ts';
import { epochMicros, newerThan, olderThan } from '../pagination/keyset.ts';

/**
 * Comment rows with their author card, one query per page: live, not taken down, and by an
 * author the viewer may see (not suspended, no block either way).
 */
function selectCommentViews(db: DbOrTrx, viewerId: string | null) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select([
      'c.id',
      'c.video_id',
      'c.parent_id',
      'c.body',
      'c.reply_count',
      'c.redacted_at',
      'c.created_at',
      'c.updated_at',
      'u.id as author_id',
      'u.username as author_username',
      'u.display_name as author_display_name',
      'u.avatar_key as author_avatar_key',
      epochMicros('c.created_at').as('created_us'),
    ])
    .where('c.deleted_at', 'is', null)
    .where('c.removed_at', 'is', null)
    .where(userVisibleTo(viewerId, 'c.author_id'));
}

export type CommentViewRow = Awaited<
  ReturnType<ReturnType<typeof selectCommentViews>['executeTakeFirstOrThrow']>
>;

export function findCommentView(db: DbOrTrx, id: string, viewerId: string | null) {
  return selectCommentViews(db, viewerId).where('c.id', '=', id).executeTakeFirst();
}

/** Top-level comments newest first: `comments_video_idx` (video_id, created_at DESC, id DESC). */
export function listTopLevelCommentRows(
  db: DbOrTrx,
  videoId: string,
  viewerId: string | null,
  cursor: Cursor | undefined,
  limit: number,
) {
  let q = selectCommentViews(db, viewerId).where('c.video_id', '=', videoId).where('c.parent_id', 'is', null);
  if (cursor) q = q.where(olderThan('c.created_at', 'c.id', cursor));
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
}

/** Replies oldest first, reading as a conversation: `comments_parent_idx` (parent_id, created_at, id). */
export function listReplyRows(
  db: DbOrTrx,
  parentId: string,
  viewerId: string | null,
  cursor: Cursor | undefined,
  limit: number,
) {
  let q = selectCommentViews(db, viewerId).where('c.parent_id', '=', parentId);
  if (cursor) q = q.where(newerThan('c.created_at', 'c.id', cursor));
  return q.orderBy('c.created_at', 'asc').orderBy('c.id', 'asc').limit(limit).execute();
}

/**
 * Whether a comment's author is suspended: their comments and the replies under their top-level
 * ones are hidden and counted nowhere. Read under the comment's (or its thread's) row lock,
 * which a suspension takes too before it recounts (./suspension.ts), so the two cannot cross.
 */
const authorSuspended = sql<boolean>`EXISTS (SELECT 1 FROM users su
  WHERE su.id = comments.author_id AND su.suspended_at IS NOT NULL)`.as('author_suspended');

export function findLiveComment(db: DbOrTrx, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'video_id', 'author_id', 'parent_id', authorSuspended])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

/** A live comment's thread parent (taken down or not), to lock the parent first. */
export function findCommentParent(db: DbOrTrx, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'parent_id'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Locks a live comment whether or not it is taken down (moderation, and a reply's parent). */
export function lockCommentInAnyState(db: DbOrTrx, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'video_id', 'author_id', 'parent_id', 'reply_count', 'removed_at', authorSuspended])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** A moderator's takedown (with its reason), or a restore (null). */
export function setCommentRemoval(db: DbOrTrx, id: string, reason: string | null) {
  return db
    .updateTable('comments')
    .set(
      reason
        ? { removed_at: sql`now()`, removed_reason: reason }
        : { removed_at: null, removed_reason: null },
    )
    .where('id', '=', id)
    .execute();
}

/** Locks a live comment against concurrent replies, edits and deletes. */
export function lockLiveComment(db: DbOrTrx, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'video_id', 'author_id', 'parent_id', 'reply_count', authorSuspended])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('removed_at', 'is', null)
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

/** Soft-deletes a comment and its live replies. */
export async function softDeleteCommentThread(db: DbOrTrx, id: string): Promise<void> {
  await db
    .updateTable('comments')
    .set({ deleted_at: sql`now()` })
    .where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)]))
    .where('deleted_at', 'is', null)
    .execute();
}

/**
 * Whether a live comment that is not taken down, by an author who is not suspended, counts in its
 * video's comment_count: a top-level one does; a reply does while its thread shows (its parent
 * live, not taken down, and by an author who is not suspended).
 */
export function countsOnVideo(
  parentId: string | null,
  parent: { removed_at: Date | null; author_suspended: boolean } | undefined,
) {
  return parentId === null || (parent?.removed_at === null && !parent.author_suspended);
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

/** Shown instead of a deleted account's comment that others answered. */
export const REDACTED_COMMENT_BODY = '[deleted]';

/**
 * Account deletion, one batch: a person's comments go, except top-level ones others answered,
 * which stay as a placeholder (body replaced, `redacted_at`) so the replies keep their thread.
 * Counters move by exactly what the thread showed (nothing, for a suspended account: `counted`
 * false). Returns how many rows it handled (0: done).
 */
export async function purgeCommentsBy(
  db: DbOrTrx,
  authorId: string,
  limit: number,
  counted: boolean,
): Promise<number> {
  // Already soft-deleted ones counted nowhere: just remove them (their soft-deleted replies go too).
  const dead = await db
    .deleteFrom('comments')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('comments')
        .select('id')
        .where('author_id', '=', authorId)
        .where('deleted_at', 'is not', null)
        .limit(limit),
    )
    .returning('id')
    .execute();
  // Replies first (so a person's own answers under their own comment don't keep it alive),
  // then top-level comments. Parents are locked before their replies, in id order: the order
  // replying, deleting and moderating lock in, so a purge cannot deadlock with them.
  const live = (replies: boolean) =>
    db
      .selectFrom('comments')
      .select(['id', 'video_id', 'parent_id', 'reply_count', 'removed_at'])
      .where('author_id', '=', authorId)
      .where('deleted_at', 'is', null)
      .where('redacted_at', 'is', null)
      .where('parent_id', replies ? 'is not' : 'is', null)
      .orderBy('id')
      .limit(limit);
  const replies = await live(true).execute();
  let rows: typeof replies;
  // The batch's live parents, locked, with whether a moderator took them down.
  let parents = new Map<string, { removed_at: Date | null; author_suspended: boolean }>();
  if (replies.length) {
    const locked = await db
      .selectFrom('comments')
      .select(['id', 'removed_at', authorSuspended])
      .where('id', 'in', [...new Set(replies.map((r) => r.parent_id!))])
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    parents = new Map(locked.map((p) => [p.id, p]));
    const ids = replies.map((r) => r.id);
    rows = await live(true).where('id', 'in', ids).forUpdate().execute();
  } else {
    rows = await live(false).forUpdate().execute();
  }
  for (const c of rows) {
    if (c.parent_id === null && c.reply_count > 0) {
      await db
        .updateTable('comments')
        .set({ body: REDACTED_COMMENT_BODY, redacted_at: sql`now()` })
        .where('id', '=', c.id)
        .execute();
      continue;
    }
    await db.deleteFrom('comments').where('id', '=', c.id).execute();
    // A taken-down comment, or a suspended author's, is counted nowhere; a reply under a hidden
    // thread only on its parent.
    if (c.removed_at !== null || !counted) continue;
    const parent = c.parent_id ? parents.get(c.parent_id) : undefined;
    if (parent) await adjustReplyCount(db, c.parent_id!, -1);
    if (countsOnVideo(c.parent_id, parent)) await adjustCommentCount(db, c.video_id, -1);
  }
  // Replies deleted by their author meanwhile count as handled: the next batch must still run.
  return dead.length + Math.max(rows.length, replies.length);
}
