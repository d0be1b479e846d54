import * as z from 'zod';
import { TIMELINE_COUNT_DEFAULT, TIMELINE_COUNT_MAX, TIMELINE_COUNT_MIN } from '../../shared/studio/rules.ts';

/** Positions in a video, in milliseconds (int32: they are stored as Postgres integers). */
const MAX_MS = 2_147_483_647;
const Ms = z.int().min(0).max(MAX_MS);
const MsQuery = z.coerce.number().int().min(0).max(MAX_MS);

export const TimelineQuery = z.object({
  count: z.coerce
    .number()
    .int()
    .min(TIMELINE_COUNT_MIN)
    .max(TIMELINE_COUNT_MAX)
    .default(TIMELINE_COUNT_DEFAULT),
});

/** Both optional: start defaults to 0, end to 10 s after the start (or the end of the video). */
export const PreviewQuery = z.object({ start_ms: MsQuery.optional(), end_ms: MsQuery.optional() });

/** end > start and the 10 s limit are checked by the handler, for their own error codes. */
export const SelectRangeBody = z.strictObject({ start_ms: Ms, end_ms: Ms });

export const TimelineFrame = z
  .object({
    /** Position of the frame in the video. */
    at_ms: z.number().int(),
    url: z.string(),
  })
  .meta({ id: 'TimelineFrame' });

export const Timeline = z
  .object({
    video_id: z.string(),
    duration_ms: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    /** Evenly spaced: frame i is at the middle of the i-th of `count` equal slices. */
    frames: z.array(TimelineFrame),
    expires_at: z.string(),
  })
  .meta({ id: 'Timeline' });

export const StudioPreview = z
  .object({
    video_id: z.string(),
    /**
     * A low-resolution proxy clip of exactly the range (H.264/AAC mp4, ≤ 360 px wide, index first), cut
     * from the playback rendition and cached per (video, revision, range). Always signed (studio media are
     * never on the CDN), until `expires_at`.
     */
    url: z.string(),
    /** The whole video's duration. */
    duration_ms: z.number().int(),
    start_ms: z.number().int(),
    end_ms: z.number().int(),
    /** The clip's own duration (end_ms - start_ms, to within a frame). */
    clip_duration_ms: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    expires_at: z.string(),
  })
  .meta({ id: 'StudioPreview' });
