import type { z } from 'zod';
import { toPage } from '../../shared/social/keyset.ts';
import { toUserSummary } from '../../shared/social/user-view.ts';
import { encodeCursor } from '../../shared/videos/cursor.ts';
import type { CommentViewRow } from './comments.repository.ts';
import type { Comment, CommentPage } from './schemas.ts';

export async function toCommentView(row: CommentViewRow): Promise<z.input<typeof Comment>> {
  return {
    id: row.id,
    video_id: row.video_id,
    parent_id: row.parent_id,
    author: await toUserSummary({
      id: row.author_id,
      username: row.author_username,
      display_name: row.author_display_name,
      avatar_key: row.author_avatar_key,
    }),
    body: row.body,
    reply_count: row.reply_count,
    // Only a body edit moves updated_at (reply counts do not).
    edited: row.updated_at.getTime() > row.created_at.getTime(),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** `rows` holds up to limit + 1 rows; the extra one only says there is a next page. */
export async function toCommentPage(
  rows: CommentViewRow[],
  limit: number,
): Promise<z.input<typeof CommentPage>> {
  const page = toPage(rows, limit, (r) => ({ t: r.created_us, id: r.id }), encodeCursor);
  return { items: await Promise.all(page.rows.map(toCommentView)), next_cursor: page.next_cursor };
}
