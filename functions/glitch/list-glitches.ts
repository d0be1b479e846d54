import { sql } from 'kysely';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, encodeCursor } from '../../shared/videos/cursor.ts';
import { findVisibleVideo, isPubliclyVisible, selectVideoViews } from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import type { Routes } from '../routes.ts';

export const listGlitches: RouteHandler<Routes['listGlitches']> = async ({ params, query, user }) => {
  const db = getDb();
  const viewerId = user?.id ?? null;
  if (!(await findVisibleVideo(db, params.id, viewerId))) throw new NotFoundError('Video');
  const cursor = decodeCursor(query.cursor);
  let q = selectVideoViews(db, viewerId).where('g.source_video_id', '=', params.id).where(isPubliclyVisible);
  if (cursor) {
    q = q.where(
      sql<boolean>`(v.created_at, v.id) < (timestamptz 'epoch' + ${cursor.t}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`,
    );
  }
  const rows = await q
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await toVideoViews(page, viewerId),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ t: last.created_us, id: last.id }) : null,
  };
};
