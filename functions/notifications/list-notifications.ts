import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { toPage } from '../../shared/social/keyset.ts';
import { toUserSummary } from '../../shared/social/user-view.ts';
import { mediaUrl } from '../../shared/storage/s3.ts';
import { decodeCursor, encodeCursor } from '../../shared/videos/cursor.ts';
import type { Routes } from '../routes.ts';
import { listNotifications as listPage, type NotificationRow } from './notifications.repository.ts';

async function toNotificationView(r: NotificationRow) {
  return {
    id: r.id,
    type: r.type,
    read: r.read_at !== null,
    created_at: r.created_at,
    actor: await toUserSummary({
      id: r.actor_id,
      username: r.actor_username,
      display_name: r.actor_display_name,
      avatar_key: r.actor_avatar_key,
    }),
    video: r.video_id
      ? {
          id: r.video_id,
          thumbnail_url: r.video_thumbnail_key ? await mediaUrl(r.video_thumbnail_key) : null,
        }
      : null,
    comment: r.comment_id
      ? { id: r.comment_id, excerpt: r.comment_excerpt ?? '', parent_id: r.comment_parent_id }
      : null,
  };
}

export const listNotifications: RouteHandler<Routes['listNotifications']> = async ({ query, user }) => {
  const cursor = decodeCursor(query.cursor);
  const rows = await listPage(getDb(), user.id, cursor, query.limit + 1);
  const page = toPage(rows, query.limit, (r) => ({ t: r.created_us, id: r.id }), encodeCursor);
  return { items: await Promise.all(page.rows.map(toNotificationView)), next_cursor: page.next_cursor };
};
