import { getDb } from '../../shared/db/client.ts';
import { UnauthorizedError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findUserById } from '../../shared/users/repository.ts';
import { toMe } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

export const me: RouteHandler<Routes['me']> = async ({ user }) => {
  const row = await findUserById(getDb(), user.id);
  // A valid token for an account that no longer exists.
  if (!row) throw new UnauthorizedError('Account no longer exists', 'invalid_token');
  return await toMe(row);
};
