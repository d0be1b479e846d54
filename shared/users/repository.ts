import { type RawBuilder, sql } from 'kysely';
import { userVisibleTo } from '../blocks/filter.ts';
import type { Db, DbOrTrx } from '../db/client.ts';
import type { Locale } from '../db/schema.ts';

export const USER_EMAIL_UNIQUE = 'users_email_key';
export const USER_USERNAME_UNIQUE = 'users_username_lower_key';

export function insertUser(
  db: DbOrTrx,
  user: { email: string; username: string; password_hash: string; display_name: string; locale?: Locale },
) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

/** Locks a live account for a change (profile, password, deletion). */
export function lockUser(db: DbOrTrx, id: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Row locks on several accounts, always in id order (the order adjustFollowCounts uses), with
 * whether each is suspended (read under the lock, so a suspension cannot change it meanwhile).
 */
export function lockUsersInOrder(db: DbOrTrx, ids: string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'suspended_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * The accounts' standing, under FOR KEY SHARE in id order: the lock a suspension's FOR UPDATE
 * waits for (and that waits for it), but one that counter updates and other writers to these
 * rows pass. Deleted accounts are included: their counters still move until they are purged.
 */
export function lockStandings(db: DbOrTrx, ids: string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'suspended_at', 'deleted_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forKeyShare()
    .execute();
}

export function updateUserProfile(
  db: DbOrTrx,
  id: string,
  patch: {
    display_name?: string;
    bio?: string;
    locale?: Locale;
    username?: string;
    username_changed_at?: RawBuilder<Date>;
  },
) {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
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
  return (
    db
      .selectFrom('users as u')
      .where('u.deleted_at', 'is', null)
      // Suspended accounts and people on either side of a block look missing (shared/blocks/filter.ts).
      .where(userVisibleTo(viewerId, 'u.id'))
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
      )
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

export function setPendingAvatar(db: DbOrTrx, userId: string, avatarId: string) {
  return db.updateTable('users').set({ pending_avatar_id: avatarId }).where('id', '=', userId).execute();
}

/**
 * Installs a processed avatar if it is still the one asked for last; returns the key it
 * replaced (its objects are now unused), or undefined when this upload was superseded.
 */
export async function installAvatar(db: Db, userId: string, avatarId: string, key: string) {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['avatar_key', 'pending_avatar_id'])
      .where('id', '=', userId)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!user || user.pending_avatar_id !== avatarId) return undefined;
    await trx
      .updateTable('users')
      .set({ avatar_key: key, pending_avatar_id: null, updated_at: sql`now()` })
      .where('id', '=', userId)
      .execute();
    return { previous: user.avatar_key };
  });
}

export function clearPendingAvatar(db: DbOrTrx, userId: string, avatarId: string) {
  return db
    .updateTable('users')
    .set({ pending_avatar_id: null })
    .where('id', '=', userId)
    .where('pending_avatar_id', '=', avatarId)
    .execute();
}

export function findPendingAvatar(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('users')
    .select('pending_avatar_id')
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

const SAFETY_SETTINGS = ['default_allow_glitches', 'default_allow_frame_capture', 'exclude_ai'] as const;

export function findSafetySettings(db: DbOrTrx, userId: string) {
  return db.selectFrom('users').select(SAFETY_SETTINGS).where('id', '=', userId).executeTakeFirstOrThrow();
}

export function writeSafetySettings(
  db: DbOrTrx,
  userId: string,
  patch: { default_allow_glitches?: boolean; default_allow_frame_capture?: boolean; exclude_ai?: boolean },
) {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', userId)
    .returning(SAFETY_SETTINGS)
    .executeTakeFirstOrThrow();
}
