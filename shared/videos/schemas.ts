import * as z from 'zod';
import { Timestamp } from '../http/schemas.ts';

export const UserSummary = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    avatar_url: z.string().nullable(),
  })
  .meta({ id: 'UserSummary' });

export const VideoView = z
  .object({
    id: z.string(),
    owner: UserSummary,
    caption: z.string(),
    visibility: z.enum(['public', 'private']),
    status: z.enum(['uploading', 'processing', 'ready', 'failed']),
    /** Only the owner sees why an upload failed. */
    failure_reason: z.string().nullable(),
    origin: z.enum(['upload', 'glitch', 'template']),
    duration_ms: z.number().int().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    like_count: z.number().int(),
    comment_count: z.number().int(),
    glitch_count: z.number().int(),
    /** null when the caller is logged out. */
    liked_by_me: z.boolean().nullable(),
    /** Short-lived URLs for playing the video; null until it is ready. */
    video_url: z.string().nullable(),
    thumbnail_url: z.string().nullable(),
    urls_expire_at: z.string().nullable(),
    /** For glitches: the video it was made from; `available: false` once that one is gone. */
    glitch_of: z.object({ video_id: z.string(), kind: z.string(), available: z.boolean() }).nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Video' });

export const VideoPage = z
  .object({ items: z.array(VideoView), next_cursor: z.string().nullable() })
  .meta({ id: 'VideoPage' });
