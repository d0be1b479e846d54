import { route } from '../../shared/http/route.ts';
import { IdParams } from '../../shared/http/schemas.ts';
import { StudioSelection } from '../../shared/studio/selection-view.ts';
import { Soundtrack } from '../../shared/studio/soundtrack-view.ts';
import {
  MusicOnVideoBody,
  PreviewQuery,
  SelectRangeBody,
  StudioPreview,
  Timeline,
  TimelineQuery,
} from './schemas.ts';

const studio = { domain: 'studio', auth: 'required', tags: ['studio'] } as const;

/** What a range preview and a range selection both answer (the range rules below). */
const RANGE_ERRORS = [
  'not_found',
  'video_not_ready',
  'invalid_range',
  'range_too_long',
  'range_outside_video',
  'media_timeout',
] as const;

/**
 * The studio domain's entries of the route table (merged in functions/routes.ts). Every route works on a
 * video the caller can watch (anyone's public one or their own) once it is ready: 404 otherwise, 409
 * `video_not_ready` for the caller's own unfinished upload.
 * Range errors: 400 when the range itself is wrong (end_ms <= start_ms: `invalid_range`, longer than
 * 10 s: `range_too_long`, negative or not an integer: `validation_failed`); 422 `range_outside_video`
 * when it does not fit this video. ffmpeg work over its budget: 503 `media_timeout` (retry).
 */
export const studioRoutes = {
  getStudioTimeline: route({
    ...studio,
    method: 'GET',
    path: '/v1/studio/videos/{id}/timeline',
    errors: ['not_found', 'video_not_ready', 'media_timeout'],
    params: IdParams,
    query: TimelineQuery,
    response: Timeline,
  }),
  getStudioPreview: route({
    ...studio,
    method: 'GET',
    path: '/v1/studio/videos/{id}/preview',
    errors: RANGE_ERRORS,
    // Default throttling, like the timeline: a cached range is a row and a signature; a hot cold range
    // runs ffmpeg once however many ask (range-preview.ts).
    params: IdParams,
    query: PreviewQuery,
    response: StudioPreview,
  }),
  selectStudioRange: route({
    ...studio,
    method: 'POST',
    path: '/v1/studio/videos/{id}/select-range',
    errors: RANGE_ERRORS,
    params: IdParams,
    body: SelectRangeBody,
    response: StudioSelection,
    status: 201,
    // Synchronous ffmpeg work, like capture-frame.
    throttle: 'ai',
  }),
  getStudioSelection: route({
    ...studio,
    method: 'GET',
    path: '/v1/studio/selections/{id}',
    errors: ['not_found'],
    params: IdParams,
    response: StudioSelection,
  }),
  addMusicToVideo: route({
    ...studio,
    method: 'POST',
    path: '/v1/studio/videos/{id}/music',
    errors: [
      'not_found',
      'video_not_ready',
      'music_not_ready',
      'soundtrack_in_progress',
      'idempotency_key_reused',
      'not_music',
      'music_unusable',
      'segment_outside_music',
      'offset_outside_video',
      'invalid_segment',
      'segment_too_long',
      'media_timeout',
    ],
    params: IdParams,
    body: MusicOnVideoBody,
    response: Soundtrack,
    status: 202,
    // Downloads and probes the music inline.
    throttle: 'ai',
  }),
  getSoundtrack: route({
    ...studio,
    method: 'GET',
    path: '/v1/studio/soundtracks/{id}',
    errors: ['not_found'],
    params: IdParams,
    response: Soundtrack,
  }),
};
