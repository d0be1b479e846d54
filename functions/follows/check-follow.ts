import { getDb } from '../../shared/db/client.ts';
import { followExists } from '../../shared/follows/repository.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { userExists } from '../../shared/users/repository.ts';
import type { Routes } from '../routes.ts';

export const checkFollow: RouteHandler<Routes['checkFollow']> = async ({ params, user }) => {
  const db = getDb();
  if (!(await userExists(db, params.id))) throw new NotFoundError('User');
  if (!user) return { user_id: params.id, following: null, follows_me: null };
  const [following, followsMe] = await Promise.all([
    followExists(db, user.id, params.id),
    followExists(db, params.id, user.id),
  ]);
  return { user_id: params.id, following, follows_me: followsMe };
};
