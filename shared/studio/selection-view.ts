import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { mediaUrl, signedUrlsExpireAt } from '../storage/media-url.ts';
import type { StudioSelection as SelectionRow } from './repository.ts';

export const StudioSelection = z
  .object({
    selection_id: z.string(),
    video_id: z.string(),
    start_ms: z.number().check(z.int()),
    end_ms: z.number().check(z.int()),
    duration_ms: z.number().check(z.int()),
    /** The cut clip (mp4), for playing back what will be glitched. */
    clip_url: z.string(),
    expires_at: z.string(),
  })
  .register(z.globalRegistry, {
    id: 'StudioSelection',
    examples: [
      {
        selection_id: EX.selectionId,
        video_id: EX.videoId,
        start_ms: 1000,
        end_ms: 4000,
        duration_ms: 3000,
        clip_url: EX.signed(`studio/clips/${EX.selectionId}.mp4`),
        expires_at: EX.urlsExpireAt,
      },
    ],
  });

export async function toSelectionView(row: SelectionRow): Promise<z.input<typeof StudioSelection>> {
  const expiresAt = signedUrlsExpireAt();
  return {
    selection_id: row.id,
    video_id: row.video_id,
    start_ms: row.start_ms,
    end_ms: row.end_ms,
    duration_ms: row.end_ms - row.start_ms,
    clip_url: await mediaUrl(row.clip_key),
    expires_at: expiresAt,
  };
}
