import { isBlockedEitherWay } from '../blocks/repository.ts';
import type { DbOrTrx } from '../db/client.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { createNotification } from '../notifications/repository.ts';
import { lockAccountStandings, refuseSuspendedActor } from '../users/standing.ts';
import { findVisibleVideoStats } from '../videos/repository.ts';
import {
  adjustCommentCount,
  adjustReplyCount,
  countsOnVideo,
  findCommentParent,
  findLiveComment,
  insertComment,
  lockCommentInAnyState,
  lockLiveComment,
  setCommentRemoval,
  softDeleteCommentThread,
  updateCommentBody,
} from './repository.ts';

/*
 * Lock order, everywhere: the author's account (postComment), a thread's top-level comment before
 * its replies, comments before the video row (counter update). Replying locks the parent, so a
 * reply cannot slip in while its thread is being deleted, and concurrent deletes of a reply and
 * its thread cannot deadlock. A suspended author's comments, and the replies under their
 * top-level ones, are hidden and counted nowhere; a suspension recounts the threads around the
 * account under the same thread locks (shared/comments/suspension.ts).
 */

/**
 * Adds a comment (or a reply to a top-level comment of the same video), counts it on the
 * video and the parent, and notifies the video's owner and the parent's author.
 */
export async function postComment(
  trx: DbOrTrx,
  input: { videoId: string; authorId: string; body: string; parentId?: string },
): Promise<string> {
  refuseSuspendedActor(await lockAccountStandings(trx, [input.authorId]), input.authorId);
  const video = await findVisibleVideoStats(trx, input.videoId, input.authorId);
  if (!video) throw new NotFoundError('Video');
  let parent: Awaited<ReturnType<typeof lockLiveComment>>;
  if (input.parentId) {
    parent = await lockLiveComment(trx, input.parentId);
    // A comment under another video, or a suspended author's (hidden), is as unknown as a missing one.
    if (!parent || parent.video_id !== video.id || parent.author_suspended)
      throw new NotFoundError('Parent comment');
    // Nor does a reply cross a block (the parent's author is hidden from the replier).
    if (await isBlockedEitherWay(trx, parent.author_id, input.authorId))
      throw new NotFoundError('Parent comment');
    if (parent.parent_id) {
      throw new BadRequestError(
        'Replies go to top-level comments; reply to the comment this one answers',
        { parent_id: parent.parent_id },
        'reply_depth_exceeded',
      );
    }
  }
  const comment = await insertComment(trx, {
    video_id: video.id,
    author_id: input.authorId,
    parent_id: parent?.id ?? null,
    body: input.body,
  });
  await adjustCommentCount(trx, video.id, 1);
  if (parent) await adjustReplyCount(trx, parent.id, 1);
  const notice = {
    actorId: input.authorId,
    type: 'comment',
    videoId: video.id,
    commentId: comment.id,
  } as const;
  await createNotification(trx, { ...notice, recipientId: video.owner_id });
  if (parent && parent.author_id !== video.owner_id) {
    await createNotification(trx, { ...notice, recipientId: parent.author_id });
  }
  return comment.id;
}

/** Only the author edits, and only while they can still see the video. */
export async function editComment(
  trx: DbOrTrx,
  input: { commentId: string; userId: string; body: string },
): Promise<void> {
  const comment = await lockLiveComment(trx, input.commentId);
  if (!comment || comment.author_id !== input.userId) throw new NotFoundError('Comment');
  if (!(await findVisibleVideoStats(trx, comment.video_id, input.userId))) throw new NotFoundError('Comment');
  await updateCommentBody(trx, comment.id, input.body);
}

/**
 * The author or the video's owner deletes a comment; a top-level comment takes its replies
 * with it. Soft delete; the video's comment_count drops by what the thread showed (the comment
 * and its counted replies) and the parent's reply_count by one, so both keep equal to the rows
 * they count. A suspended author's comment moves neither: it was counted nowhere. A second
 * delete is 404.
 */
export async function removeComment(
  trx: DbOrTrx,
  input: { commentId: string; userId: string },
): Promise<void> {
  const found = await findLiveComment(trx, input.commentId);
  if (!found) throw new NotFoundError('Comment');
  // The parent in any state: a moderator may have taken it down, and the count depends on it.
  const parent = found.parent_id ? await lockCommentInAnyState(trx, found.parent_id) : undefined;
  const comment = await lockLiveComment(trx, input.commentId);
  if (!comment) throw new NotFoundError('Comment');
  const video = await findVisibleVideoStats(trx, comment.video_id, input.userId);
  if (!video || (comment.author_id !== input.userId && video.owner_id !== input.userId)) {
    throw new NotFoundError('Comment');
  }
  await softDeleteCommentThread(trx, comment.id);
  if (comment.author_suspended) return;
  // A reply under a hidden thread (taken down, or its author suspended) is not on the video's count.
  const shown = comment.parent_id ? 1 : 1 + comment.reply_count;
  if (countsOnVideo(comment.parent_id, parent)) await adjustCommentCount(trx, video.id, -shown);
  if (parent) await adjustReplyCount(trx, parent.id, -1);
}

/**
 * A moderator's takedown (`reason`) or restore (null) of a comment. A taken-down comment hides
 * its replies too, so the video's comment_count drops by the comment and the replies it shows,
 * and a reply's parent loses it from reply_count; a restore puts back what is still there.
 * Repeating either moves no counter. Locks the parent first, as replying and deleting do.
 */
export async function setCommentTakedown(trx: DbOrTrx, commentId: string, reason: string | null) {
  const found = await findCommentParent(trx, commentId);
  if (!found) return undefined;
  const parent = found.parent_id ? await lockCommentInAnyState(trx, found.parent_id) : undefined;
  const comment = await lockCommentInAnyState(trx, commentId);
  if (!comment) return undefined;
  await setCommentRemoval(trx, comment.id, reason);
  const wasDown = comment.removed_at !== null;
  const goesDown = reason !== null;
  if (wasDown === goesDown) return comment; // a second takedown only changes the reason
  if (comment.author_suspended) return comment; // hidden and counted nowhere either way
  const sign = goesDown ? -1 : 1;
  if (!comment.parent_id) {
    await adjustCommentCount(trx, comment.video_id, sign * (1 + comment.reply_count));
  } else if (parent) {
    await adjustReplyCount(trx, parent.id, sign);
    if (countsOnVideo(comment.parent_id, parent)) await adjustCommentCount(trx, comment.video_id, sign);
  }
  return comment;
}

/**
 * A live comment on a video the viewer can see (for reading its replies); a suspended author's
 * thread is hidden with them.
 */
export async function findReadableComment(db: DbOrTrx, commentId: string, viewerId: string | null) {
  const comment = await findLiveComment(db, commentId);
  if (!comment || comment.author_suspended) return undefined;
  if (!(await findVisibleVideoStats(db, comment.video_id, viewerId))) return undefined;
  return comment;
}
