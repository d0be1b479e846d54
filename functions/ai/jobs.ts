import { findOwnJobView, listOwnJobViews, toJobView } from '../../shared/ai/job-view.ts';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, encodeCursor } from '../../shared/videos/cursor.ts';
import type { Routes } from '../routes.ts';

export const getJob: RouteHandler<Routes['getJob']> = async ({ params, user }) => {
  // Someone else's job looks exactly like a missing one.
  const row = await findOwnJobView(getDb(), params.id, user.id);
  if (!row) throw new NotFoundError('Job');
  return toJobView(row);
};

export const listJobs: RouteHandler<Routes['listJobs']> = async ({ query, user }) => {
  const rows = await listOwnJobViews(getDb(), user.id, decodeCursor(query.cursor), query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await Promise.all(page.map(toJobView)),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ t: last.created_us, id: last.id }) : null,
  };
};
