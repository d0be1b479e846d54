import * as z from 'zod';
import { Timestamp } from '../../shared/http/schemas.ts';
import { UserSummary } from '../../shared/videos/schemas.ts';

export const Notification = z
  .object({
    id: z.string(),
    type: z.enum(['like', 'comment', 'follow', 'glitch']),
    read: z.boolean(),
    created_at: Timestamp,
    /** Who did it. */
    actor: UserSummary,
    /** The video it is about (likes, comments, glitches); the thumbnail only while you may see it. */
    video: z.object({ id: z.string(), thumbnail_url: z.string().nullable() }).nullable(),
    /** The comment (or reply: `parent_id` set) it is about. */
    comment: z.object({ id: z.string(), excerpt: z.string(), parent_id: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'Notification' });

export const NotificationPage = z
  .object({ items: z.array(Notification), next_cursor: z.string().nullable() })
  .meta({ id: 'NotificationPage' });

export const UnreadCount = z.object({ unread_count: z.number().int() }).meta({ id: 'UnreadCount' });
