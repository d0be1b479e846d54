import { BadRequestError, UnprocessableError } from '../http/errors.ts';

/** A selection is what an AI glitch transforms: at most 10 s (also a CHECK on studio_selections). */
export const MAX_SELECTION_MS = 10_000;
/** A range preview (GET …/preview) is the same length at most: what a selection can be. */
export const MAX_PREVIEW_MS = MAX_SELECTION_MS;

export const TIMELINE_COUNT_MIN = 4;
export const TIMELINE_COUNT_MAX = 20;
export const TIMELINE_COUNT_DEFAULT = 10;

export interface MsRange {
  start_ms: number;
  end_ms: number;
}

/**
 * What is wrong with the range itself, whatever the video: 400. (start_ms >= 0 and integers are
 * the schema's job.) Checked before the video is looked up.
 */
export function assertWellFormedRange(range: MsRange, maxLengthMs?: number): void {
  if (range.end_ms <= range.start_ms) {
    throw new BadRequestError('end_ms must be greater than start_ms', range, 'invalid_range');
  }
  if (maxLengthMs !== undefined && range.end_ms - range.start_ms > maxLengthMs) {
    throw new BadRequestError(
      `A range can be at most ${maxLengthMs / 1000} seconds long`,
      { ...range, max_length_ms: maxLengthMs },
      'range_too_long',
    );
  }
}

/** A range this particular video is too short for: 422. */
export function assertRangeInVideo(range: MsRange, durationMs: number): void {
  if (range.end_ms > durationMs || range.start_ms >= durationMs) {
    throw new UnprocessableError(
      `The range must lie within the video (0..${durationMs} ms)`,
      { ...range, duration_ms: durationMs },
      'range_outside_video',
    );
  }
}
