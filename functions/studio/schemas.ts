import * as z from 'zod';
import { EX } from '../../shared/http/examples.ts';
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
    .default(TIMELINE_COUNT_DEFAULT)
    .meta({ description: 'How many frames', examples: [TIMELINE_COUNT_DEFAULT] }),
});

/** Both optional: start defaults to 0, end to the end of the video. */
export const PreviewQuery = z.object({
  start_ms: MsQuery.optional().meta({ examples: [1000] }),
  end_ms: MsQuery.optional().meta({ examples: [4000] }),
});

/** end > start and the 10 s limit are checked by the handler, for their own error codes. */
export const SelectRangeBody = z
  .strictObject({ start_ms: Ms, end_ms: Ms })
  .meta({ examples: [{ start_ms: 1000, end_ms: 4000 }] });

export const TimelineFrame = z
  .object({
    /** Position of the frame in the video. */
    at_ms: z.number().int(),
    url: z.string(),
  })
  .meta({
    id: 'TimelineFrame',
    examples: [{ at_ms: 525, url: EX.signed(`studio/timeline/${EX.videoId}/8/0.jpg`) }],
  });

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
  .meta({
    id: 'Timeline',
    examples: [
      {
        video_id: EX.videoId,
        duration_ms: 8400,
        width: 720,
        height: 1280,
        frames: [0, 1].map((i) => ({
          at_ms: 525 + i * 1050,
          url: EX.signed(`studio/timeline/${EX.videoId}/8/${i}.jpg`),
        })),
        expires_at: EX.urlsExpireAt,
      },
    ],
  });

export const StudioPreview = z
  .object({
    video_id: z.string(),
    /**
     * The video's playback rendition; play it from start_ms to end_ms (the range is only validated and
     * echoed). A CDN URL for public videos, a signed one for private videos.
     */
    url: z.string(),
    duration_ms: z.number().int(),
    start_ms: z.number().int(),
    end_ms: z.number().int(),
    /** When a signed `url` stops working; null for a CDN URL (it does not expire). */
    expires_at: z.string().nullable(),
  })
  .meta({
    id: 'StudioPreview',
    examples: [
      {
        video_id: EX.videoId,
        url: EX.signed(`private/${EX.videoId}/1/play.mp4`),
        duration_ms: 8400,
        start_ms: 1000,
        end_ms: 4000,
        expires_at: EX.urlsExpireAt,
      },
    ],
  });
