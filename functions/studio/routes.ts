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
    summary: 'A strip of ?count (4..20, default 10) evenly spaced thumbnails for scrubbing',
    description:
      'Evenly spaced frames of a ready video you can see, for a scrubbing strip (`count` 4-20; made once, then cached).',
    errors: ['not_found', 'video_not_ready', 'media_timeout'],
    params: IdParams,
    query: TimelineQuery,
    response: Timeline,
  }),
  getStudioPreview: route({
    ...studio,
    method: 'GET',
    path: '/v1/studio/videos/{id}/preview',
    summary:
      'A ≤ 10 s, 360 px proxy clip of exactly ?start_ms..end_ms (default the first 10 s), made once per range and revision',
    description:
      "Cuts exactly the range from the video's playback rendition into a small fast-start mp4 (≤ 360 px wide, " +
      'with sound) and returns a signed URL to it. Made once per (video, revision, range): later requests, and ' +
      'requests made while it is being cut, get the same clip. Without `end_ms`: 10 s from `start_ms` (default 0).',
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
    summary: 'Cut a range (at most 10 s) of the video into a clip to glitch; returns the selection',
    description:
      'Cuts a ≤10 s range of a ready video you can see into a clip for glitches (free). Use `selection_id` in `POST /v1/ai/glitch/*`.',
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
    summary: 'One of your selections (while its video is still visible to you)',
    description: 'One of your selections, with a fresh URL of its clip.',
    errors: ['not_found'],
    params: IdParams,
    response: StudioSelection,
  }),
  addMusicToVideo: route({
    ...studio,
    method: 'POST',
    path: '/v1/studio/videos/{id}/music',
    summary: 'Put your AI music (≤ 60 s of it) on your video, replacing or under its sound; no credits',
    description:
      'Puts a finished music job of yours (POST /v1/ai/music), or a ≤ 60 s segment of it, on one of your ready ' +
      'videos from `offset_ms`: `replace` its sound or `mix` under it, a volume (0..2) for each. Free: the music ' +
      'was paid for. Answers 202 with the request; poll GET /v1/studio/soundtracks/{id}. The video keeps playing ' +
      'its current revision until the new one (rendition, poster, preview) is ready, then switches at once and ' +
      'shows the music and its licence. Retrying (the same `idempotency_key`, or the same parameters) returns ' +
      'the same request and makes no second revision.',
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
    summary:
      'One of your music-on-video requests: queued, processing, ready (with the revision it made) or failed',
    description:
      'A request made by POST /v1/studio/videos/{id}/music: `ready` once the video plays the revision ' +
      '`media_rev` with the music, `failed` with `error` saying why (the video keeps what it had).',
    errors: ['not_found'],
    params: IdParams,
    response: Soundtrack,
  }),
};
