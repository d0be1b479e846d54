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
    .values({
      username_lower: usernameLower,
      user_id: userId,
      reserved_until: sql`now() + make_interval(days => ${days})`,
    })
    .onConflict((oc) =>
      oc
        .column('username_lower')
        .doUpdateSet({ user_id: userId, reserved_until: sql`now() + make_interval(days => ${days})` }),
    )
    .execute();
}

export function releaseUsernameReservation(db: DbOrTrx, usernameLower: string) {
  return db.deleteFrom('username_reservations').where('username_lower', '=', usernameLower).execute();
}

/**
 * DELETE /v1/account, at once: the row becomes an anonymous tombstone (ledger rows and glitch
 * chains keep pointing at it): a name and email no sign-up can take (so both are released), no
 * profile text, no password, no credits. `avatar_key` stays until the worker deleted the objects.
 */
export function anonymiseAccount(db: DbOrTrx, userId: string) {
  const tombstone = `~deleted~${userId.replace(/-/g, '')}`;
  return db
    .updateTable('users')
    .set({
      deleted_at: sql`now()`,
      email: tombstone,
      username: tombstone,
      display_name: 'Deleted account',
      bio: '',
      password_hash: '',
      pending_avatar_id: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .returning(['id', 'credits', 'suspended_at'])
    .executeTakeFirst();
}

export async function deleteAccountSecrets(db: DbOrTrx, userId: string): Promise<void> {
  await db.deleteFrom('refresh_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('email_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('username_reservations').where('user_id', '=', userId).execute();
}

export function findDeletedAccount(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'avatar_key', 'deleted_at', 'purged_at', 'suspended_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export function finishPurge(db: DbOrTrx, userId: string) {
  return db
    .updateTable('users')
    .set({ avatar_key: null, purged_at: sql`now()`, follower_count: 0, following_count: 0, video_count: 0 })
    .where('id', '=', userId)
    .execute();
}

export function listExportsOf(db: DbOrTrx, userId: string, limit: number) {
  return db
    .selectFrom('account_exports')
    .select(['id', 'object_key'])
    .where('user_id', '=', userId)
    .limit(limit)
    .execute();
}

export function deleteExports(db: DbOrTrx, ids: string[]) {
  return db.deleteFrom('account_exports').where('id', 'in', ids).execute();
}

export function insertExport(db: DbOrTrx, userId: string) {
  return db
    .insertInto('account_exports')
    .values({ user_id: userId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The person's newest export request (the rate limit looks at it). */
export function findLatestExport(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('account_exports')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findOwnExport(db: DbOrTrx, id: string, userId: string) {
  return db
    .selectFrom('account_exports')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function findExport(db: DbOrTrx, id: string) {
  return db
    .selectFrom('account_exports as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .selectAll('e')
    .select(['u.email', 'u.locale', 'u.email_verified_at', 'u.deleted_at as user_deleted_at'])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

export function markExportBuilding(db: DbOrTrx, id: string) {
  return db
    .updateTable('account_exports')
    .set({ status: 'building' })
    .where('id', '=', id)
    .where('status', '<>', 'ready')
    .execute();
}

/**
 * Records a built export. Only the first run to finish does (a redelivered message may build it
 * twice), and none once its account is deleted (the purge may have removed the row already, or
 * will; either way nobody is told about it).
 */
export function markExportReady(
  db: DbOrTrx,
  id: string,
  done: { object_key: string; size_bytes: number; download_token_hash: string; expires_at: Date },
) {
  return db
    .updateTable('account_exports as e')
    .set({ ...done, status: 'ready', error: null, completed_at: sql`now()` })
    .where('e.id', '=', id)
    .where('e.status', '<>', 'ready')
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom('users as u')
            .select('u.id')
            .whereRef('u.id', '=', 'e.user_id')
            .where('u.deleted_at', 'is not', null),
        ),
      ),
    )
    .returning('e.id')
    .executeTakeFirst();
}

export function markExportFailed(db: DbOrTrx, id: string, error: string) {
  return db
    .updateTable('account_exports')
    .set({ status: 'failed', error, completed_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '<>', 'ready')
    .execute();
}

export function findExportByDownloadToken(db: DbOrTrx, id: string, tokenHash: string) {
  return db
    .selectFrom('account_exports')
    .select(['object_key', 'expires_at'])
    .where('id', '=', id)
    .where('download_token_hash', '=', tokenHash)
    .where('status', '=', 'ready')
    .executeTakeFirst();
}

/** Everything the data export holds about a person, one query per file of the zip. */
export async function collectAccountData(db: DbOrTrx, userId: string) {
  const [profile, videos, comments, likes, following, followers, notifications, ledger, jobs, assets] =
    await Promise.all([
      db
        .selectFrom('users')
        .select([
          'id',
          'email',
          'username',
          'display_name',
          'bio',
          'locale',
          'credits',
          'follower_count',
          'following_count',
          'video_count',
          'email_verified_at',
          'username_changed_at',
          'created_at',
        ])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('videos')
        .select([
          'id',
          'caption',
          'visibility',
          'status',
          'origin',
          'duration_ms',
          'width',
          'height',
          'size_bytes',
          'like_count',
          'comment_count',
          'glitch_count',
          'created_at',
          'source_key',
          'original_key',
          'content_type',
        ])
        .where('owner_id', '=', userId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('comments')
        .select(['id', 'video_id', 'parent_id', 'body', 'created_at', 'updated_at'])
        .where('author_id', '=', userId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('likes')
        .select(['video_id', 'created_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('follows as f')
        .innerJoin('users as u', 'u.id', 'f.followee_id')
        .select(['u.id', 'u.username', 'f.created_at'])
        .where('f.follower_id', '=', userId)
        .orderBy('f.created_at')
        .execute(),
      db
        .selectFrom('follows as f')
        .innerJoin('users as u', 'u.id', 'f.follower_id')
        .select(['u.id', 'u.username', 'f.created_at'])
        .where('f.followee_id', '=', userId)
        .orderBy('f.created_at')
        .execute(),
      db
        .selectFrom('notifications')
        .select(['id', 'type', 'actor_id', 'video_id', 'comment_id', 'read_at', 'created_at'])
        .where('recipient_id', '=', userId)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('credit_ledger')
        .select(['amount', 'reason', 'job_id', 'balance_after', 'created_at'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('ai_jobs')
        .select([
          'id',
          'kind',
          'status',
          'cost',
          'model',
          'input',
          'error',
          'source_video_id',
          'result_video_id',
          'created_at',
          'completed_at',
        ])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('media_assets')
        .select(['id', 'kind', 'status', 'object_key', 'content_type', 'size_bytes', 'created_at'])
        .where('owner_id', '=', userId)
        .where('status', '<>', 'failed')
        .orderBy('created_at')
        .execute(),
    ]);
  return { profile, videos, comments, likes, following, followers, notifications, ledger, jobs, assets };
}

/** Deleted accounts the worker has not finished `afterSeconds` after deletion (a lost message). */
export function listStalledPurges(db: DbOrTrx, afterSeconds: number, limit: number) {
  return db
    .selectFrom('users')
    .select('id')
    .where('deleted_at', 'is not', null)
    .where('purged_at', 'is', null)
    .where('deleted_at', '<', sql<Date>`now() - make_interval(secs => ${afterSeconds})`)
    .where('deleted_at', '>', sql<Date>`now() - interval '7 days'`)
    .limit(limit)
    .execute();
}

/** Exports still queued `afterSeconds` after they were asked for (a lost message). */
export function listStalledExports(db: DbOrTrx, afterSeconds: number, limit: number) {
  return db
    .selectFrom('account_exports')
    .select('id')
    .where('status', '=', 'queued')
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${afterSeconds})`)
    .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
    .limit(limit)
    .execute();
}
