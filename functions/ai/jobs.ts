import { findOwnJobView, listOwnJobViews } from '../../shared/ai/repository.ts';
import { toJobView } from '../../shared/ai/view.ts';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import type { Routes } from '../routes.ts';

export const getJob: RouteHandler<Routes['getJob']> = async ({ params, user }) => {
  // Someone else's job looks exactly like a missing one.
  const row = await findOwnJobView(getDb(), params.id, user.id);
  if (!row) throw new NotFoundError('Job');
  return toJobView(row);
};

export const listJobs: RouteHandler<Routes['listJobs']> = async ({ query, user }) => {
  const rows = await listOwnJobViews(getDb(), user.id, decodeCursor(query.cursor), query.limit + 1);
  const page = toTimePage(rows, query.limit, (r) => r.created_us);
  return { items: await Promise.all(page.rows.map(toJobView)), next_cursor: page.next_cursor };
};
