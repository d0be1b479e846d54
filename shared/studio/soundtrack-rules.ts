import { createHash } from 'node:crypto';
import type { SoundtrackMode, VideoSoundtracksTable } from '../db/schema.ts';
import { BadRequestError, UnprocessableError } from '../http/errors.ts';

/** The longest piece of a music track put on a video (also a CHECK on video_soundtracks). */
export const MAX_MUSIC_SEGMENT_MS = 60_000;
/** Gains from silent (0) to twice as loud (2); 1 is the track as recorded. */
export const MAX_VOLUME = 2;

/** What a client asks for (POST /v1/studio/videos/{id}/music); unset fields take their defaults. */
export interface SoundtrackRequest {
  music_job_id: string;
  mode: SoundtrackMode;
  music_start_ms?: number;
  music_end_ms?: number;
  offset_ms?: number;
  music_volume?: number;
  original_volume?: number;
}

/** Resolved against the music's and the video's durations: what the worker renders. */
export type SoundtrackParams = Pick<
  VideoSoundtracksTable,
  'mode' | 'music_start_ms' | 'music_end_ms' | 'offset_ms' | 'music_volume' | 'original_volume' // (only for `mix`)
>;

/** Volumes are kept to hundredths: 0.5 and 0.500001 are the same request. */
const hundredths = (v: number) => Math.round(v * 100) / 100;

/** What is wrong with the segment itself, whatever the music: 400, checked before anything is looked up. */
export function assertWellFormedSegment(req: SoundtrackRequest): void {
  const start = req.music_start_ms ?? 0;
  if (req.music_end_ms === undefined) return;
  if (req.music_end_ms <= start) {
    throw new BadRequestError(
      'music_end_ms must be greater than music_start_ms',
      { music_start_ms: start, music_end_ms: req.music_end_ms },
      'invalid_segment',
    );
  }
  if (req.music_end_ms - start > MAX_MUSIC_SEGMENT_MS) {
    throw new BadRequestError(
      `A music segment can be at most ${MAX_MUSIC_SEGMENT_MS / 1000} seconds long`,
      { music_start_ms: start, music_end_ms: req.music_end_ms, max_length_ms: MAX_MUSIC_SEGMENT_MS },
      'segment_too_long',
    );
  }
}

/**
 * The request against this music and this video (422 when it does not fit them): the segment defaults
 * to the music from its start for up to 60 s, the offset to 0, volumes to 1 (the video's own sound only
 * in a mix). Music running past the video's end is cut off there; the video keeps its length.
 */
export function resolveSoundtrack(
  req: SoundtrackRequest,
  musicDurationMs: number,
  videoDurationMs: number,
): SoundtrackParams {
  const start = req.music_start_ms ?? 0;
  const end = req.music_end_ms ?? Math.min(musicDurationMs, start + MAX_MUSIC_SEGMENT_MS);
  if (start >= musicDurationMs || end > musicDurationMs) {
    throw new UnprocessableError(
      `The segment must lie within the music (0..${musicDurationMs} ms)`,
      { music_start_ms: start, music_end_ms: end, music_duration_ms: musicDurationMs },
      'segment_outside_music',
    );
  }
  const offset = req.offset_ms ?? 0;
  if (offset >= videoDurationMs) {
    throw new UnprocessableError(
      `The music must start within the video (0..${videoDurationMs - 1} ms)`,
      { offset_ms: offset, duration_ms: videoDurationMs },
      'offset_outside_video',
    );
  }
  return {
    mode: req.mode,
    music_start_ms: start,
    music_end_ms: end,
    offset_ms: offset,
    music_volume: hundredths(req.music_volume ?? 1),
    original_volume: req.mode === 'mix' ? hundredths(req.original_volume ?? 1) : null,
  };
}

/**
 * "The same request": the video, the music job and every parameter as asked (defaults filled in that
 * need no media). A retry with the same fingerprint as the video's latest soundtrack makes no revision.
 */
export function soundtrackFingerprint(videoId: string, req: SoundtrackRequest): string {
  const canonical = [
    videoId,
    req.music_job_id,
    req.mode,
    req.music_start_ms ?? 0,
    req.music_end_ms ?? 'end',
    req.offset_ms ?? 0,
    hundredths(req.music_volume ?? 1),
    req.mode === 'mix' ? hundredths(req.original_volume ?? 1) : null,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
