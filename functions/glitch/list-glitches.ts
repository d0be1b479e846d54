import { getDb } from '../../shared/db/client.ts';
import { listGlitchesOf } from '../../shared/glitch/repository.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import { findVisibleVideo } from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import type { Routes } from '../routes.ts';

export const listGlitches: RouteHandler<Routes['listGlitches']> = async ({ params, query, user }) => {
  const db = getDb();
  const viewerId = user?.id ?? null;
  if (!(await findVisibleVideo(db, params.id, viewerId))) throw new NotFoundError('Video');
  const rows = await listGlitchesOf(db, {
    sourceVideoId: params.id,
    viewerId,
    cursor: decodeCursor(query.cursor),
    limit: query.limit + 1,
  });
  const page = toTimePage(rows, query.limit, (r) => r.created_us);
  return { items: await toVideoViews(page.rows, viewerId), next_cursor: page.next_cursor };
};
