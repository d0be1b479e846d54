import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { unlikeVideo as unlike } from './likes.ts';

export const unlikeVideo: RouteHandler<Routes['unlikeVideo']> = async ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => unlike(trx, user.id, params.id));
