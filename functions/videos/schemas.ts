import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';
import { ExcludeAiQuery, PageQuery } from '../../shared/http/schemas.ts';
import { userText } from '../../shared/http/text.ts';
import { VIDEO_TYPES } from '../../shared/storage/keys.ts';

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const MAX_CAPTION_CHARS = 2200;

const Caption = userText({ label: 'Caption', max: MAX_CAPTION_CHARS, trim: false });
const Visibility = z.enum(['public', 'private']);

export const CreateUploadUrlBody = z
  .strictObject({
    content_type: z.enum(
      Object.keys(VIDEO_TYPES) as [keyof typeof VIDEO_TYPES, ...(keyof typeof VIDEO_TYPES)[]],
      {
        message: `content_type must be one of ${Object.keys(VIDEO_TYPES).join(', ')}`,
      },
    ),
    size_bytes: z
      .number()
      .check(
        z.int(),
        z.positive(),
        z.lte(MAX_UPLOAD_BYTES, `Videos can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`),
      ),
    caption: z.optional(Caption),
    visibility: z.optional(Visibility),
  })
  .register(z.globalRegistry, {
    examples: [
      {
        content_type: 'video/mp4',
        size_bytes: 5_242_880,
        caption: 'my cat vs. the vacuum #lokiz #cat',
        visibility: 'public',
      },
    ],
  });

export const UploadUrlResponse = z
  .object({
    video_id: z.string(),
    upload_url: z.string(),
    file_key: z.string(),
    /** The video's eventual playback URL (it answers once the upload is processed). */
    file_url: z.string(),
    expires_at: z.string(),
    method: z.literal('PUT'),
    /** Send exactly these headers with the PUT (the signature covers them and Content-Length). */
    headers: z.object({ 'content-type': z.string() }),
  })
  .register(z.globalRegistry, {
    id: 'UploadUrl',
    examples: [
      {
        video_id: EX.videoId,
        upload_url: EX.uploadUrl(`uploads/${EX.userId}/${EX.videoId}.mp4`),
        file_key: `uploads/${EX.userId}/${EX.videoId}.mp4`,
        file_url: EX.signed(`uploads/${EX.userId}/${EX.videoId}.mp4`),
        expires_at: '2026-11-30T09:30:00.000Z',
        method: 'PUT',
        headers: { 'content-type': 'video/mp4' },
      },
    ],
  });

/** Only people-owned fields; counts, status, owner and keys belong to the server (400 otherwise). */
export const UpdateVideoBody = z
  .strictObject({
    caption: z.optional(Caption),
    visibility: z.optional(Visibility),
    /** Remix consent: whether others may glitch this video / capture its frames. */
    allow_glitches: z.optional(z.boolean()),
    allow_frame_capture: z.optional(z.boolean()),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), {
      message: 'Provide caption, visibility, allow_glitches and/or allow_frame_capture',
    }),
  )
  .register(z.globalRegistry, {
    examples: [{ caption: 'my cat vs. the vacuum, round 2 #lokiz', visibility: 'private' }],
  });

export const FeedQuery = z.extend(PageQuery, {
  user_id: z.optional(z.uuid()),
  /** `following`: videos by people the caller follows (requires sign-in). */
  feed: z._default(z.enum(['latest', 'following']), 'latest'),
  exclude_ai: ExcludeAiQuery,
});
