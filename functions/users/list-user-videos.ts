import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import { findUserView } from '../../shared/users/repository.ts';
import { listPublicVideos } from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import type { Routes } from '../routes.ts';

export const listUserVideos: RouteHandler<Routes['listUserVideos']> = async ({ params, query, user }) => {
  const cursor = decodeCursor(query.cursor);
  const viewerId = user?.id ?? null;
  const db = getDb();
  // An unknown person is 404; someone with no public videos is an empty page.
  if (!(await findUserView(db, params.id, viewerId))) throw new NotFoundError('User');
  const rows = await listPublicVideos(db, { viewerId, ownerId: params.id, cursor, limit: query.limit + 1 });
  const page = toTimePage(rows, query.limit, (r) => r.created_us);
  return { items: await toVideoViews(page.rows, viewerId), next_cursor: page.next_cursor };
};
