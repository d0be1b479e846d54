import { listFollows } from '../../shared/follows/list-follows.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const listFollowers: RouteHandler<Routes['listFollowers']> = async ({ params, query, user }) =>
  listFollows({
    userId: params.id,
    direction: 'followers',
    viewerId: user?.id ?? null,
    cursor: query.cursor,
    limit: query.limit,
  });
