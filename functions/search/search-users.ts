import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';
import { searchUsers as search } from './search.ts';

export const searchUsers: RouteHandler<Routes['searchUsers']> = async ({ query, user }) =>
  search(getDb(), { q: query.q, viewerId: user?.id ?? null, cursor: query.cursor, limit: query.limit });
