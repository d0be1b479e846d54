import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { likeVideo as like } from './likes.ts';

export const likeVideo: RouteHandler<Routes['likeVideo']> = async ({ params, user }) =>
  getDb()
    .transaction()
    .execute((trx) => like(trx, user.id, params.id));
