import type { DbOrTrx } from '../../shared/db/client.ts';
import { selectUserViews } from '../../shared/social/user-view.ts';

export function findUserView(db: DbOrTrx, id: string, viewerId: string | null) {
  return selectUserViews(db, viewerId).where('u.id', '=', id).executeTakeFirst();
}

/** `users_username_lower_key` (lower(username)): names are unique whatever their case. */
export function findUserViewByUsername(db: DbOrTrx, username: string, viewerId: string | null) {
  return selectUserViews(db, viewerId)
    .where((eb) => eb(eb.fn('lower', ['u.username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}
