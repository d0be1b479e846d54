import type * as z from 'zod/mini';
import { getDb } from '../db/client.ts';
import { NotFoundError } from '../http/errors.ts';
import { decodeCursor, toTimePage } from '../pagination/keyset.ts';
import { findUserView } from '../users/repository.ts';
import { toUserView, type UserPage } from '../users/view.ts';
import { listFollowPage } from './repository.ts';

/** Shared by the followers and following routes: they differ only in the direction. */
export async function listFollows(opts: {
  userId: string;
  direction: 'followers' | 'following';
  viewerId: string | null;
  cursor: string | undefined;
  limit: number;
}): Promise<z.input<typeof UserPage>> {
  const cursor = decodeCursor(opts.cursor);
  const db = getDb();
  // Someone hidden from the viewer (suspended, or a block either way) has no visible lists.
  if (!(await findUserView(db, opts.userId, opts.viewerId))) throw new NotFoundError('User');
  const rows = await listFollowPage(db, { ...opts, cursor, limit: opts.limit + 1 });
  const page = toTimePage(rows, opts.limit, (r) => r.followed_us);
  return { items: await Promise.all(page.rows.map(toUserView)), next_cursor: page.next_cursor };
}
