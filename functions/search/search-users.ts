import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { searchUsersPage } from '../../shared/search/service.ts';
import type { Routes } from '../routes.ts';

export const searchUsers: RouteHandler<Routes['searchUsers']> = async ({ query, user }) =>
  searchUsersPage(getDb(), {
    q: query.q,
    viewerId: user?.id ?? null,
    cursor: query.cursor,
    limit: query.limit,
  });
