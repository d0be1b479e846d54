import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { listFollows } from './list-follows.ts';

export const listFollowing: RouteHandler<Routes['listFollowing']> = async ({ params, query, user }) =>
  listFollows({
    userId: params.id,
    direction: 'following',
    viewerId: user?.id ?? null,
    cursor: query.cursor,
    limit: query.limit,
  });
