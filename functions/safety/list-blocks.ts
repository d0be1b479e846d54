import { listBlockRows } from '../../shared/blocks/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { decodeCursor, toTimePage } from '../../shared/pagination/keyset.ts';
import { toUserSummary } from '../../shared/users/view.ts';
import type { Routes } from '../routes.ts';

export const listBlocks: RouteHandler<Routes['listBlocks']> = async ({ query, user }) => {
  const rows = await listBlockRows(getDb(), user.id, decodeCursor(query.cursor), query.limit + 1);
  const page = toTimePage(rows, query.limit, (r) => r.blocked_us);
  return {
    items: await Promise.all(
      page.rows.map(async (r) => ({ ...(await toUserSummary(r)), blocked_at: r.created_at })),
    ),
    next_cursor: page.next_cursor,
  };
};
