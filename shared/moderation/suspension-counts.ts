import { recountThreadsOf } from '../comments/suspension.ts';
import type { DbOrTrx } from '../db/client.ts';
import { recountFollowsOf, shiftFollowCountsOf } from '../follows/suspension.ts';
import { shiftGlitchCountsOf } from '../glitch/suspension.ts';
import { shiftLikeCountsOf } from '../likes/suspension.ts';

/*
 * A suspended account's likes, follows, comments and glitches stop counting on others
 * (shared/users/standing.ts): people and videos lose what a suspended spam ring gave them, and get
 * it back if the suspension is lifted. Both run in the suspension's transaction, with the account
 * row locked and after it says what changed. The comment threads go first: they lock comments
 * and then videos, the order every comment writer locks in, before the likes lock more videos.
 */

/** On suspension: the account's likes, follows, comments and glitches leave others' counters. */
export async function uncountSuspendedAccount(trx: DbOrTrx, userId: string): Promise<void> {
  await recountThreadsOf(trx, userId);
  await shiftLikeCountsOf(trx, userId, -1);
  await shiftGlitchCountsOf(trx, userId, -1);
  await shiftFollowCountsOf(trx, userId, -1);
}

/**
 * When it is lifted: they count again, and the account's own follower and following counts,
 * which nothing kept while it was suspended, are counted afresh.
 */
export async function recountLiftedAccount(trx: DbOrTrx, userId: string): Promise<void> {
  await recountThreadsOf(trx, userId);
  await shiftLikeCountsOf(trx, userId, 1);
  await shiftGlitchCountsOf(trx, userId, 1);
  await shiftFollowCountsOf(trx, userId, 1);
  await recountFollowsOf(trx, userId);
}
