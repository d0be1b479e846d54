import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { PaymentRequiredError } from '../http/errors.ts';
import { recordLedgerEntry } from './ledger.ts';

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
  const row = await trx
    .updateTable('users')
    .set({ credits: sql`credits - ${spend.amount}` })
    .where('id', '=', spend.userId)
    .where('credits', '>=', spend.amount)
    .returning('credits')
    .executeTakeFirst();
  if (!row) {
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
    balanceAfter: row.credits,
    jobId: spend.jobId,
  });
  return row.credits;
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
  const already = await trx
    .selectFrom('credit_ledger')
    .select('id')
    .where('idempotency_key', '=', `job:${job.id}:refund`)
    .executeTakeFirst();
  if (already) return;
  const row = await trx
    .updateTable('users')
    .set({ credits: sql`credits + ${job.cost}` })
    .where('id', '=', job.user_id)
    .returning('credits')
    .executeTakeFirstOrThrow();
  await recordLedgerEntry(trx, {
    userId: job.user_id,
    amount: job.cost,
    reason: 'job_refund',
    idempotencyKey: `job:${job.id}:refund`,
    balanceAfter: row.credits,
    jobId: job.id,
  });
}

async function currentBalance(db: DbOrTrx, userId: string): Promise<number> {
  const row = await db.selectFrom('users').select('credits').where('id', '=', userId).executeTakeFirst();
  return row?.credits ?? 0;
}
