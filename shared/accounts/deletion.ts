import { endAllSessions } from '../auth/sessions.ts';
import type { AuthUser } from '../auth/tokens.ts';
import { closeAccountCredits } from '../credits/service.ts';
import type { Db } from '../db/client.ts';
import { NotFoundError } from '../http/errors.ts';
import { logger } from '../logging/logger.ts';
import { hideAllVideosOf } from '../videos/repository.ts';
import { requireCurrentPassword } from './change-password.ts';
import { enqueueDeletion } from './queues.ts';
import { anonymiseAccount, deleteAccountSecrets } from './repository.ts';

/**
 * DELETE /v1/account (password confirmed). One transaction makes the account invisible at once:
 * the row becomes an anonymous tombstone (email and username released), every session is revoked
 * (access tokens die with them), every video disappears, the balance closes through the ledger.
 * The account-deletion worker then removes everything else (purge.ts).
 */
export async function closeAccount(db: Db, caller: AuthUser, password: string): Promise<void> {
  await requireCurrentPassword(db, caller.id, password);
  await db.transaction().execute(async (trx) => {
    const row = await anonymiseAccount(trx, caller.id);
    if (!row) throw new NotFoundError('Account');
    await endAllSessions(trx, caller.id);
    await deleteAccountSecrets(trx, caller.id);
    // Under the row's lock (anonymiseAccount's update), so a suspension cannot slip in between.
    await hideAllVideosOf(trx, caller.id, row.suspended_at === null);
    await closeAccountCredits(trx, row);
  });
  try {
    await enqueueDeletion(caller.id);
  } catch (err) {
    // The account is already gone for everyone; users_pending_purge_idx finds it for a re-run.
    logger.error('could not enqueue account deletion', { user_id: caller.id, error: err as Error });
  }
}
