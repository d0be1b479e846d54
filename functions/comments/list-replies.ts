import { listReplyRows } from '../../shared/comments/repository.ts';
import { findReadableComment } from '../../shared/comments/service.ts';
import { toCommentPage } from '../../shared/comments/view.ts';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor } from '../../shared/pagination/keyset.ts';
import type { Routes } from '../routes.ts';

export const listReplies: RouteHandler<Routes['listReplies']> = async ({ params, query, user }) => {
  const cursor = decodeCursor(query.cursor);
  const db = getDb();
  if (!(await findReadableComment(db, params.id, user?.id ?? null))) throw new NotFoundError('Comment');
  return toCommentPage(
    await listReplyRows(db, params.id, user?.id ?? null, cursor, query.limit + 1),
    query.limit,
  );
};
