import { getDb } from '../../shared/db/client.ts';
import { listTaggedVideos } from '../../shared/hashtags/repository.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import { excludeAiFor } from '../../shared/videos/visibility.ts';
import type { Routes } from '../routes.ts';

export const listHashtagVideos: RouteHandler<Routes['listHashtagVideos']> = async ({
  params,
  query,
  user,
}) => {
  const cursor = decodeCursor(query.cursor);
  const viewerId = user?.id ?? null;
  const rows = await listTaggedVideos(getDb(), {
    tag: params.tag,
    viewerId,
    cursor,
    limit: query.limit + 1,
    excludeAi: excludeAiFor(query.exclude_ai, user),
  });
  const page = toTimePage(rows, query.limit, (r) => r.tagged_us);
  return { items: await toVideoViews(page.rows, viewerId), next_cursor: page.next_cursor };
};
