import type { DbOrTrx } from '../db/client.ts';
import { PaymentRequiredError } from '../http/errors.ts';
import { currentBalance, giveCredits, hasLedgerEntry, recordLedgerEntry, takeCredits } from './repository.ts';

/**
 * Takes `amount` credits for a job, atomically: the conditional UPDATE cannot take a
 * balance below zero however many requests race, and the ledger entry (unique key per job)
 * is written in the caller's transaction. Throws 402 with the balance when short.
 */
export async function spendCredits(
  trx: DbOrTrx,
  spend: { userId: string; amount: number; jobId: string },
): Promise<number> {
  if (spend.amount === 0) return currentBalance(trx, spend.userId);
  const balanceAfter = await takeCredits(trx, spend.userId, spend.amount);
  if (balanceAfter === undefined) {
    const balance = await currentBalance(trx, spend.userId);
    throw new PaymentRequiredError(`This costs ${spend.amount} credits and you have ${balance}`, {
      balance,
      required: spend.amount,
    });
  }
  await recordLedgerEntry(trx, {
    userId: spend.userId,
    amount: -spend.amount,
    reason: 'job_spend',
    idempotencyKey: `job:${spend.jobId}:spend`,
    balanceAfter,
    jobId: spend.jobId,
  });
  return balanceAfter;
}

/**
 * Gives a failed/canceled job's credits back. Callers invoke it only from the one
 * transaction that moved the job into its terminal state, and the ledger's unique key
 * makes a second refund impossible even if that rule were broken.
 */
export async function refundJob(
  trx: DbOrTrx,
  job: { id: string; user_id: string; cost: number },
): Promise<void> {
  if (job.cost === 0) return;
  if (await hasLedgerEntry(trx, `job:${job.id}:refund`)) return;
  const balanceAfter = await giveCredits(trx, job.user_id, job.cost);
  await recordLedgerEntry(trx, {
    userId: job.user_id,
    amount: job.cost,
    reason: 'job_refund',
    idempotencyKey: `job:${job.id}:refund`,
    balanceAfter,
    jobId: job.id,
  });
}

/** What verifying an account's email grants, once. */
export const SIGNUP_CREDITS = 100;

/**
 * The sign-up credits, granted by email verification: the ledger's unique key makes it happen
 * exactly once per account, whatever retries or races.
 */
export async function recordSignupBonus(trx: DbOrTrx, userId: string): Promise<void> {
  const key = `signup:${userId}`;
  if (await hasLedgerEntry(trx, key)) return;
  const balanceAfter = await giveCredits(trx, userId, SIGNUP_CREDITS);
  await recordLedgerEntry(trx, {
    userId,
    amount: SIGNUP_CREDITS,
    reason: 'signup_bonus',
    idempotencyKey: key,
    balanceAfter,
  });
}

/**
 * A deleted account's balance leaves through the ledger (`account_closed`), so its ledger rows,
 * which stay for accounting, still sum to its (zero) balance. Once only, by its key.
 */
export async function closeAccountCredits(
  trx: DbOrTrx,
  user: { id: string; credits: number },
): Promise<void> {
  if (user.credits === 0) return;
  const key = `account-closed:${user.id}`;
  if (await hasLedgerEntry(trx, key)) return;
  const balanceAfter = await takeCredits(trx, user.id, user.credits);
  if (balanceAfter === undefined) return;
  await recordLedgerEntry(trx, {
    userId: user.id,
    amount: -user.credits,
    reason: 'account_closed',
    idempotencyKey: key,
    balanceAfter,
  });
}
