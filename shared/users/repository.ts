import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { Locale } from '../db/schema.ts';

export const USER_EMAIL_UNIQUE = 'users_email_key';
export const USER_USERNAME_UNIQUE = 'users_username_lower_key';

export function insertUser(
  db: DbOrTrx,
  user: { email: string; username: string; password_hash: string; display_name: string; locale?: Locale },
) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export function findUserById(db: DbOrTrx, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account that owns an email: the one that verified it (`users_email_key`). */
export function findUserByEmail(db: DbOrTrx, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .where('email_verified_at', 'is not', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The newest live account that claims an email nobody has verified (forgot-password before verifying). */
export function findNewestEmailClaim(db: DbOrTrx, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .where('email_verified_at', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function userExists(db: DbOrTrx, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Public user columns plus `followed_by_me`, in one query whatever the page size. Callers
 * add the filter, join and order (profile, follower lists, search). Deleted accounts are
 * invisible from the moment of deletion, before the worker removes their follows.
 */
export function selectUserViews(db: DbOrTrx, viewerId: string | null) {
  return db
    .selectFrom('users as u')
    .where('u.deleted_at', 'is', null)
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.bio',
      'u.avatar_key',
      'u.follower_count',
      'u.following_count',
      'u.video_count',
    ])
    .select((eb) =>
      viewerId
        ? eb
            .exists(
              eb
                .selectFrom('follows as mf')
                .select(sql`1`.as('one'))
                .where('mf.follower_id', '=', viewerId)
                .whereRef('mf.followee_id', '=', 'u.id'),
            )
            .as('followed_by_me')
        : sql<boolean | null>`NULL`.as('followed_by_me'),
    );
}

export function findUserView(db: DbOrTrx, id: string, viewerId: string | null) {
  return selectUserViews(db, viewerId).where('u.id', '=', id).executeTakeFirst();
}

/** `users_username_lower_key` (lower(username)): names are unique whatever their case. */
export function findUserViewByUsername(db: DbOrTrx, username: string, viewerId: string | null) {
  return selectUserViews(db, viewerId)
    .where((eb) => eb(eb.fn('lower', ['u.username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}
