import { verifyPassword } from '../../shared/auth/passwords.ts';
import { startSession } from '../../shared/auth/sessions.ts';
import { getDb } from '../../shared/db/client.ts';
import { UnauthorizedError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { beginLoginAttempt, loginFailed, loginSucceeded } from '../../shared/limits/login-backoff.ts';
import { findUserByEmail } from '../../shared/users/repository.ts';
import { toMe } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

export const login: RouteHandler<Routes['login']> = async ({ body }) => {
  const db = getDb();
  // 429 (Retry-After) for an attempt too soon after failures, or on a locked account.
  await beginLoginAttempt(db, body.email);
  // Only the account that verified the email signs in with it: an unverified sign-up (which
  // may be someone else's claim on the address) is as unknown here as a wrong password, so
  // login cannot tell which addresses have accounts either. New accounts are signed in by
  // register and by the verification link.
  const user = await findUserByEmail(db, body.email);
  // Same answer and same bcrypt work whether the email exists or the password is wrong.
  const ok = await verifyPassword(body.password, user?.password_hash);
  if (!user || !ok) {
    await loginFailed(db, body.email);
    throw new UnauthorizedError(
      'Email or password is incorrect (new accounts sign in after verifying their email)',
      'invalid_credentials',
    );
  }
  await loginSucceeded(db, body.email);
  return { ...(await startSession(db, user.id)), user: await toMe(user) };
};
