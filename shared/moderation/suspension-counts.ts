import type { DbOrTrx } from '../db/client.ts';
import { recountFollowsOf, shiftFollowCountsOf } from '../follows/repository.ts';
import { shiftLikeCountsOf } from '../likes/repository.ts';

/*
 * A suspended account's likes and follows stop counting on others (shared/users/standing.ts):
 * people and videos lose what a suspended spam ring gave them, and get it back if the
 * suspension is lifted. Both run in the suspension's transaction, with the account row locked.
 */

/** On suspension: the account's likes and follows leave others' counters. */
export async function uncountSuspendedAccount(trx: DbOrTrx, userId: string): Promise<void> {
  await shiftLikeCountsOf(trx, userId, -1);
  await shiftFollowCountsOf(trx, userId, -1);
}

/**
 * When it is lifted (after the row says so): they count again, and the account's own follower
 * and following counts, which nothing kept while it was suspended, are counted afresh.
 */
export async function recountLiftedAccount(trx: DbOrTrx, userId: string): Promise<void> {
  await shiftLikeCountsOf(trx, userId, 1);
  await shiftFollowCountsOf(trx, userId, 1);
  await recountFollowsOf(trx, userId);
}
