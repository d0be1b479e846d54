import * as z from 'zod';
import { PageQuery } from '../../shared/http/schemas.ts';
import { userText } from '../../shared/http/text.ts';
import { VIDEO_TYPES } from '../../shared/storage/keys.ts';

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const MAX_CAPTION_CHARS = 2200;

const Caption = userText({ label: 'Caption', max: MAX_CAPTION_CHARS, trim: false });
const Visibility = z.enum(['public', 'private']);

export const CreateUploadUrlBody = z.strictObject({
  content_type: z.enum(
    Object.keys(VIDEO_TYPES) as [keyof typeof VIDEO_TYPES, ...(keyof typeof VIDEO_TYPES)[]],
    {
      message: `content_type must be one of ${Object.keys(VIDEO_TYPES).join(', ')}`,
    },
  ),
  size_bytes: z
    .number()
    .int()
    .positive()
    .max(MAX_UPLOAD_BYTES, `Videos can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`),
  caption: Caption.optional(),
  visibility: Visibility.optional(),
});

export const UploadUrlResponse = z
  .object({
    video_id: z.string(),
    upload_url: z.string(),
    file_key: z.string(),
    expires_at: z.string(),
    method: z.literal('PUT'),
    /** Send exactly these headers with the PUT (the signature covers them and Content-Length). */
    headers: z.object({ 'content-type': z.string() }),
  })
  .meta({ id: 'UploadUrl' });

/** Only people-owned fields; counts, status, owner and keys belong to the server (400 otherwise). */
export const UpdateVideoBody = z
  .strictObject({ caption: Caption.optional(), visibility: Visibility.optional() })
  .refine((b) => b.caption !== undefined || b.visibility !== undefined, {
    message: 'Provide caption and/or visibility',
  });

export const FeedQuery = PageQuery.extend({
  user_id: z.uuid().optional(),
  /** `following`: videos by people the caller follows (requires sign-in). */
  feed: z.enum(['latest', 'following']).default('latest'),
});
