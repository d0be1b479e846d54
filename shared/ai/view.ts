import * as z from 'zod/mini';
import { EX } from '../http/examples.ts';
import { Timestamp } from '../http/schemas.ts';
import { mediaUrl } from '../storage/media-url.ts';
import type { JobViewRow } from './repository.ts';

export const Job = z
  .object({
    id: z.string(),
    kind: z.enum(['capture_frame', 'template', 'glitch_animate', 'glitch_replace', 'music']),
    status: z.enum(['queued', 'starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
    cost: z.number().check(z.int()),
    source_video_id: z.nullable(z.string()),
    /** The new video (glitch/template): it becomes `ready` once its thumbnail is made. */
    result_video_id: z.nullable(z.string()),
    result_video_status: z.nullable(z.string()),
    /** Music: a short-lived URL of the audio once it is saved. */
    audio_url: z.nullable(z.string()),
    error: z.nullable(z.string()),
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: z.nullable(Timestamp),
  })
  .register(z.globalRegistry, {
    id: 'AiJob',
    examples: [
      {
        id: EX.jobId,
        kind: 'glitch_animate',
        status: 'succeeded',
        cost: 30,
        source_video_id: EX.videoId,
        result_video_id: EX.glitchVideoId,
        result_video_status: 'ready',
        audio_url: null,
        error: null,
        created_at: EX.time,
        updated_at: EX.later,
        completed_at: EX.later,
      },
    ],
  });

export const JobPage = z
  .object({ items: z.array(Job), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'AiJobPage' });

export async function toJobView(row: JobViewRow): Promise<z.input<typeof Job>> {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    cost: row.cost,
    source_video_id: row.source_video_id,
    result_video_id: row.result_video_id,
    result_video_status: row.result_video_status,
    audio_url: row.audio_key ? await mediaUrl(row.audio_key) : null,
    error: row.error,
    created_at: row.created_at,
    updated_at: row.updated_at,
    completed_at: row.completed_at,
  };
}
