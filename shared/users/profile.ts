import { sql } from 'kysely';
import { isUsernameReserved, releaseUsernameReservation, reserveUsername } from '../accounts/repository.ts';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Locale } from '../db/schema.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { lockUser, USER_USERNAME_UNIQUE, updateUserProfile } from './repository.ts';
import { toMe } from './view.ts';

/** A username can change once per 30 days; the old one stays the account's for 30 days. */
export const USERNAME_CHANGE_DAYS = 30;

export async function changeProfile(
  db: Db,
  userId: string,
  patch: { display_name?: string; bio?: string; username?: string; locale?: Locale },
) {
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await lockUser(trx, userId);
      if (!user) throw new NotFoundError('Account');
      const renamed = patch.username !== undefined && patch.username !== user.username;
      if (renamed) {
        const since = user.username_changed_at?.getTime();
        const nextAt = since === undefined ? 0 : since + USERNAME_CHANGE_DAYS * 86_400_000;
        // A change of case only is still a change (the name people see).
        if (nextAt > Date.now()) {
          throw new ConflictError(
            `Your username can change once every ${USERNAME_CHANGE_DAYS} days`,
            { next_change_at: new Date(nextAt).toISOString() },
            'username_change_too_soon',
          );
        }
        const lower = patch.username!.toLowerCase();
        if (await isUsernameReserved(trx, lower, userId)) throw usernameTaken();
        if (lower !== user.username.toLowerCase()) {
          await reserveUsername(trx, user.username.toLowerCase(), userId, USERNAME_CHANGE_DAYS);
          // Taking back one's own reserved old name ends its reservation.
          await releaseUsernameReservation(trx, lower);
        }
      }
      const updated = await updateUserProfile(trx, userId, {
        ...(patch.display_name !== undefined ? { display_name: patch.display_name } : {}),
        ...(patch.bio !== undefined ? { bio: patch.bio } : {}),
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        ...(renamed ? { username: patch.username, username_changed_at: sql<Date>`now()` } : {}),
      });
      return toMe(updated);
    });
  } catch (err) {
    if (isUniqueViolation(err, USER_USERNAME_UNIQUE)) throw usernameTaken();
    throw err;
  }
}

function usernameTaken() {
  return new ConflictError('That username is taken', { field: 'username' }, 'username_taken');
}
