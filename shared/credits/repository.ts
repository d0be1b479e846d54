import { sql } from 'kysely';
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

/** Takes `amount` if the balance allows it; the new balance, or undefined when short. */
export async function takeCredits(db: DbOrTrx, userId: string, amount: number): Promise<number | undefined> {
  const row = await db
    .updateTable('users')
    .set({ credits: sql`credits - ${amount}` })
    .where('id', '=', userId)
    .where('credits', '>=', amount)
    .returning('credits')
    .executeTakeFirst();
  return row?.credits;
}

export async function giveCredits(db: DbOrTrx, userId: string, amount: number): Promise<number> {
  const row = await db
    .updateTable('users')
    .set({ credits: sql`credits + ${amount}` })
    .where('id', '=', userId)
    .returning('credits')
    .executeTakeFirstOrThrow();
  return row.credits;
}

export async function hasLedgerEntry(db: DbOrTrx, idempotencyKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('credit_ledger')
    .select('id')
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row !== undefined;
}

export async function currentBalance(db: DbOrTrx, userId: string): Promise<number> {
  const row = await db.selectFrom('users').select('credits').where('id', '=', userId).executeTakeFirst();
  return row?.credits ?? 0;
}
