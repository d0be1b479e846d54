import type { DbOrTrx } from '../db/client.ts';
import { NotFoundError } from '../http/errors.ts';
import { createNotification, withdrawUnreadNotification } from '../notifications/repository.ts';
import { lockAccountStandings, refuseSuspendedActor } from '../users/standing.ts';
import { findVisibleVideoStats } from '../videos/repository.ts';
import { adjustLikeCount, deleteLike, insertLike, readLikeCount } from './repository.ts';

export interface LikeOutcome {
  video_id: string;
  liked: boolean;
  like_count: number;
}

/**
 * Like = insert the (user, video) row; the counter moves only when a row was really
 * inserted, in the same transaction, so repeats and races cannot make it drift. The owner is
 * notified once per unread like (see createNotification). The caller's account is locked
 * first: a suspended account's likes do not count (shared/users/standing.ts).
 */
export async function addLike(trx: DbOrTrx, userId: string, videoId: string): Promise<LikeOutcome> {
  refuseSuspendedActor(await lockAccountStandings(trx, [userId]), userId);
  const video = await findVisibleVideoStats(trx, videoId, userId);
  if (!video) throw new NotFoundError('Video');
  if (!(await insertLike(trx, userId, videoId))) {
    return { video_id: videoId, liked: true, like_count: await readLikeCount(trx, videoId) };
  }
  const likeCount = await adjustLikeCount(trx, videoId, 1);
  await createNotification(trx, { recipientId: video.owner_id, actorId: userId, type: 'like', videoId });
  return { video_id: videoId, liked: true, like_count: likeCount };
}

/** Unlike mirrors like: the counter moves only when a row was really deleted. */
export async function removeLike(trx: DbOrTrx, userId: string, videoId: string): Promise<LikeOutcome> {
  refuseSuspendedActor(await lockAccountStandings(trx, [userId]), userId);
  const video = await findVisibleVideoStats(trx, videoId, userId);
  if (!video) throw new NotFoundError('Video');
  if (!(await deleteLike(trx, userId, videoId))) {
    return { video_id: videoId, liked: false, like_count: await readLikeCount(trx, videoId) };
  }
  const likeCount = await adjustLikeCount(trx, videoId, -1);
  await withdrawUnreadNotification(trx, {
    type: 'like',
    recipientId: video.owner_id,
    actorId: userId,
    videoId,
  });
  return { video_id: videoId, liked: false, like_count: likeCount };
}
