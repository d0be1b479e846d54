import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { removeLike } from '../../shared/likes/service.ts';
import type { Routes } from '../routes.ts';

export const unlikeVideo: RouteHandler<Routes['unlikeVideo']> = async ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => removeLike(trx, user.id, params.id));
