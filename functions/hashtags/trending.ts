import { getDb } from '../../shared/db/client.ts';
import { trendingHashtagsQuery } from '../../shared/hashtags/repository.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const trendingHashtags: RouteHandler<Routes['trendingHashtags']> = async ({ query }) => {
  const items = await trendingHashtagsQuery(getDb(), query).execute();
  // The same for everyone and slow-moving: let clients and a CDN reuse it for a minute.
  return new Reply(200, { window: query.window, items }, { 'cache-control': 'public, max-age=60' });
};
