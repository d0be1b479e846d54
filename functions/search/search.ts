import * as z from 'zod';
import type { DbOrTrx } from '../../shared/db/client.ts';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../shared/social/cursor.ts';
import { toPage } from '../../shared/social/keyset.ts';
import { toUserView, type UserPage } from '../../shared/social/user-view.ts';
import { decodeCursor, encodeCursor } from '../../shared/videos/cursor.ts';
import type { VideoPage } from '../../shared/videos/schemas.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import {
  hashtagSearchTerm,
  searchHashtagsQuery,
  searchUsersQuery,
  searchVideosQuery,
} from './search.repository.ts';

const UserSearchCursor = z.object({
  r: z.number().int().min(0).max(3),
  f: z.number().int().min(0),
  id: z.uuid(),
});

interface SearchInput {
  q: string;
  viewerId: string | null;
  cursor?: string;
  limit: number;
}

export async function searchUsers(db: DbOrTrx, input: SearchInput): Promise<z.input<typeof UserPage>> {
  const cursor = decodeOpaqueCursor(UserSearchCursor, input.cursor);
  const rows = await searchUsersQuery(db, { ...input, cursor, limit: input.limit + 1 }).execute();
  const page = toPage(
    rows,
    input.limit,
    (r) => ({ r: Number(r.rank), f: r.follower_count, id: r.id }),
    encodeOpaqueCursor,
  );
  return { items: page.rows.map(toUserView), next_cursor: page.next_cursor };
}

export async function searchVideos(db: DbOrTrx, input: SearchInput): Promise<z.input<typeof VideoPage>> {
  const cursor = decodeCursor(input.cursor);
  const rows = await searchVideosQuery(db, { ...input, cursor, limit: input.limit + 1 }).execute();
  const page = toPage(rows, input.limit, (r) => ({ t: r.created_us, id: r.id }), encodeCursor);
  return { items: await toVideoViews(page.rows, input.viewerId), next_cursor: page.next_cursor };
}

export async function searchHashtags(db: DbOrTrx, input: { q: string; limit: number }) {
  const tag = hashtagSearchTerm(input.q);
  return tag ? searchHashtagsQuery(db, { tag, limit: input.limit }).execute() : [];
}
