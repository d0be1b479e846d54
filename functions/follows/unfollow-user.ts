import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { unfollowUser as unfollow } from './follows.ts';

export const unfollowUser: RouteHandler<Routes['unfollowUser']> = async ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => unfollow(trx, user.id, params.id));
