import type { DbOrTrx } from '../db/client.ts';
import type { LedgerReason } from '../db/schema.ts';

/**
 * Every change to users.credits goes through the ledger in the same transaction, so
 * sum(credit_ledger.amount) per user always equals users.credits.
 */
export function recordLedgerEntry(
  db: DbOrTrx,
  entry: {
    userId: string;
    amount: number;
    reason: LedgerReason;
    idempotencyKey: string;
    balanceAfter: number;
    jobId?: string | null;
  },
) {
  return db
    .insertInto('credit_ledger')
    .values({
      user_id: entry.userId,
      amount: entry.amount,
      reason: entry.reason,
      idempotency_key: entry.idempotencyKey,
      balance_after: entry.balanceAfter,
      job_id: entry.jobId ?? null,
    })
    .execute();
}

/** New accounts start with the column default (100); the ledger records where it came from. */
export function recordSignupBonus(db: DbOrTrx, user: { id: string; credits: number }) {
  return recordLedgerEntry(db, {
    userId: user.id,
    amount: user.credits,
    reason: 'signup_bonus',
    idempotencyKey: `signup:${user.id}`,
    balanceAfter: user.credits,
  });
}
