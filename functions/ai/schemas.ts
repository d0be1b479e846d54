import * as z from 'zod/mini';
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from '../../shared/assets/repository.ts';
import { EX } from '../../shared/http/examples.ts';
import { userText } from '../../shared/http/text.ts';

const Caption = z.optional(userText({ label: 'Caption', max: 2200 }));

export const CharacterUploadBody = z
  .strictObject({
    content_type: z.enum(
      Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES, ...(keyof typeof IMAGE_TYPES)[]],
    ),
    size_bytes: z
      .number()
      .check(z.int(), z.positive(), z.lte(MAX_IMAGE_BYTES, 'Images can be at most 10 MB')),
  })
  .register(z.globalRegistry, { examples: [{ content_type: 'image/png', size_bytes: 482_113 }] });

export const CharacterUploadResponse = z
  .object({
    asset_id: z.string(),
    upload_url: z.string(),
    expires_at: z.string(),
    method: z.literal('PUT'),
    headers: z.object({ 'content-type': z.string() }),
  })
  .register(z.globalRegistry, {
    id: 'CharacterImageUpload',
    examples: [
      {
        asset_id: EX.imageId,
        upload_url: EX.uploadUrl(`assets/${EX.otherUserId}/${EX.imageId}.png`),
        expires_at: '2026-11-30T09:30:00.000Z',
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
      },
    ],
  });

export const CaptureFrameBody = z
  .strictObject({ video_id: z.uuid(), at_ms: z.number().check(z.int(), z.gte(0)) })
  .register(z.globalRegistry, { examples: [{ video_id: EX.videoId, at_ms: 2500 }] });

export const CapturedFrame = z
  .object({
    asset_id: z.string(),
    video_id: z.string(),
    at_ms: z.number().check(z.int()),
    width: z.number().check(z.int()),
    height: z.number().check(z.int()),
    url: z.string(),
    credits_spent: z.literal(0),
  })
  .register(z.globalRegistry, {
    id: 'CapturedFrame',
    examples: [
      {
        asset_id: EX.frameId,
        video_id: EX.videoId,
        at_ms: 2500,
        width: 720,
        height: 1280,
        url: EX.signed(`assets/${EX.otherUserId}/${EX.frameId}.jpg`),
        credits_spent: 0,
      },
    ],
  });

export const TemplateBody = z
  .strictObject({
    image_asset_id: z.uuid(),
    prompt: userText({ label: 'Prompt', min: 3, max: 1000 }),
    aspect_ratio: z.optional(z.enum(['9:16', '16:9'])),
    caption: Caption,
  })
  .register(z.globalRegistry, {
    examples: [
      {
        image_asset_id: EX.frameId,
        prompt: 'claymation, the cat slowly turns into a disco ball',
        aspect_ratio: '9:16',
        caption: 'disco cat #lokiz',
      },
    ],
  });

export const GlitchBody = z
  .strictObject({
    source_video_id: z.uuid(),
    /** A ≤10 s range of the source, cut by POST /v1/studio/videos/{id}/select-range. */
    selection_id: z.uuid(),
    character_image_id: z.uuid(),
    caption: Caption,
  })
  .register(z.globalRegistry, {
    examples: [
      {
        source_video_id: EX.videoId,
        selection_id: EX.selectionId,
        character_image_id: EX.imageId,
        caption: 'my robot does it better #lokiz',
      },
    ],
  });

export const MusicBody = z
  .strictObject({
    prompt: userText({ label: 'Prompt', min: 3, max: 500 }),
    lyrics: z.optional(userText({ label: 'Lyrics', max: 2000, trim: false })),
  })
  .register(z.globalRegistry, { examples: [{ prompt: 'lo-fi beat with a vacuum cleaner sample, 90 bpm' }] });
