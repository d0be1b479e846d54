import { getDb } from '../../shared/db/client.ts';
import { UnauthorizedError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import { listPublicVideos } from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import { excludeAiFor } from '../../shared/videos/visibility.ts';
import type { Routes } from '../routes.ts';

/** Also the seed's path, `GET /v1/videos/` (same query, same page). */
export const listVideos: RouteHandler<Routes['listVideos'] | Routes['listVideosSeedPath']> = async ({
  query,
  user,
}) => {
  if (query.feed === 'following' && !user) throw new UnauthorizedError('Sign in to see who you follow');
  const viewerId = user?.id ?? null;
  // One extra row tells whether there is a next page without a count query.
  const rows = await listPublicVideos(getDb(), {
    viewerId,
    ownerId: query.user_id,
    followedBy: query.feed === 'following' ? user!.id : undefined,
    cursor: decodeCursor(query.cursor),
    limit: query.limit + 1,
    excludeAi: excludeAiFor(query.exclude_ai, user),
  });
  const page = toTimePage(rows, query.limit, (r) => r.created_us);
  return { items: await toVideoViews(page.rows, viewerId), next_cursor: page.next_cursor };
};
