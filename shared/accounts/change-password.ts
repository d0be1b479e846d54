import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { endAllSessions } from '../auth/sessions.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import { trySendMail } from '../mail/send.ts';
import { findUserById } from '../users/repository.ts';
import { requireAcceptablePassword } from './passwords.ts';
import { setPasswordHash } from './repository.ts';

/** Checks the account password (403 `wrong_password`): for changing it and for deleting the account. */
export async function requireCurrentPassword(db: Db, userId: string, password: string) {
  const user = await findUserById(db, userId);
  if (!user || user.deleted_at) throw new NotFoundError('Account');
  if (!(await verifyPassword(password, user.password_hash))) {
    throw new ForbiddenError('The current password is not correct', 'wrong_password');
  }
  return user;
}

/** Needs the current password; signs out every other session; tells a verified address. */
export async function replacePassword(
  db: Db,
  caller: AuthUser,
  input: { current_password: string; new_password: string },
): Promise<void> {
  const user = await requireCurrentPassword(db, caller.id, input.current_password);
  await requireAcceptablePassword(input.new_password, user, 'new_password');
  const passwordHash = await hashPassword(input.new_password);
  await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, user.id, passwordHash);
    await endAllSessions(trx, user.id, caller.sessionId);
  });
  if (user.email_verified_at) {
    await trySendMail({ to: user.email, template: { kind: 'password_changed' }, locale: user.locale });
  }
}
