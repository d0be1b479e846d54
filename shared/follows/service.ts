import { isBlockedEitherWay } from '../blocks/repository.ts';
import type { DbOrTrx } from '../db/client.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { createNotification, withdrawUnreadNotification } from '../notifications/repository.ts';
import { userExists } from '../users/repository.ts';
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
 * same transaction, so repeats and races cannot make them drift.
 */
export async function addFollow(
  trx: DbOrTrx,
  followerId: string,
  followeeId: string,
): Promise<FollowOutcome> {
  refuseSelf(followerId, followeeId);
  if (!(await userExists(trx, followeeId))) throw new NotFoundError('User');
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

export async function removeFollow(
  trx: DbOrTrx,
  followerId: string,
  followeeId: string,
): Promise<FollowOutcome> {
  refuseSelf(followerId, followeeId);
  if (!(await userExists(trx, followeeId))) throw new NotFoundError('User');
  if (!(await deleteFollow(trx, followerId, followeeId))) {
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
