import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findUserView } from '../../shared/users/repository.ts';
import { toUserView } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

export const getUser: RouteHandler<Routes['getUser']> = async ({ params, user }) => {
  const row = await findUserView(getDb(), params.id, user?.id ?? null);
  if (!row) throw new NotFoundError('User');
  return toUserView(row);
};
