import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';
import { TIMELINE_COUNT_DEFAULT, TIMELINE_COUNT_MAX, TIMELINE_COUNT_MIN } from '../../shared/studio/rules.ts';
import { MAX_VOLUME } from '../../shared/studio/soundtrack-rules.ts';
import { SOUNDTRACK_EXAMPLE } from '../../shared/studio/soundtrack-view.ts';

/** Positions in a video, in milliseconds (int32: they are stored as Postgres integers). */
const MAX_MS = 2_147_483_647;
const Ms = z.int().check(z.gte(0), z.lte(MAX_MS));
const MsQuery = z.coerce.number().check(z.int(), z.gte(0), z.lte(MAX_MS));

export const TimelineQuery = z.object({
  count: z
    ._default(
      z.coerce.number().check(z.int(), z.gte(TIMELINE_COUNT_MIN), z.lte(TIMELINE_COUNT_MAX)),
      TIMELINE_COUNT_DEFAULT,
    )
    .register(z.globalRegistry, { description: 'How many frames', examples: [TIMELINE_COUNT_DEFAULT] }),
});

/** Both optional: start defaults to 0, end to 10 s after the start (or the end of the video). */
export const PreviewQuery = z.object({
  start_ms: z.optional(MsQuery).register(z.globalRegistry, { examples: [1000] }),
  end_ms: z.optional(MsQuery).register(z.globalRegistry, { examples: [4000] }),
});

/** end > start and the 10 s limit are checked by the handler, for their own error codes. */
export const SelectRangeBody = z
  .strictObject({ start_ms: Ms, end_ms: Ms })
  .register(z.globalRegistry, { examples: [{ start_ms: 1000, end_ms: 4000 }] });

export const TimelineFrame = z
  .object({
    /** Position of the frame in the video. */
    at_ms: z.number().check(z.int()),
    url: z.string(),
  })
  .register(z.globalRegistry, {
    id: 'TimelineFrame',
    examples: [{ at_ms: 525, url: EX.signed(`studio/timeline/${EX.videoId}/8/0.jpg`) }],
  });

export const Timeline = z
  .object({
    video_id: z.string(),
    duration_ms: z.number().check(z.int()),
    width: z.number().check(z.int()),
    height: z.number().check(z.int()),
    /** Evenly spaced: frame i is at the middle of the i-th of `count` equal slices. */
    frames: z.array(TimelineFrame),
    expires_at: z.string(),
  })
  .register(z.globalRegistry, {
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
     * A low-resolution proxy clip of exactly the range (H.264/AAC mp4, ≤ 360 px wide, index first), cut
     * from the playback rendition and cached per (video, revision, range). Always signed (studio media are
     * never on the CDN), until `expires_at`.
     */
    url: z.string(),
    /** The whole video's duration. */
    duration_ms: z.number().check(z.int()),
    start_ms: z.number().check(z.int()),
    end_ms: z.number().check(z.int()),
    /** The clip's own duration (end_ms - start_ms, to within a frame). */
    clip_duration_ms: z.number().check(z.int()),
    width: z.number().check(z.int()),
    height: z.number().check(z.int()),
    expires_at: z.string(),
  })
  .register(z.globalRegistry, {
    id: 'StudioPreview',
    examples: [
      {
        video_id: EX.videoId,
        url: EX.signed(`studio/previews/${EX.videoId}/2/1000-4000.mp4`),
        duration_ms: 8400,
        start_ms: 1000,
        end_ms: 4000,
        clip_duration_ms: 3000,
        width: 360,
        height: 640,
        expires_at: EX.urlsExpireAt,
      },
    ],
  });

const Volume = z.number().check(z.gte(0), z.lte(MAX_VOLUME));
const soundtrackFields = {
  /** A finished music job of yours (POST /v1/ai/music). */
  music_job_id: z.uuid(),
  /** The segment of the music to use (default: from 0, up to 60 s); at most 60 s. */
  music_start_ms: z.optional(Ms),
  music_end_ms: z.optional(Ms),
  /** Where in the video the music starts (default 0); music past the video's end is cut off. */
  offset_ms: z.optional(Ms),
  /** 0..2, default 1 (as recorded). */
  music_volume: z.optional(Volume),
  /**
   * Makes a retry safe: the same key returns the first request's result (a different request with the
   * same key is 409 `idempotency_key_reused`). Without one, the same parameters as the video's latest
   * request are recognised too.
   */
  idempotency_key: z.optional(
    z.string().check(z.regex(/^[\x21-\x7e]{1,100}$/, 'printable ASCII, 1-100 characters')),
  ),
};

/** `replace`: the music alone. `mix`: the music under the video's own sound (`original_volume`, default 1). */
export const MusicOnVideoBody = z
  .discriminatedUnion('mode', [
    z.strictObject({ ...soundtrackFields, mode: z.literal('replace') }),
    z.strictObject({ ...soundtrackFields, mode: z.literal('mix'), original_volume: z.optional(Volume) }),
  ])
  .register(z.globalRegistry, {
    id: 'MusicOnVideo',
    examples: [{ ...SOUNDTRACK_EXAMPLE, idempotency_key: 'b9e2c4d1-music-on-clip-1' }],
  });
