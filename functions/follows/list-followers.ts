import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { listFollows } from './list-follows.ts';

export const listFollowers: RouteHandler<Routes['listFollowers']> = async ({ params, query, user }) =>
  listFollows({
    userId: params.id,
    direction: 'followers',
    viewerId: user?.id ?? null,
    cursor: query.cursor,
    limit: query.limit,
  });
