import type { DbOrTrx } from '../db/client.ts';
import { AppError, UnauthorizedError } from '../http/errors.ts';
import { lockStandings } from './repository.ts';

/*
 * What a suspension does to others' counters: a like counts on its video while the person who
 * liked is not suspended, a follow on both sides while neither is, a glitch on its source while
 * its maker is not, and a comment while its author (and, for a reply, its thread's author) is
 * not. A suspension takes the account's share out of those counters and lifting it puts it back
 * (shared/moderation/suspension-counts.ts); a suspended account's own follower and following
 * counts are rebuilt when it is lifted.
 *
 * Every write that moves such a counter first locks the accounts involved (FOR KEY SHARE, here;
 * comment writers lock the thread, which a suspension locks too) and decides with what it read
 * under the lock, so a suspension committing meanwhile is seen either entirely before or
 * entirely after that write, and nothing is counted twice.
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
 * The caller of a write that counts (a like, a follow, a comment) may not act once suspended:
 * their sessions ended with the suspension, and a request already past the session check when
 * it committed is refused here instead of adding to a counter the suspension just emptied.
 */
export function refuseSuspendedActor(standings: Standings, actorId: string): void {
  if (!standings.exists(actorId)) throw new UnauthorizedError('This account no longer exists');
  if (standings.suspended(actorId)) {
    throw new AppError(403, 'account_suspended', 'This account is suspended');
  }
}
