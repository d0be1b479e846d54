import { isBlockedEitherWay } from '../blocks/repository.ts';
import type { DbOrTrx } from '../db/client.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { createNotification, withdrawUnreadNotification } from '../notifications/repository.ts';
import { lockAccountStandings, refuseSuspendedActor } from '../users/standing.ts';
import { adjustFollowCounts, deleteFollow, insertFollow, readFollowerCount } from './repository.ts';

export interface FollowOutcome {
  user_id: string;
  following: boolean;
  follower_count: number;
}

function refuseSelf(followerId: string, followeeId: string) {
  if (followerId === followeeId) {
    throw new BadRequestError('You cannot follow yourself', undefined, 'cannot_follow_self');
  }
}

/**
 * Follow = insert the pair; both counters move only when a row was really inserted, in the
 * same transaction, so repeats and races cannot make them drift. Both accounts are locked first
 * (shared/users/standing.ts): a suspended caller is refused, a suspended account is not found.
 */
export async function addFollow(
  trx: DbOrTrx,
  followerId: string,
  followeeId: string,
): Promise<FollowOutcome> {
  refuseSelf(followerId, followeeId);
  const standings = await lockAccountStandings(trx, [followerId, followeeId]);
  refuseSuspendedActor(standings, followerId);
  if (!standings.exists(followeeId) || standings.suspended(followeeId)) throw new NotFoundError('User');
  if (await isBlockedEitherWay(trx, followerId, followeeId)) throw new NotFoundError('User');
  if (!(await insertFollow(trx, followerId, followeeId))) {
    return { user_id: followeeId, following: true, follower_count: await readFollowerCount(trx, followeeId) };
  }
  const { followerCountOfFollowee } = await adjustFollowCounts(trx, followerId, followeeId, 1);
  // Again under the users row locks: a block committed meanwhile wins (shared/blocks/service.ts).
  if (await isBlockedEitherWay(trx, followerId, followeeId)) throw new NotFoundError('User');
  await createNotification(trx, { recipientId: followeeId, actorId: followerId, type: 'follow' });
  return { user_id: followeeId, following: true, follower_count: followerCountOfFollowee };
}

/**
 * Unfollow mirrors follow. Unfollowing a suspended account works (the follow goes) but moves no
 * counter: its suspension already took that follow out of both.
 */
export async function removeFollow(
  trx: DbOrTrx,
  followerId: string,
  followeeId: string,
): Promise<FollowOutcome> {
  refuseSelf(followerId, followeeId);
  const standings = await lockAccountStandings(trx, [followerId, followeeId]);
  refuseSuspendedActor(standings, followerId);
  if (!standings.exists(followeeId)) throw new NotFoundError('User');
  const removed = await deleteFollow(trx, followerId, followeeId);
  if (!removed || !standings.allCounted) {
    return {
      user_id: followeeId,
      following: false,
      follower_count: await readFollowerCount(trx, followeeId),
    };
  }
  const { followerCountOfFollowee } = await adjustFollowCounts(trx, followerId, followeeId, -1);
  await withdrawUnreadNotification(trx, { type: 'follow', recipientId: followeeId, actorId: followerId });
  return { user_id: followeeId, following: false, follower_count: followerCountOfFollowee };
}
