import * as z from 'zod/mini';
import type { DbOrTrx } from '../db/client.ts';
import {
  decodeCursor,
  decodeOpaqueCursor,
  encodeOpaqueCursor,
  toPage,
  toTimePage,
} from '../pagination/keyset.ts';
import { toUserView, type UserPage } from '../users/view.ts';
import type { VideoPage } from '../videos/view.ts';
import { toVideoViews } from '../videos/view.ts';
import { hashtagSearchTerm, searchHashtagsQuery, searchUsersQuery, searchVideosQuery } from './repository.ts';

const UserSearchCursor = z.object({
  r: z.number().check(z.int(), z.gte(0), z.lte(3)),
  f: z.number().check(z.int(), z.gte(0)),
  id: z.uuid(),
});

interface SearchInput {
  q: string;
  viewerId: string | null;
  cursor?: string;
  limit: number;
  /** Video search only. */
  excludeAi?: boolean;
}

export async function searchUsersPage(db: DbOrTrx, input: SearchInput): Promise<z.input<typeof UserPage>> {
  const cursor = decodeOpaqueCursor(UserSearchCursor, input.cursor);
  const rows = await searchUsersQuery(db, { ...input, cursor, limit: input.limit + 1 }).execute();
  const page = toPage(
    rows,
    input.limit,
    (r) => ({ r: Number(r.rank), f: r.follower_count, id: r.id }),
    encodeOpaqueCursor,
  );
  return { items: await Promise.all(page.rows.map(toUserView)), next_cursor: page.next_cursor };
}

export async function searchVideosPage(db: DbOrTrx, input: SearchInput): Promise<z.input<typeof VideoPage>> {
  const cursor = decodeCursor(input.cursor);
  const rows = await searchVideosQuery(db, { ...input, cursor, limit: input.limit + 1 }).execute();
  const page = toTimePage(rows, input.limit, (r) => r.created_us);
  return { items: await toVideoViews(page.rows, input.viewerId), next_cursor: page.next_cursor };
}

export async function searchHashtagsList(db: DbOrTrx, input: { q: string; limit: number }) {
  const tag = hashtagSearchTerm(input.q);
  return tag ? searchHashtagsQuery(db, { tag, limit: input.limit }).execute() : [];
}
