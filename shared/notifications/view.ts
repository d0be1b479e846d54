import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';
import { mediaUrl } from '../storage/media-url.ts';
import { toUserSummary, UserSummary } from '../users/view.ts';
import type { NotificationRow } from './repository.ts';

export const Notification = z
  .object({
    id: z.string(),
    type: z.enum(['like', 'comment', 'follow', 'glitch', 'export_ready']),
    read: z.boolean(),
    created_at: Timestamp,
    /** Who did it (null for news from LOKIZ itself, such as a finished export). */
    actor: z.nullable(UserSummary),
    /** The video it is about (likes, comments, glitches); the thumbnail only while you may see it. */
    video: z.nullable(z.object({ id: z.string(), thumbnail_url: z.nullable(z.string()) })),
    /** The comment (or reply: `parent_id` set) it is about. */
    comment: z.nullable(z.object({ id: z.string(), excerpt: z.string(), parent_id: z.nullable(z.string()) })),
    /** export_ready: the export to fetch (GET /v1/account/exports/{id}). */
    export: z.nullable(z.object({ id: z.string() })),
  })
  .register(z.globalRegistry, {
    id: 'Notification',
    examples: [
      {
        id: EX.notificationId,
        type: 'comment',
        read: false,
        created_at: EX.time,
        actor: { id: EX.otherUserId, username: 'remixer', display_name: 'Remixer', avatar_url: null },
        video: { id: EX.videoId, thumbnail_url: EX.cdn(`media/${EX.videoId}/1/poster.jpg`) },
        comment: { id: EX.commentId, excerpt: 'the vacuum never stood a chance 😂', parent_id: null },
        export: null,
      },
    ],
  });

export const NotificationPage = z
  .object({ items: z.array(Notification), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'NotificationPage' });

export async function toNotificationView(r: NotificationRow) {
  return {
    id: r.id,
    type: r.type,
    read: r.read_at !== null,
    created_at: r.created_at,
    actor:
      r.actor_id && r.actor_username && r.actor_display_name
        ? await toUserSummary({
            id: r.actor_id,
            username: r.actor_username,
            display_name: r.actor_display_name,
            avatar_key: r.actor_avatar_key,
          })
        : null,
    video: r.video_id
      ? {
          id: r.video_id,
          thumbnail_url: r.video_thumbnail_key ? await mediaUrl(r.video_thumbnail_key) : null,
        }
      : null,
    comment: r.comment_id
      ? { id: r.comment_id, excerpt: r.comment_excerpt ?? '', parent_id: r.comment_parent_id }
      : null,
    export: r.export_id ? { id: r.export_id } : null,
  };
}
