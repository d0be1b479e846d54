import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';
import type { SoundtrackRow } from './repository.ts';

/** The example request of the OpenAPI document (POST …/music), and what its Soundtrack echoes. */
export const SOUNDTRACK_EXAMPLE = {
  music_job_id: EX.jobId,
  mode: 'mix',
  music_start_ms: 12000,
  music_end_ms: 27000,
  offset_ms: 1500,
  music_volume: 0.8,
  original_volume: 0.4,
} as const;

/**
 * A request to put music on a video. `queued` → `processing` → `ready` (the video now plays revision
 * `media_rev`, with this music) or `failed` (`error` says why; the video keeps what it had).
 */
export const Soundtrack = z
  .object({
    id: z.string(),
    video_id: z.string(),
    music_job_id: z.string(),
    mode: z.enum(['replace', 'mix']),
    music_start_ms: z.number().check(z.int()),
    music_end_ms: z.number().check(z.int()),
    offset_ms: z.number().check(z.int()),
    music_volume: z.number(),
    /** The video's own sound under the music (`mix` only). */
    original_volume: z.nullable(z.number()),
    status: z.enum(['queued', 'processing', 'ready', 'failed']),
    error: z.nullable(z.string()),
    /** The revision of the video's media this made (once ready). */
    media_rev: z.nullable(z.number().check(z.int())),
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: z.nullable(Timestamp),
  })
  .register(z.globalRegistry, {
    id: 'Soundtrack',
    examples: [
      {
        id: 'c3d9e5a2-7b1f-4c8e-a6d0-2f4b9e1c7a35',
        video_id: EX.videoId,
        ...SOUNDTRACK_EXAMPLE,
        status: 'ready',
        error: null,
        media_rev: 3,
        created_at: EX.time,
        updated_at: EX.later,
        completed_at: EX.later,
      },
    ],
  });

export function toSoundtrackView(row: SoundtrackRow): z.input<typeof Soundtrack> {
  return {
    id: row.id,
    video_id: row.video_id,
    music_job_id: row.music_job_id,
    mode: row.mode,
    music_start_ms: row.music_start_ms,
    music_end_ms: row.music_end_ms,
    offset_ms: row.offset_ms,
    music_volume: row.music_volume,
    original_volume: row.original_volume,
    status: row.status,
    error: row.error,
    media_rev: row.media_rev,
    created_at: row.created_at,
    updated_at: row.updated_at,
    completed_at: row.completed_at,
  };
}
