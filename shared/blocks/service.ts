import type { DbOrTrx } from '../db/client.ts';
import { adjustFollowCounts, deleteFollow } from '../follows/repository.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { withdrawUnreadNotification } from '../notifications/repository.ts';
import { lockUsersInOrder } from '../users/repository.ts';
import { deleteBlock, findBlockableUser, insertBlock } from './repository.ts';

export interface BlockOutcome {
  user_id: string;
  blocked: boolean;
}

function refuseSelf(blockerId: string, blockedId: string) {
  if (blockerId === blockedId)
    throw new BadRequestError('You cannot block yourself', undefined, 'cannot_block_self');
}

/**
 * Block = the row, and both follows between the two removed with their counters (each moves
 * only when its row was really deleted). Both users rows are locked first, in id order, as
 * adjustFollowCounts locks them: a follow racing the block either commits first (and is
 * removed here) or re-checks the block after it (addFollow) and is refused.
 */
export async function placeBlock(trx: DbOrTrx, blockerId: string, blockedId: string): Promise<BlockOutcome> {
  refuseSelf(blockerId, blockedId);
  if (!(await findBlockableUser(trx, blockedId))) throw new NotFoundError('User');
  const locked = await lockUsersInOrder(trx, [blockerId, blockedId]);
  // A follow with a suspended side is in no counter already (shared/users/standing.ts).
  const counted = locked.every((u) => u.suspended_at === null);
  if (await insertBlock(trx, blockerId, blockedId)) {
    for (const [follower, followee] of [
      [blockerId, blockedId],
      [blockedId, blockerId],
    ] as const) {
      if (!(await deleteFollow(trx, follower, followee))) continue;
      if (counted) await adjustFollowCounts(trx, follower, followee, -1);
      await withdrawUnreadNotification(trx, { type: 'follow', recipientId: followee, actorId: follower });
    }
  }
  return { user_id: blockedId, blocked: true };
}

/** Unblocking restores nothing but visibility: the follows the block removed stay removed. */
export async function liftBlock(trx: DbOrTrx, blockerId: string, blockedId: string): Promise<BlockOutcome> {
  refuseSelf(blockerId, blockedId);
  if (!(await findBlockableUser(trx, blockedId))) throw new NotFoundError('User');
  await deleteBlock(trx, blockerId, blockedId);
  return { user_id: blockedId, blocked: false };
}
