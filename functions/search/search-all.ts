import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { searchHashtagsList, searchUsersPage, searchVideosPage } from '../../shared/search/service.ts';
import { excludeAiFor } from '../../shared/videos/visibility.ts';
import type { Routes } from '../routes.ts';

/** The three kinds in parallel; each section's next_cursor continues on its own route. */
export const search: RouteHandler<Routes['search']> = async ({ query, user }) => {
  const db = getDb();
  const input = {
    q: query.q,
    viewerId: user?.id ?? null,
    limit: query.limit,
    excludeAi: excludeAiFor(query.exclude_ai, user),
  };
  const [users, videos, hashtags] = await Promise.all([
    searchUsersPage(db, input),
    searchVideosPage(db, input),
    searchHashtagsList(db, input),
  ]);
  return { users, videos, hashtags };
};
