import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { addLike } from '../../shared/likes/service.ts';
import type { Routes } from '../routes.ts';

export const likeVideo: RouteHandler<Routes['likeVideo']> = async ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => addLike(trx, user.id, params.id));
