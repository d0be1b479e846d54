import type { DbOrTrx } from '../db/client.ts';
import { AppError, UnauthorizedError } from '../http/errors.ts';
import { lockStandings } from './repository.ts';

/*
 * What a suspension does to others' counters: a like counts on its video while the person who
 * liked is not suspended, and a follow counts on both sides while neither is. A suspension
 * takes the account's likes and follows out of those counters and lifting it puts them back
 * (shared/moderation/suspension-counts.ts); a suspended account's own follower and following
 * counts are rebuilt when it is lifted.
 *
 * Every write that moves such a counter first locks the accounts involved (FOR KEY SHARE, here)
 * and decides with what it read under the lock, so a suspension committing meanwhile is seen
 * either entirely before or entirely after that write, and nothing is counted twice.
 */

export interface Standings {
  /** Whether every one of these accounts is counted (exists and is not suspended). */
  allCounted: boolean;
  suspended(id: string): boolean;
  exists(id: string): boolean;
}

export async function lockAccountStandings(db: DbOrTrx, ids: string[]): Promise<Standings> {
  const rows = new Map((await lockStandings(db, [...new Set(ids)])).map((r) => [r.id, r]));
  const suspended = (id: string) => rows.get(id)?.suspended_at != null;
  return {
    allCounted: ids.every((id) => rows.has(id) && !suspended(id)),
    suspended,
    exists: (id) => rows.has(id) && rows.get(id)!.deleted_at === null,
  };
}

/**
 * The caller of a write that counts (a like, a follow) may not act once suspended: their
 * sessions ended with the suspension, and a request already past the session check when it
 * committed is refused here instead of adding to a counter the suspension just emptied.
 */
export function refuseSuspendedActor(standings: Standings, actorId: string): void {
  if (!standings.exists(actorId)) throw new UnauthorizedError('This account no longer exists');
  if (standings.suspended(actorId)) {
    throw new AppError(403, 'account_suspended', 'This account is suspended');
  }
}
