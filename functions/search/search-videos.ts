import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { searchVideosPage } from '../../shared/search/service.ts';
import { excludeAiFor } from '../../shared/videos/visibility.ts';
import type { Routes } from '../routes.ts';

export const searchVideos: RouteHandler<Routes['searchVideos']> = async ({ query, user }) =>
  searchVideosPage(getDb(), {
    q: query.q,
    viewerId: user?.id ?? null,
    cursor: query.cursor,
    limit: query.limit,
    excludeAi: excludeAiFor(query.exclude_ai, user),
  });
