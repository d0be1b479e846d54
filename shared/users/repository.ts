import type { DbOrTrx } from '../db/client.ts';

export const USER_EMAIL_UNIQUE = 'users_email_key';
export const USER_USERNAME_UNIQUE = 'users_username_lower_key';

export function insertUser(
  db: DbOrTrx,
  user: { email: string; username: string; password_hash: string; display_name: string },
) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export function findUserById(db: DbOrTrx, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: DbOrTrx, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}
