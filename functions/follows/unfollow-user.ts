import { getDb } from '../../shared/db/client.ts';
import { removeFollow } from '../../shared/follows/service.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const unfollowUser: RouteHandler<Routes['unfollowUser']> = async ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => removeFollow(trx, user.id, params.id));
