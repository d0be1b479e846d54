import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';
import { toTimePage } from '../pagination/keyset.ts';
import { toUserSummary, USER_SUMMARY_EXAMPLE, UserSummary } from '../users/view.ts';
import type { CommentViewRow } from './repository.ts';

export const COMMENT_EXAMPLE = {
  id: EX.commentId,
  video_id: EX.videoId,
  parent_id: null,
  author: USER_SUMMARY_EXAMPLE,
  body: 'the vacuum never stood a chance 😂',
  deleted: false,
  reply_count: 1,
  edited: false,
  created_at: EX.time,
  updated_at: EX.time,
};

export const Comment = z
  .object({
    id: z.string(),
    video_id: z.string(),
    /** The top-level comment this one answers; null for top-level comments. */
    parent_id: z.nullable(z.string()),
    /** null on a deleted account's comment kept for its replies (`deleted`: true, empty body). */
    author: z.nullable(UserSummary),
    body: z.string(),
    deleted: z.boolean(),
    reply_count: z.number().check(z.int()),
    edited: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .register(z.globalRegistry, { id: 'Comment', examples: [COMMENT_EXAMPLE] });

export const CommentPage = z
  .object({ items: z.array(Comment), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'CommentPage' });

export async function toCommentView(row: CommentViewRow): Promise<z.input<typeof Comment>> {
  return {
    id: row.id,
    video_id: row.video_id,
    parent_id: row.parent_id,
    author: row.redacted_at
      ? null
      : await toUserSummary({
          id: row.author_id,
          username: row.author_username,
          display_name: row.author_display_name,
          avatar_key: row.author_avatar_key,
        }),
    body: row.redacted_at ? '' : row.body,
    deleted: row.redacted_at !== null,
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
  const page = toTimePage(rows, limit, (r) => r.created_us);
  return { items: await Promise.all(page.rows.map(toCommentView)), next_cursor: page.next_cursor };
}
