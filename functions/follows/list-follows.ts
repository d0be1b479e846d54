import type { z } from 'zod';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import { toPage } from '../../shared/social/keyset.ts';
import { toUserView, type UserPage } from '../../shared/social/user-view.ts';
import { decodeCursor, encodeCursor } from '../../shared/videos/cursor.ts';
import { listFollowPage, userExists } from './follows.repository.ts';

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
  if (!(await userExists(db, opts.userId))) throw new NotFoundError('User');
  const rows = await listFollowPage(db, { ...opts, cursor, limit: opts.limit + 1 });
  const page = toPage(rows, opts.limit, (r) => ({ t: r.followed_us, id: r.id }), encodeCursor);
  return { items: page.rows.map(toUserView), next_cursor: page.next_cursor };
}
