import { listTopLevelCommentRows } from '../../shared/comments/repository.ts';
import { toCommentPage } from '../../shared/comments/view.ts';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor } from '../../shared/pagination/keyset.ts';
import { findVisibleVideoStats } from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';

export const listComments: RouteHandler<Routes['listComments']> = async ({ params, query, user }) => {
  const cursor = decodeCursor(query.cursor);
  const db = getDb();
  // Comments of private, deleted or missing videos are as missing as the video.
  if (!(await findVisibleVideoStats(db, params.id, user?.id ?? null))) throw new NotFoundError('Video');
  return toCommentPage(
    await listTopLevelCommentRows(db, params.id, user?.id ?? null, cursor, query.limit + 1),
    query.limit,
  );
};
