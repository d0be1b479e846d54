import { hashPassword, passwordWeakness } from '../../shared/auth/passwords.ts';
import { startSession } from '../../shared/auth/sessions.ts';
import { recordSignupBonus } from '../../shared/credits/service.ts';
import { getDb } from '../../shared/db/client.ts';
import { isUniqueViolation } from '../../shared/db/errors.ts';
import { ConflictError, ValidationError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { enforceSignupLimit } from '../../shared/limits/quotas.ts';
import { insertUser, USER_EMAIL_UNIQUE, USER_USERNAME_UNIQUE } from '../../shared/users/repository.ts';
import { toMe } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

export const register: RouteHandler<Routes['register']> = async ({ body, clientIp }) => {
  await enforceSignupLimit(getDb(), clientIp);
  const weakness = passwordWeakness(body.password, body);
  if (weakness) {
    throw new ValidationError(
      [{ in: 'body', path: 'password', code: 'weak_password', message: weakness }],
      weakness,
    );
  }
  // Hash before opening the transaction: bcrypt is slow and must not hold a connection.
  const passwordHash = await hashPassword(body.password);
  try {
    return await getDb()
      .transaction()
      .execute(async (trx) => {
        const user = await insertUser(trx, {
          email: body.email,
          username: body.username,
          password_hash: passwordHash,
          display_name: body.display_name ?? body.username,
        });
        await recordSignupBonus(trx, user);
        return { user: toMe(user), tokens: await startSession(trx, user.id) };
      });
  } catch (err) {
    // The unique indexes decide races: of concurrent registrations, exactly one wins.
    if (isUniqueViolation(err, USER_EMAIL_UNIQUE)) {
      throw new ConflictError('That email is already registered', { field: 'email' }, 'email_taken');
    }
    if (isUniqueViolation(err, USER_USERNAME_UNIQUE)) {
      throw new ConflictError('That username is taken', { field: 'username' }, 'username_taken');
    }
    throw err;
  }
};
