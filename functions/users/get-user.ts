import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { toUserView } from '../../shared/social/user-view.ts';
import type { Routes } from '../routes.ts';
import { findUserView } from './users.repository.ts';

export const getUser: RouteHandler<Routes['getUser']> = async ({ params, user }) => {
  const row = await findUserView(getDb(), params.id, user?.id ?? null);
  if (!row) throw new NotFoundError('User');
  return toUserView(row);
};
