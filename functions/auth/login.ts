import { verifyPassword } from '../../shared/auth/passwords.ts';
import { getDb } from '../../shared/db/client.ts';
import { UnauthorizedError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { toMe } from '../../shared/users/me.ts';
import { findUserByEmail } from '../../shared/users/repository.ts';
import type { Routes } from '../routes.ts';
import { startSession } from './sessions.ts';

export const login: RouteHandler<Routes['login']> = async ({ body }) => {
  const db = getDb();
  const user = await findUserByEmail(db, body.email);
  // Same answer and same bcrypt work whether the email exists or the password is wrong.
  const ok = await verifyPassword(body.password, user?.password_hash);
  if (!user || !ok) throw new UnauthorizedError('Email or password is incorrect', 'invalid_credentials');
  return { user: toMe(user), tokens: await startSession(db, user.id) };
};
