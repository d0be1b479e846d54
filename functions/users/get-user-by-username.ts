import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findUserViewByUsername } from '../../shared/users/repository.ts';
import { toUserView } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

export const getUserByUsername: RouteHandler<Routes['getUserByUsername']> = async ({ params, user }) => {
  const row = await findUserViewByUsername(getDb(), params.username, user?.id ?? null);
  if (!row) throw new NotFoundError('User');
  return toUserView(row);
};
