import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findAccessibleVideo } from '../../shared/social/video-access.ts';
import { decodeCursor } from '../../shared/videos/cursor.ts';
import type { Routes } from '../routes.ts';
import { listTopLevelComments } from './comments.repository.ts';
import { toCommentPage } from './view.ts';

export const listComments: RouteHandler<Routes['listComments']> = async ({ params, query, user }) => {
  const cursor = decodeCursor(query.cursor);
  const db = getDb();
  // Comments of private, deleted or missing videos are as missing as the video.
  if (!(await findAccessibleVideo(db, params.id, user?.id ?? null))) throw new NotFoundError('Video');
  return toCommentPage(await listTopLevelComments(db, params.id, cursor, query.limit + 1), query.limit);
};
