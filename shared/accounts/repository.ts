import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

export function insertEmailToken(
  db: DbOrTrx,
  token: { user_id: string; purpose: EmailTokenPurpose; token_hash: string; expires_at: Date },
) {
  return db.insertInto('email_tokens').values(token).execute();
}

/** Spends a live token (single use: of two concurrent uses exactly one gets the row). */
export function consumeEmailToken(db: DbOrTrx, tokenHash: string, purpose: EmailTokenPurpose) {
  return db
    .updateTable('email_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('user_id')
    .executeTakeFirst();
}

/** A live token's account, without spending it (to check a new password before the reset). */
export function findLiveEmailToken(db: DbOrTrx, tokenHash: string, purpose: EmailTokenPurpose) {
  return db
    .selectFrom('email_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.email', 'u.username'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.purpose', '=', purpose)
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('u.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Tokens issued to an account for `purpose` in the last `seconds`, newest first (rate limits). */
export function recentEmailTokens(db: DbOrTrx, userId: string, purpose: EmailTokenPurpose, seconds: number) {
  return db
    .selectFrom('email_tokens')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Other unused tokens of the same purpose stop working once one is used. */
export function expireEmailTokens(db: DbOrTrx, userId: string, purpose: EmailTokenPurpose) {
  return db
    .updateTable('email_tokens')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Marks the email verified once; undefined when it already was (or the account is gone). */
export function markEmailVerified(db: DbOrTrx, userId: string) {
  return db
    .updateTable('users')
    .set({ email_verified_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', userId)
    .where('email_verified_at', 'is', null)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function setPasswordHash(db: DbOrTrx, userId: string, passwordHash: string) {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

/** Whether `usernameLower` is held for 30 days by an account other than `userId` after a rename. */
export async function isUsernameReserved(db: DbOrTrx, usernameLower: string, userId: string | null) {
  const row = await db
    .selectFrom('username_reservations')
    .select('user_id')
    .where('username_lower', '=', usernameLower)
    .where('reserved_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row !== undefined && row.user_id !== userId;
}

export function reserveUsername(db: DbOrTrx, usernameLower: string, userId: string, days: number) {
  return db
    .insertInto('username_reservations')
    .values({ username_lower: usernameLower, user_id: userId, reserved_until: sql`now() + make_interval(days => ${days})` })
    .onConflict((oc) =>
      oc.column('username_lower').doUpdateSet({ user_id: userId, reserved_until: sql`now() + make_interval(days => ${days})` }),
    )
    .execute();
}

export function releaseUsernameReservation(db: DbOrTrx, usernameLower: string) {
  return db.deleteFrom('username_reservations').where('username_lower', '=', usernameLower).execute();
}
