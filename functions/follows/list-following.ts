import { listFollows } from '../../shared/follows/list-follows.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const listFollowing: RouteHandler<Routes['listFollowing']> = async ({ params, query, user }) =>
  listFollows({
    userId: params.id,
    direction: 'following',
    viewerId: user?.id ?? null,
    cursor: query.cursor,
    limit: query.limit,
  });
