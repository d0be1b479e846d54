import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { listNotificationRows } from '../../shared/notifications/repository.ts';
import { toNotificationView } from '../../shared/notifications/view.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import type { Routes } from '../routes.ts';

export const listNotifications: RouteHandler<Routes['listNotifications']> = async ({ query, user }) => {
  const cursor = decodeCursor(query.cursor);
  const rows = await listNotificationRows(getDb(), user.id, cursor, query.limit + 1);
  const page = toTimePage(rows, query.limit, (r) => r.created_us);
  return { items: await Promise.all(page.rows.map(toNotificationView)), next_cursor: page.next_cursor };
};
